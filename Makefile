# folio: `make` builds the tool and publishes manuscript/ into build/;
# `make check` runs every test.  Most of it is C; src/*.cc (the syntax
# highlighter, over GNU Source-highlight's C++ library) is C++, so the
# programs are linked with $(CXX).

PREFIX	?= /usr/local
BINDIR	 = $(PREFIX)/bin
DATADIR	 = $(PREFIX)/share/folio
MANDIR	 = $(PREFIX)/share/man
VERSION	 = 0.1.0

CC	?= cc
CXX	?= c++
CFLAGS	?= -O2 -g
CXXFLAGS ?= $(CFLAGS)
PKGS	 = libcmark-gfm libzip yaml-0.1 inih libpng libxml-2.0 zlib source-highlight \
	   libjpeg librsvg-2.0 cairo harfbuzz harfbuzz-subset fontconfig libunibreak
WARN	 = -std=c11 -Wall -Wextra -Werror
CXXWARN	 = -std=c++17 -Wall -Wextra -Werror
DEFS	 = -D_DEFAULT_SOURCE -D_POSIX_C_SOURCE=200809L -DVERSION='"$(VERSION)"'
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# librsvg and cairo are loaded when an SVG is first drawn (svg.c).  The
# libraries no other library here loads are linked from their archives:
# each shared library costs every start the binding of its symbols
# (Source-highlight and Boost's regex library 0.8 ms, the small C
# libraries after them 0.5 ms more: a short article takes 24 ms in all).
# libhyphen has no pkg-config file.
STATIC_PKGS = source-highlight libcmark-gfm yaml-0.1 inih libjpeg
STATIC_LIBS = -lsource-highlight -lboost_regex -lcmark-gfm-extensions \
	-lcmark-gfm -lyaml -linih -ljpeg -lhyphen
PKG_LIBS   = $(shell pkg-config --libs $(filter-out librsvg-2.0 cairo \
	$(STATIC_PKGS),$(PKGS)) 2>/dev/null) \
	-Wl,-Bstatic $(STATIC_LIBS) -Wl,-Bdynamic
ALL_CFLAGS = $(WARN) $(DEFS) $(PKG_CFLAGS) $(CFLAGS)
ALL_CXXFLAGS = $(CXXWARN) $(DEFS) $(PKG_CFLAGS) $(CXXFLAGS)
LIBS	 = $(PKG_LIBS) -lhpdf -lm -lpthread

OBJDIR	 = build/obj
SRCS	 = $(wildcard src/*.c)
CXXSRCS	 = $(wildcard src/*.cc)
OBJS	 = $(SRCS:src/%.c=$(OBJDIR)/%.o) $(CXXSRCS:src/%.cc=$(OBJDIR)/%.o)
LIBOBJS	 = $(filter-out $(OBJDIR)/main.o,$(OBJS))
UNITS	 = $(patsubst tests/unit/%.c,build/unit/%,$(wildcard tests/unit/test_*.c))
BOOK_INPUTS = $(wildcard manuscript/*.md manuscript/*.yaml manuscript/images/*) \
	$(wildcard styles/*.ini fonts/*.ttf fonts/*.otf)

.PHONY: all deps deps-check ace book handouts press check check-asan check-valgrind unit install uninstall clean figures fuzz bench fuzz-ttf fuzz-style fuzz-since compare-tex

all: book

# Both cores (or all there are) for the compiler and the sanitizer
# builds: make check builds the program three ways.
MAKEFLAGS += -j$(shell nproc 2>/dev/null || echo 2)

deps:
	@sh tools/deps.sh build

deps-check:
	@sh tools/deps.sh check

build/.deps-ok: tools/deps.sh
	@mkdir -p build
	@sh tools/deps.sh build
	@touch $@

$(OBJDIR)/%.o: src/%.c $(wildcard src/*.h) | build/.deps-ok
	@mkdir -p $(OBJDIR)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(OBJDIR)/%.o: src/%.cc $(wildcard src/*.h) | build/.deps-ok
	@mkdir -p $(OBJDIR)
	$(CXX) $(ALL_CXXFLAGS) -c $< -o $@

folio: $(OBJS)
	$(CXX) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LIBS)

build/unit/%.o: tests/unit/%.c tests/unit/unit.h $(wildcard src/*.h) | build/.deps-ok
	@mkdir -p build/unit
	$(CC) $(ALL_CFLAGS) -iquote src -c $< -o $@

build/unit/%: build/unit/%.o $(LIBOBJS)
	$(CXX) $(CFLAGS) $(LDFLAGS) -o $@ $< $(LIBOBJS) $(LIBS)
.SECONDARY: $(UNITS:=.o)

unit: $(UNITS)

# The book: rebuilt when the tool or anything it read changes.  folio
# names what it read in build/book.d (--deps): a rule whose targets are
# the editions, which the stamp depends on.
-include build/book.d
BOOK_OUTPUTS = $(shell sed -n '1s/:.*//p' build/book.d 2>/dev/null)
book: build/.book-stamp
build/.book-stamp: folio $(BOOK_INPUTS) $(BOOK_OUTPUTS)
	./folio build manuscript -o build --deps build/book.d
	@touch $@

# Every chapter as a handout, and imposed as a booklet, in build/handouts/.
handouts: folio
	./folio build manuscript --split -o build/handouts
	./folio build manuscript --split --booklet -o build/handouts

# The book for the print shop (README "Printing"): build/NAME-press.pdf.
press: folio
	./folio build manuscript --press -o build

# Ace by DAISY, the EPUB accessibility checker, for tests/ace.sh: into
# build/ace (tools/ace-install.sh: @daisy/ace-cli from npm, Debian's
# chromium; about a minute the first time).  Where it cannot be
# installed, or with ACE_INSTALL=no, its tests are skipped and say so.
ACE_INSTALL ?= yes
ace:
	@if [ "$(ACE_INSTALL)" = no ]; then echo "make ace: ACE_INSTALL=no: the e-book's Ace tests are skipped"; \
	elif ! sh tools/ace-install.sh build/ace; then \
	    echo "make ace: Ace not installed; the e-book's Ace tests are skipped" >&2; fi

check: deps-check folio unit ace
	-sh tools/pdfjs-install.sh build/pdfjs
	FOLIO_HEAVY=1 FOLIO=./folio bash tests/run.sh
	$(MAKE) check-asan
	$(MAKE) check-valgrind
	$(MAKE) fuzz FUZZ_SECONDS=$(CHECK_FUZZ_SECONDS) FUZZ_SEED_EVERY=6
	$(MAKE) fuzz-ttf FUZZ_SECONDS=$(CHECK_FUZZ_SECONDS)

# The end-to-end tests again, with AddressSanitizer and UBSan (a build of
# its own in build/asan; fontconfig's caches, which librsvg's text keeps
# to the end, are not counted as leaks: tests/lsan.supp), and the book
# under valgrind: no error, nothing definitely lost.
SAN_FLAGS = -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all
ASAN_OBJS = $(SRCS:src/%.c=build/asan/%.o) $(CXXSRCS:src/%.cc=build/asan/%.o)

build/asan/%.o: src/%.c $(wildcard src/*.h) | build/.deps-ok
	@mkdir -p build/asan
	$(CC) $(WARN) $(DEFS) $(PKG_CFLAGS) $(SAN_FLAGS) -c $< -o $@

build/asan/%.o: src/%.cc $(wildcard src/*.h) | build/.deps-ok
	@mkdir -p build/asan
	$(CXX) $(CXXWARN) $(DEFS) $(PKG_CFLAGS) $(SAN_FLAGS) -c $< -o $@

build/asan/folio: $(ASAN_OBJS)
	$(CXX) $(SAN_FLAGS) -o $@ $(ASAN_OBJS) $(LIBS)

check-asan: deps-check build/asan/folio
	FOLIO_ACE=0 ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
		LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
		FOLIO_DATADIR=$(CURDIR) FOLIO=build/asan/folio bash tests/run.sh

check-valgrind: deps-check folio
	rm -rf build/valgrind
	valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite \
		--show-leak-kinds=definite ./folio build manuscript -o build/valgrind

figures:
	python3 tools/figures.py

install: folio
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/styles/highlight \
		$(DESTDIR)$(DATADIR)/fonts $(DESTDIR)$(DATADIR)/icc \
		$(DESTDIR)$(MANDIR)/man1
	install -m 755 folio $(DESTDIR)$(BINDIR)/folio
	install -m 644 styles/*.ini $(DESTDIR)$(DATADIR)/styles
	install -m 644 styles/highlight/*.lang $(DESTDIR)$(DATADIR)/styles/highlight
	install -m 644 fonts/*.ttf fonts/*.otf fonts/*.txt $(DESTDIR)$(DATADIR)/fonts
	install -m 644 icc/sRGB.icc icc/LICENSE $(DESTDIR)$(DATADIR)/icc
	install -m 644 folio.1 $(DESTDIR)$(MANDIR)/man1/folio.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/folio $(DESTDIR)$(MANDIR)/man1/folio.1
	rm -rf $(DESTDIR)$(DATADIR)

clean:
	rm -rf build folio

# libFuzzer on the whole pipeline (clang): FUZZ_SECONDS of fuzzing, seeded
# with the test cases and the CommonMark spec's examples; a crash is saved
# in build/fuzz/ and fails the target.
FUZZ_SECONDS ?= 60
# make check's share, longer runs by hand; make check seeds with every
# 6th seed (each run sets a whole book: loading them all took 50 s)
CHECK_FUZZ_SECONDS ?= 20
FUZZ_SEED_EVERY ?= 1
# fontconfig's caches (librsvg's text, the fallback fonts) live to the end
FUZZ_ENV = LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0
FUZZ_CFLAGS = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_OBJFLAGS = -g -O1 -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
FUZZ_CXXOBJS = $(CXXSRCS:src/%.cc=build/fuzz/%.o)
# the library's objects once for every target, compiled in parallel
FUZZ_OBJS = $(filter-out build/fuzz/main.o,$(SRCS:src/%.c=build/fuzz/%.o)) \
	$(FUZZ_CXXOBJS)
build/fuzz/%.o: src/%.cc $(wildcard src/*.h)
	@mkdir -p build/fuzz
	clang++ $(CXXWARN) $(DEFS) $(PKG_CFLAGS) $(FUZZ_OBJFLAGS) -c $< -o $@

build/fuzz/%.o: src/%.c $(wildcard src/*.h)
	@mkdir -p build/fuzz
	clang $(WARN) $(DEFS) $(PKG_CFLAGS) $(FUZZ_OBJFLAGS) -c $< -o $@

build/fuzz/fuzz_build: tests/fuzz/fuzz_build.c $(FUZZ_OBJS) $(wildcard src/*.h)
	@mkdir -p build/fuzz
	clang++ $(WARN) $(DEFS) $(PKG_CFLAGS) $(FUZZ_CFLAGS) -DFOLIO_ROOT='"$(CURDIR)"' \
		-iquote src -o $@ -x c tests/fuzz/fuzz_build.c -x none $(FUZZ_OBJS) $(LIBS)

fuzz: build/fuzz/fuzz_build
	@mkdir -p build/fuzz/corpus build/fuzz/seeds
	@sh tests/fuzz/seeds.sh build/fuzz/seeds $(FUZZ_SEED_EVERY)
	cd build/fuzz && $(FUZZ_ENV) ./fuzz_build -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
		-rss_limit_mb=2048 -max_len=65536 corpus seeds

# libFuzzer on the font validator (clang): what ttf_check accepts is
# loaded, shaped and subset by HarfBuzz.  Seeded with the fonts folio
# ships and small subsets of them and of DejaVu Serif and Noto CJK (an
# OpenType/CFF collection), whichever are installed; the first byte of an
# input picks the face.  A crash is saved in build/fuzz/ and fails the
# target.
TTF_SEED_FONTS = $(wildcard fonts/*.ttf \
	/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf \
	/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc)
HB_LIBS = $(shell pkg-config --libs harfbuzz-subset harfbuzz 2>/dev/null)
build/fuzz/fuzz_ttf: tests/fuzz/fuzz_ttf.c src/ttf.c src/ttf.h
	@mkdir -p build/fuzz
	clang $(WARN) $(DEFS) $(PKG_CFLAGS) $(FUZZ_CFLAGS) -iquote src -o $@ \
		tests/fuzz/fuzz_ttf.c src/ttf.c $(HB_LIBS)

build/fuzz/ttf_seeds: tests/fuzz/ttf_seeds.c
	@mkdir -p build/fuzz
	$(CC) $(WARN) $(DEFS) $(PKG_CFLAGS) $(CFLAGS) -o $@ \
		tests/fuzz/ttf_seeds.c $(HB_LIBS)

fuzz-ttf: build/fuzz/fuzz_ttf build/fuzz/ttf_seeds
	@mkdir -p build/fuzz/ttf-corpus build/fuzz/ttf-seeds
	build/fuzz/ttf_seeds build/fuzz/ttf-seeds $(TTF_SEED_FONTS)
	cd build/fuzz && $(FUZZ_ENV) ./fuzz_ttf -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
		-rss_limit_mb=2048 -max_len=1048576 ttf-corpus ttf-seeds

# libFuzzer on style files (clang): the input is a manuscript's style,
# read by style_load (its fonts the ones folio ships); a style that loads
# sets a small book in both editions.  Seeded with the shipped styles, with
# a dictionary of the keys and values.  Not part of make check.
build/fuzz/fuzz_style: tests/fuzz/fuzz_style.c $(FUZZ_OBJS) $(wildcard src/*.h)
	@mkdir -p build/fuzz
	clang++ $(WARN) $(DEFS) $(PKG_CFLAGS) $(FUZZ_CFLAGS) -DFOLIO_ROOT='"$(CURDIR)"' \
		-iquote src -o $@ -x c tests/fuzz/fuzz_style.c -x none $(FUZZ_OBJS) $(LIBS)

fuzz-style: build/fuzz/fuzz_style
	@mkdir -p build/fuzz/style-corpus build/fuzz/style-seeds
	cp styles/*.ini build/fuzz/style-seeds/
	cd build/fuzz && $(FUZZ_ENV) ./fuzz_style -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
		-rss_limit_mb=2048 -max_len=8192 -dict=$(CURDIR)/tests/fuzz/style.dict \
		style-corpus style-seeds

# libFuzzer on --since (clang): the input is a previous edition's EPUB,
# compared with a small fixed book and set as its changes page.  Seeded
# with e-books folio makes of tests/cases, without fonts and pictures
# (tests/fuzz/since_seeds.sh).  Not part of make check.
build/fuzz/fuzz_since: tests/fuzz/fuzz_since.c $(FUZZ_OBJS) $(wildcard src/*.h)
	@mkdir -p build/fuzz
	clang++ $(WARN) $(DEFS) $(PKG_CFLAGS) $(FUZZ_CFLAGS) -DFOLIO_ROOT='"$(CURDIR)"' \
		-iquote src -o $@ -x c tests/fuzz/fuzz_since.c -x none $(FUZZ_OBJS) $(LIBS)

fuzz-since: build/fuzz/fuzz_since folio
	@mkdir -p build/fuzz/since-corpus build/fuzz/since-seeds
	sh tests/fuzz/since_seeds.sh ./folio build/fuzz/since-seeds
	cd build/fuzz && $(FUZZ_ENV) ./fuzz_since -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
		-rss_limit_mb=2048 -max_len=262144 since-corpus since-seeds

# Build time and memory on a ~900-page book (see tools/bench.sh).
bench: folio
	bash tools/bench.sh

# folio's typography against pandoc + pdflatex on the same text and page
# (see tools/compare-tex.sh; needs texlive-latex-base,
# texlive-latex-recommended, texlive-fonts-recommended and lmodern).
SOURCE ?= manuscript
STYLE ?= styles/book.ini
compare-tex: folio
	bash tools/compare-tex.sh $(SOURCE) $(STYLE)
