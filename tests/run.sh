#!/usr/bin/env bash
# End-to-end tests of folio. From the repository root:
#
#     bash tests/run.sh
#
# The binary is $FOLIO (default ./folio). One line per test: "ok NAME",
# "FAIL NAME: reason (kept: DIR)" or "skip NAME (reason)"; the last line is
# "N passed, N failed, N skipped" and the exit code is 1 if anything failed.
# The files of a failing test are kept under tests/failures/ (or $FOLIO_KEEP).
# See tests/README.md for what each part checks.

set -u

ORIG_PWD=$PWD
TESTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$TESTS")

# $FOLIO: absolute, relative to where the runner was started, or a name
# on $PATH; by default the repository's ./folio.
FOLIO=${FOLIO:-$ROOT/folio}
case $FOLIO in
/*) ;;
*/*) FOLIO=$ORIG_PWD/$FOLIO ;;
*) FOLIO=$(command -v "$FOLIO" 2>/dev/null || printf '%s' "$ORIG_PWD/$FOLIO") ;;
esac

cd "$ROOT" || exit 1

WORK=$(mktemp -d "${TMPDIR:-/tmp}/folio-tests.XXXXXX") || exit 1
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

if [ -n "${FOLIO_KEEP:-}" ]; then
    KEEP=$FOLIO_KEEP
else
    KEEP=$TESTS/failures
    rm -rf "$KEEP"
fi
FOLIO_RESULTS=$WORK/results
: >"$FOLIO_RESULTS"
export TESTS WORK FOLIO KEEP FOLIO_RESULTS

# shellcheck source=tests/lib.sh
. "$TESTS/lib.sh"
. "$TESTS/ace.sh"
. "$TESTS/a11y.sh"

SDE=1700000000 # SOURCE_DATE_EPOCH of the determinism test

# ------------------------------------------------------------- helpers

# need NAME TOOL...: skip NAME (and return 1) if a tool is missing.

# files_in DIR: the files under DIR, relative, sorted, one a line.
files_in() {
    (cd "$1" 2>/dev/null && find . -mindepth 1 \( -type f -o -type l \) | sed 's|^\./||' | LC_ALL=C sort)
}

# chapters SRC: the Markdown files of a source (folder or file).
chapters() {
    if [ -d "$1" ]; then
        find "$1" -maxdepth 1 -type f -name '*.md' | LC_ALL=C sort
    else
        printf '%s\n' "$1"
    fi
}

# check_warnings NAME ERRFILE EXPECTFILE: each regex line of EXPECTFILE
# matches a line of ERRFILE; a line "!REGEX" must match none. Without
# EXPECTFILE: no error and none of the contract's warnings (raw HTML, a
# missing image, a broken link), which would be false ones on a clean book.
check_warnings() {
    local name=$1 err=$2 exp=${3:-} re bad=""
    if [ -z "$exp" ]; then
        # (a picture's resolution for print is a fact, not a false alarm)
        if grep -Ei 'error: |warning: .*(link|image|html)' "$err" | grep -vq ' dpi at its size'; then
            fail "$name" "unexpected diagnostics: $(grep -Ei 'error: |warning: .*(link|image|html)' "$err" | grep -v ' dpi at its size' | head -n 3 | tr '\n' ' ' | cut -c1-300)" "$err"
        else
            pass "$name"
        fi
        return
    fi
    while IFS= read -r re || [ -n "$re" ]; do
        [ -z "$re" ] && continue
        case $re in
        '!'*) grep -Eq -e "${re#!}" "$err" && bad="$bad; unexpected /${re#!}/" ;;
        *) grep -Eq -e "$re" "$err" || bad="$bad; no line matches /$re/" ;;
        esac
    done <"$exp"
    if [ -n "$bad" ]; then
        fail "$name" "${bad#; } -- stderr: $(first_lines "$err" 4)" "$err"
    else
        pass "$name"
    fi
}

# check_headings NAME EPUBTEXT SOURCE...: the text of every top-level
# level-1 heading of the sources is in the EPUB's text.
check_headings() {
    local name=$1 txt=$2 d f miss
    shift 2
    d=$(mktemp -d "$WORK/h1.XXXXXX")
    for f in "$@"; do
        strip_front_matter "$f" |
            pandoc -f commonmark -t plain --wrap=none --lua-filter "$TESTS/tools/h1.lua"
        echo
    done | normalize >"$d/headings"
    normalize <"$txt" | tr '\n' ' ' >"$d/stream"
    miss=$(awk 'NR == FNR { s = " " $0 " "; next }
                index(s, " " $0 " ") == 0 { print }' "$d/stream" "$d/headings")
    if [ ! -s "$d/headings" ]; then
        fail "$name" "no level-1 heading found in the sources"
    elif [ -n "$miss" ]; then
        fail "$name" "headings missing from the EPUB text: $(printf '%s' "$miss" | tr '\n' '|' | cut -c1-300)" "$d/headings" "$txt"
    else
        pass "$name"
    fi
}

# check_outputs NAME PDF EPUB SRC...: the oracles every good build meets.
check_outputs() {
    local name=$1 pdf=$2 epub=$3 d msg
    shift 3
    d=$(dirname "$pdf")

    if need "$name: qpdf --check" qpdf; then
        if qpdf_ok "$pdf" "$d/qpdf.log"; then pass "$name: qpdf --check"; else
            fail "$name: qpdf --check" "$(first_lines "$d/qpdf.log")" "$d/qpdf.log" "$pdf"
        fi
    fi
    if need "$name: fonts embedded" pdffonts; then
        if fonts_ok "$pdf" "$d/pdffonts.log"; then pass "$name: fonts embedded"; else
            fail "$name: fonts embedded" "$(tail -n 1 "$d/pdffonts.log")" "$d/pdffonts.log" "$pdf"
        fi
    fi
    # Poppler's complaints while reading the PDF (pdffonts, pdftotext).
    if need "$name: pdf read by poppler without complaint" pdffonts pdftotext; then
        pdftotext "$pdf" /dev/null 2>"$d/poppler.err"
        cat "$d/pdffonts.log.stderr" >>"$d/poppler.err" 2>/dev/null
        if grep -Eq '(Syntax|Internal|Command Line|I/O) (Error|Warning)|^Error' "$d/poppler.err"; then
            fail "$name: pdf read by poppler without complaint" "$(sort "$d/poppler.err" | uniq -c | sort -rn | head -n 2 | tr -s ' ' | tr '\n' ' ' | cut -c1-300)" "$d/poppler.err" "$pdf"
        else
            pass "$name: pdf read by poppler without complaint"
        fi
    fi
    if need "$name: epubcheck" epubcheck; then
        if epubcheck_ok "$epub" "$d/epubcheck.log"; then pass "$name: epubcheck"; else
            fail "$name: epubcheck" "$(epubcheck_summary "$d/epubcheck.log")" "$d/epubcheck.log" "$epub"
        fi
    fi
    if need "$name: epub mimetype" unzip; then
        if msg=$(epub_mimetype_ok "$epub"); then pass "$name: epub mimetype"; else
            fail "$name: epub mimetype" "$msg" "$epub"
        fi
    fi
    check_edition_words "$name" "$d" "$pdf" "$epub" "$@"
}

# build_case NAME SRC [FOLIO OPTIONS...]: builds SRC to $WORK/NAME/out.pdf and
# out.epub; reports "NAME: build". Returns 1 if there is nothing to check.
# Sets CASE_DIR, CASE_PDF, CASE_EPUB.
build_case() {
    local name=$1 src=$2
    shift 2
    CASE_DIR=$WORK/case/$(printf '%s' "$name" | tr -c 'A-Za-z0-9._-' '_')
    mkdir -p "$CASE_DIR"
    CASE_PDF=$CASE_DIR/out.pdf
    CASE_EPUB=$CASE_DIR/out.epub
    run_folio "$CASE_DIR/build" build "$src" --pdf "$CASE_PDF" --epub "$CASE_EPUB" "$@"
    if [ "$rc" -ne 0 ]; then
        fail "$name: build" "exit $rc: $(first_lines "$CASE_DIR/build.err")" "$CASE_DIR/build.err"
        return 1
    fi
    if [ ! -s "$CASE_PDF" ] || [ ! -s "$CASE_EPUB" ]; then
        fail "$name: build" "exit 0 but the PDF or the EPUB is missing or empty" "$CASE_DIR/build.err"
        return 1
    fi
    pass "$name: build"
    return 0
}

# opf EPUB: the package document(s) of an EPUB.
opf() { unzip -p "$1" '*.opf' 2>/dev/null; }

# check_metadata NAME TITLE AUTHOR LANG: PDF Info and EPUB package carry them.
check_metadata() {
    local name=$1 title=$2 author=$3 lang=$4 bad=""
    local t
    t=$(pdfinfo -enc UTF-8 "$CASE_PDF" 2>/dev/null | sed -n 's/^Title: *//p')
    [ "$t" = "$title" ] || bad="$bad; pdfinfo Title is '$t', not '$title'"
    if ! pdfinfo -enc UTF-8 "$CASE_PDF" 2>/dev/null | grep '^Author:' | grep -Fq "$author"; then
        bad="$bad; pdfinfo Author lacks '$author'"
    fi
    opf "$CASE_EPUB" >"$CASE_DIR/package.opf"
    grep -Eq "<dc:title[^>]*>[^<]*$title" "$CASE_DIR/package.opf" || bad="$bad; no dc:title '$title'"
    grep -Eq "<dc:creator[^>]*>[^<]*$author" "$CASE_DIR/package.opf" || bad="$bad; no dc:creator '$author'"
    grep -Eq "<dc:language[^>]*>$lang<" "$CASE_DIR/package.opf" || bad="$bad; no dc:language '$lang'"
    if [ -n "$bad" ]; then
        fail "$name: metadata" "${bad#; }" "$CASE_DIR/package.opf" "$CASE_PDF"
    else
        pass "$name: metadata"
    fi
}

# ------------------------------------------------------------- unit tests

run_unit_tests() {
    local t n=0
    for t in build/unit/test_*; do
        if [ ! -f "$t" ] || [ ! -x "$t" ]; then continue; fi
        n=$((n + 1))
        (timeout "$FOLIO_TIMEOUT" "$t" >"$WORK/unit.log" 2>&1) 2>/dev/null
        rc=$?
        if [ "$rc" -eq 0 ]; then
            pass "unit: ${t##*/}"
        else
            cp "$WORK/unit.log" "$WORK/${t##*/}.log"
            fail "unit: ${t##*/}" "exit $rc: $(tail -n 3 "$WORK/unit.log" | tr '\n' ' ' | cut -c1-300)" "$WORK/${t##*/}.log"
        fi
    done
}

# ------------------------------------------------------------- oracles

check_oracles() {
    local t miss=""
    for t in java qpdf pdftotext pdffonts pdfinfo pdfimages pandoc unzip zipinfo timeout cmp; do
        have "$t" || miss="$miss $t"
    done
    [ -n "$EPUBCHECK_JAR" ] || miss="$miss epubcheck"
    if [ -n "$miss" ]; then
        fail "oracles installed" "missing:$miss (Debian: default-jre-headless epubcheck qpdf poppler-utils pandoc unzip)"
    else
        pass "oracles installed"
    fi
}

# ------------------------------------------------------------- command line

test_cli() {
    run_folio "$WORK/help" --help
    if [ "$rc" -eq 0 ] && grep -q build "$WORK/help.out"; then
        pass "cli: --help"
    else
        fail "cli: --help" "exit $rc, stdout mentions build: $(grep -c build "$WORK/help.out") line(s)" "$WORK/help.out" "$WORK/help.err"
    fi
    run_folio "$WORK/version" --version
    if [ "$rc" -eq 0 ] && grep -q '[0-9]' "$WORK/version.out"; then
        pass "cli: --version"
    else
        fail "cli: --version" "exit $rc, stdout: $(first_lines "$WORK/version.out" 1)" "$WORK/version.out" "$WORK/version.err"
    fi
}

# ------------------------------------------------------------- good cases

test_case_book() {
    local name=cases/book src=tests/cases/book
    build_case "$name" "$src" || return
    check_warnings "$name: no false warnings" "$CASE_DIR/build.err"
    local -a ch
    mapfile -t ch < <(chapters "$src")
    check_outputs "$name" "$CASE_PDF" "$CASE_EPUB" "${ch[@]}"
    [ -f "$CASE_DIR/epub.txt" ] && check_headings "$name: chapter headings in epub" "$CASE_DIR/epub.txt" "${ch[@]}"
    check_metadata "$name" "Cases: Every Construct" "Ada Tester" en
    check_pagelist "$name" "$CASE_PDF" "$CASE_EPUB"
    check_a11y "$name" "$CASE_EPUB"
    test_typography "$CASE_PDF" book "$name" "${ch[@]}"

    # The three pictures reach the PDF (a 96x64 PNG, a 64x48 JPEG, a 16x16 PNG)
    # and the EPUB.
    local list bad=""
    list=$(pdfimages -list "$CASE_PDF" 2>/dev/null | awk 'NR > 2 && $3 == "image" { print $4 "x" $5, $9 }')
    printf '%s\n' "$list" | grep -q '^96x64 ' || bad="$bad; no 96x64 image"
    printf '%s\n' "$list" | grep -q '^64x48 jpeg$' || bad="$bad; no 64x48 JPEG (DCT) image"
    printf '%s\n' "$list" | grep -q '^16x16 ' || bad="$bad; no 16x16 image"
    if [ -n "$bad" ]; then
        fail "$name: images in pdf" "${bad#; } (pdfimages: $(printf '%s' "$list" | tr '\n' ',' | cut -c1-200))" "$CASE_PDF"
    else
        pass "$name: images in pdf"
    fi
    bad=""
    unzip -Z1 "$CASE_EPUB" | grep -Eqi '\.png$' || bad="$bad; no PNG in the EPUB"
    unzip -Z1 "$CASE_EPUB" | grep -Eqi '\.jpe?g$' || bad="$bad; no JPEG in the EPUB"
    unzip -p "$CASE_EPUB" '*.xhtml' '*.html' '*.htm' 2>/dev/null >"$CASE_DIR/all.xhtml"
    grep -Eq '<img[^>]*alt="A photograph of a sunny sky"' "$CASE_DIR/all.xhtml" || bad="$bad; no <img> with the JPEG's alt text"
    if [ -n "$bad" ]; then fail "$name: images in epub" "${bad#; }" "$CASE_EPUB"; else pass "$name: images in epub"; fi

    # Links: external ones are URI annotations in the PDF and <a href> in the
    # EPUB; links between and within chapters point at an anchor.
    bad=""
    if qpdf --qdf --object-streams=disable "$CASE_PDF" "$CASE_DIR/out.qdf" >/dev/null 2>&1; then
        for u in https://example.com/inline https://example.com/reference mailto:someone@example.com mailto:postmaster@example.org; do
            grep -aFq "($u)" "$CASE_DIR/out.qdf" || bad="$bad; no PDF link to $u"
        done
        grep -aEq '/Dest|/S */GoTo' "$CASE_DIR/out.qdf" || bad="$bad; no internal link in the PDF"
    else
        bad="$bad; qpdf --qdf failed"
    fi
    grep -Eq '<a [^>]*href="https://example.com/inline"' "$CASE_DIR/all.xhtml" || bad="$bad; no EPUB link to https://example.com/inline"
    grep -Eq '<a [^>]*href="[^"#]*#[^"]+"[^>]*>see the lists chapter</a>' "$CASE_DIR/all.xhtml" || bad="$bad; no EPUB link with a fragment for 'see the lists chapter'"
    grep -Eq '<a [^>]*href="[^"]*#[^"]+"[^>]*>back to the links section</a>' "$CASE_DIR/all.xhtml" || bad="$bad; no EPUB link with a fragment for 'back to the links section'"
    grep -Eq '<a [^>]*href="[^"]+"[^>]*>the code chapter</a>' "$CASE_DIR/all.xhtml" || bad="$bad; no EPUB link for 'the code chapter'"
    if [ -n "$bad" ]; then fail "$name: links" "${bad#; }" "$CASE_DIR/all.xhtml" "$CASE_PDF"; else pass "$name: links"; fi
}

test_cases_single() {
    local f name
    for f in tests/cases-single/*.md; do
        [ -f "$f" ] || continue
        name=cases-single/${f##*/}
        build_case "$name" "$f" || continue
        check_warnings "$name: no false warnings" "$CASE_DIR/build.err"
        check_outputs "$name" "$CASE_PDF" "$CASE_EPUB" "$f"
        if [ "${f##*/}" = with-front-matter.md ]; then
            check_metadata "$name" "My Notes" "Jane Q. Writer" en
        fi
    done
}

# The book built with each style sheet of the project.
test_styles() {
    local s name
    local -a ch
    for s in styles/*.ini; do
        [ -f "$s" ] || continue
        name="cases/book -s ${s##*/}"
        build_case "$name" tests/cases/book -s "$s" || continue
        check_warnings "$name: no false warnings" "$CASE_DIR/build.err"
        mapfile -t ch < <(chapters tests/cases/book)
        check_outputs "$name" "$CASE_PDF" "$CASE_EPUB" "${ch[@]}"
    done
}

test_cases_html() {
    local f name
    for f in tests/cases-html/*.md; do
        [ -f "$f" ] || continue
        name=cases-html/${f##*/}
        build_case "$name" "$f" || continue
        if [ -f "${f%.md}.expect-warnings" ]; then
            check_warnings "$name: warnings" "$CASE_DIR/build.err" "${f%.md}.expect-warnings"
        else
            check_warnings "$name: warnings" "$CASE_DIR/build.err" /dev/null
        fi
        check_outputs "$name" "$CASE_PDF" "$CASE_EPUB" "$f"
        unzip -p "$CASE_EPUB" >"$CASE_DIR/all-entries" 2>/dev/null
        local bad=""
        grep -aiq '<script' "$CASE_DIR/all-entries" && bad="$bad; <script in the EPUB"
        grep -aq 'alert(' "$CASE_DIR/all-entries" && bad="$bad; alert( in the EPUB"
        grep -aq 'document.write' "$CASE_DIR/all-entries" && bad="$bad; document.write in the EPUB"
        grep -aiq 'onerror' "$CASE_DIR/all-entries" && bad="$bad; onerror in the EPUB"
        if [ -f "$CASE_DIR/pdf.txt" ] && grep -Eq 'alert|document\.write|<script' "$CASE_DIR/pdf.txt"; then
            bad="$bad; raw HTML text in the PDF"
        fi
        if [ -n "$bad" ]; then fail "$name: raw HTML dropped" "${bad#; }" "$CASE_EPUB" "$CASE_PDF"; else pass "$name: raw HTML dropped"; fi
    done
}

test_cases_warn() {
    local d name
    local -a ch
    for d in tests/cases-warn/*/; do
        d=${d%/}
        [ -d "$d" ] || continue
        name=cases-warn/${d##*/}
        build_case "$name" "$d" || continue
        check_warnings "$name: warnings" "$CASE_DIR/build.err" "$d.expect-warnings"
        mapfile -t ch < <(chapters "$d")
        check_outputs "$name" "$CASE_PDF" "$CASE_EPUB" "${ch[@]}"
    done
}

# ------------------------------------------------------------- page-list

# check_pagelist NAME PDF EPUB: the e-book marks every print page where
# its text begins (tests/pagelist.sh).
check_pagelist() {
    if bash "$TESTS/pagelist.sh" "$2" "$3" >"$WORK/pagelist.log" 2>&1; then
        pass "$1: page-list matches the print pages"
    else
        fail "$1: page-list matches the print pages" "$(first_lines "$WORK/pagelist.log" 2)" "$2" "$3" "$WORK/pagelist.log"
    fi
}

# check_named_dests NAME PDF EPUB: every heading id of the e-book names a
# destination in the PDF (the catalog's /Dests), so one id serves both.
check_named_dests() {
    local qdf=$WORK/dests.qdf ids missing=
    if ! qpdf --qdf --object-streams=disable "$2" "$qdf" >/dev/null 2>&1; then
        fail "$1: heading ids are PDF destinations" "qpdf --qdf failed" "$2"
        return
    fi
    ids=$(unzip -p "$3" '*.xhtml' | grep -o '<h[1-6] id="[A-Za-z0-9_-]*"' | sed 's/.*id="//; s/"$//')
    for id in $ids; do
        grep -aq -- "^ */$id [0-9]* 0 R" "$qdf" || missing="$missing $id"
    done
    if [ -z "$ids" ]; then
        fail "$1: heading ids are PDF destinations" "no heading ids in the EPUB" "$3"
    elif [ -n "$missing" ]; then
        fail "$1: heading ids are PDF destinations" "not in the PDF's /Dests:$(printf '%s' "$missing" | cut -c1-200)" "$2"
    else
        pass "$1: heading ids are PDF destinations"
    fi
}

# ------------------------------------------------------------- typography

# check_typo NAME CHECK PDF ARGS...: one rule of tests/typography.sh.
check_typo() {
    local name=$1
    shift
    if bash "$TESTS/typography.sh" "$@" >"$WORK/typo.log" 2>&1; then
        pass "$name"
    else
        fail "$name" "$(first_lines "$WORK/typo.log" 3)" "$2" "$WORK/typo.log"
    fi
}

# The book style (styles/book.ini: 6 x 9 in, margins inner 0.85 in,
# outer 0.65 in, top 0.75 in, bottom 0.85 in, two-sided, contents) and the
# handout style (US Letter, 1 in sides, 0.9 in top and bottom, one-sided).
test_typography() {
    local pdf=$1 style=$2 name=$3
    shift 3
    if [ "$style" = book ]; then
        check_typo "$name: page size is the style's" size "$pdf" 432 648
        check_typo "$name: contents numbers are the headings' pages" toc "$pdf"
        check_typo "$name: no word outside the text block" block "$pdf" 61.2 46.8 yes
        check_typo "$name: no page ends with a heading" heads "$pdf" 54 61.2 "$@"
    else
        check_typo "$name: page size is the style's" size "$pdf" 612 792
        check_typo "$name: no word outside the text block" block "$pdf" 72 72 no
        check_typo "$name: no page ends with a heading" heads "$pdf" 64.8 64.8 "$@"
    fi
    check_typo "$name: page labels roman, then arabic" labels "$pdf"
    check_typo "$name: at most two hyphenated lines in a row" hyphens "$pdf"
}

# A figure too tall for the rest of its page floats to the next one, and
# the text after it fills the gap: "After 7" is on the page before the
# figure's caption, which opens the next page.
test_float() {
    local dir=$WORK/float name="typography: a figure floats, text fills the gap" i pcap pafter
    mkdir -p "$dir/images"
    cp manuscript/images/trade.png "$dir/images/"
    {
        echo "# Floating"
        for i in 1 2 3 4 5 6; do
            printf '\nParagraph %s of running text that goes on for a while so that the page fills up with several lines of words, and then some more words to make it longer.\n' "$i"
        done
        printf '\n![A chart](images/trade.png "A chart that floats")\n'
        for i in 7 8 9 10 11 12; do
            printf '\nAfter %s: more running text that follows the figure in the source.\n' "$i"
        done
    } >"$dir/01-float.md"
    run_folio "$dir/build" build "$dir" --pdf "$dir/f.pdf"
    if [ "$rc" -ne 0 ]; then
        fail "$name" "exit $rc" "$dir/build.err"
        return
    fi
    pcap=$(for i in $(seq 1 "$(pdfinfo "$dir/f.pdf" | awk '/^Pages:/ { print $2 }')"); do
        pdftotext -raw -f "$i" -l "$i" "$dir/f.pdf" - 2>/dev/null | grep -q 'A chart that floats' && echo "$i"; done | head -1)
    pafter=$(for i in $(seq 1 20); do
        pdftotext -raw -f "$i" -l "$i" "$dir/f.pdf" - 2>/dev/null | grep -q 'After 7:' && echo "$i"; done | head -1)
    first=$(pdftotext -raw -f "${pcap:-1}" -l "${pcap:-1}" "$dir/f.pdf" - 2>/dev/null | head -1)
    if [ -n "$pcap" ] && [ -n "$pafter" ] && [ "$pafter" -lt "$pcap" ] && printf '%s' "$first" | grep -q 'Figure 1'; then
        pass "$name"
    else
        fail "$name" "caption on page ${pcap:-none} (first line '$first'), 'After 7' on page ${pafter:-none}" "$dir/f.pdf"
    fi
}

# ------------------------------------------------------------- the book

test_manuscript() {
    local name=manuscript src=manuscript
    if [ ! -d "$src" ] || [ -z "$(chapters "$src")" ]; then
        skip "$name" "no manuscript/ with chapters yet"
        return
    fi
    build_case "$name" "$src" || return
    check_warnings "$name: no false warnings" "$CASE_DIR/build.err"
    local -a ch
    mapfile -t ch < <(chapters "$src")
    check_outputs "$name" "$CASE_PDF" "$CASE_EPUB" "${ch[@]}"
    check_pagelist "$name" "$CASE_PDF" "$CASE_EPUB"
    check_a11y "$name" "$CASE_EPUB"
    check_named_dests "$name" "$CASE_PDF" "$CASE_EPUB"
    test_typography "$CASE_PDF" book "$name" "${ch[@]}"
    if "$FOLIO" build "$src" -s handout --pdf "$CASE_DIR/handout.pdf" >"$CASE_DIR/handout.log" 2>&1; then
        test_typography "$CASE_DIR/handout.pdf" handout "$name -s handout" "${ch[@]}"
    else
        fail "$name -s handout: build" "$(first_lines "$CASE_DIR/handout.log" 2)" "$CASE_DIR/handout.log"
    fi
    if [ -f "$CASE_DIR/epub.txt" ]; then
        check_headings "$name: chapter headings in epub" "$CASE_DIR/epub.txt" "${ch[@]}"
    else
        skip "$name: chapter headings in epub" "no EPUB text"
    fi
}

# ------------------------------------------------------------- bad inputs
#
# tests/bad/NAME.expect: line 1 the exit code, line 2 an extended regex that
# stderr must match. The source is NAME.md, NAME.md.printf (a printf format
# written to NAME.md: for bytes that are awkward to commit) or the folder
# NAME/ (whose *.printf files are expanded the same way). NAME.args, if
# present, is the command line after "folio" (default: build @SRC@ -o @OUT@)
# with @SRC@ the source, @OUT@ an output folder, @DIR@ and @TMP@ the
# case's scratch folder (which also holds the case's other NAME.* files),
# @EMPTYDIR@ a new empty folder named NAME and @GOOD@ a valid manuscript.
# A failed run must leave no file in @OUT@.

expand_printf() {
    local f
    find "$1" -type f -name '*.printf' | while IFS= read -r f; do
        # shellcheck disable=SC2059
        printf "$(cat "$f")" >"${f%.printf}"
        rm -f "$f"
    done
}

test_bad() {
    local exp name w src args code re a out i
    local -a argv toks
    for exp in tests/bad/*.expect; do
        [ -f "$exp" ] || continue
        name=${exp##*/}
        name=${name%.expect}
        w=$WORK/bad/$name
        mkdir -p "$w"
        for i in tests/bad/"$name".*; do
            case $i in *.expect | *.args) continue ;; esac
            [ -f "$i" ] && cp "$i" "$w/"
        done
        src=""
        if [ -d "tests/bad/$name" ]; then
            cp -R "tests/bad/$name" "$w/$name"
            src=$w/$name
        fi
        expand_printf "$w"
        [ -z "$src" ] && [ -f "$w/$name.md" ] && src=$w/$name.md
        printf '# Good\n\nA valid manuscript.\n' >"$w/good.md"
        out=$w/out

        if [ -f "tests/bad/$name.args" ]; then
            args=$(head -n 1 "tests/bad/$name.args")
        else
            args='build @SRC@ -o @OUT@'
        fi
        argv=()
        read -r -a toks <<<"$args"
        for a in ${toks[@]+"${toks[@]}"}; do
            case $a in *@EMPTYDIR@*) mkdir -p "$w/$name" ;; esac
            a=${a//@SRC@/$src}
            a=${a//@OUT@/$out}
            a=${a//@DIR@/$w}
            a=${a//@TMP@/$w}
            a=${a//@EMPTYDIR@/$w/$name}
            a=${a//@GOOD@/$w/good.md}
            argv+=("$a")
        done
        code=$(sed -n 1p "$exp")
        re=$(sed -n 2p "$exp")

        run_folio "$w/run" "${argv[@]}"
        if [ "$rc" != "$code" ]; then
            fail "bad: $name" "exit $rc, expected $code; stderr: $(first_lines "$w/run.err" 2)" "$w/run.err" "$w/run.out"
        elif ! grep -Eq -e "$re" "$w/run.err"; then
            fail "bad: $name" "stderr does not match /$re/: $(first_lines "$w/run.err" 2)" "$w/run.err"
        elif [ -n "$(files_in "$out")" ]; then
            fail "bad: $name" "the failed run left files in the output folder: $(files_in "$out" | tr '\n' ' ')" "$out"
        else
            pass "bad: $name"
        fi
    done
}

# ------------------------------------------------------------- pathological
#
# Input no one writes on purpose: thousands of nested quotes and lists, a
# 100,000-character word and, with FOLIO_HEAVY=1 (make check's first run),
# a 50 MB chapter. Each builds: exit 0, qpdf and EPUBCheck clean.
test_pathological() {
    local d=$WORK/patho name i
    mkdir -p "$d"
    awk 'BEGIN { for (i = 0; i < 5000; i++) printf "> "; print "deep" }' >"$d/deep-quotes.md"
    awk 'BEGIN { for (i = 0; i < 3000; i++) { for (j = 0; j < i; j++) printf "  "; print "- item " i } }' >"$d/deep-lists.md"
    awk 'BEGIN { for (i = 0; i < 100000; i++) printf "%c", 97 + i % 26; print "" }' >"$d/long-word.md"
    if [ "${FOLIO_HEAVY:-}" = 1 ]; then
        # varied paragraphs to 50 MB: words cycle at different rates
        awk 'BEGIN {
            split("alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima", w, " ")
            print "# Fifty megabytes\n"
            for (n = 0; n < 52428800; ) {
                line = ""
                for (i = 0; i < 120; i++) { k++; line = line w[1 + (k * 7 + int(k / 13)) % 12] " " }
                print line "\n"; n += length(line) + 2
            }
        }' >"$d/fifty-megabytes.md"
    fi
    for f in "$d"/*.md; do
        name="pathological: ${f##*/}"
        FOLIO_TIMEOUT=600 run_folio "$d/run" build "$f" --pdf "$f.pdf" --epub "$f.epub"
        if [ "$rc" -ne 0 ]; then
            fail "$name" "exit $rc: $(first_lines "$d/run.err" 2)" "$d/run.err"
        elif ! qpdf_ok "$f.pdf" "$d/qpdf.log"; then
            fail "$name" "qpdf: $(first_lines "$d/qpdf.log" 2)" "$d/qpdf.log"
        elif [ "${f##*/}" != fifty-megabytes.md ] && need "$name" epubcheck && ! epubcheck_ok "$f.epub" "$d/epubcheck.log"; then
            fail "$name" "epubcheck: $(epubcheck_summary "$d/epubcheck.log")" "$d/epubcheck.log"
        else
            pass "$name"
        fi
        rm -f "$f.pdf" "$f.epub"
    done
}

# ------------------------------------------------------------- incremental
#
# make rebuilds the book only when something it was built from changed:
# a second make does nothing (make -q), touching a chapter or an image
# makes it out of date.
test_incremental() {
    local name="make: incremental book builds" log=$WORK/incr.log q1 q2 q3
    if ! make -s book >"$log" 2>&1; then
        fail "$name" "make book failed" "$log"
        return
    fi
    make -q book >/dev/null 2>&1
    q1=$?
    sleep 1 # (file times here tick coarser than a build is fast)
    touch manuscript/03-policy.md
    make -q book >/dev/null 2>&1
    q2=$?
    make -s book >>"$log" 2>&1
    sleep 1
    touch manuscript/images/trade.png
    make -q book >/dev/null 2>&1
    q3=$?
    make -s book >>"$log" 2>&1
    if [ "$q1" -eq 0 ] && [ "$q2" -eq 1 ] && [ "$q3" -eq 1 ] && make -q book; then
        pass "$name"
    else
        fail "$name" "make -q: after a build $q1 (want 0), after touching a chapter $q2 (want 1), an image $q3 (want 1)" "$log"
    fi
}

# ------------------------------------------------------------- full disk
#
# The output folder's file system fills up during a rebuild: a small
# tmpfs when this runs as root and may mount one, else a write error
# injected with FOLIO_FAIL_WRITE. The build fails with the system's
# message, the previous PDF and EPUB are unchanged, no temporary file is
# left.
test_full_disk() {
    local d=$WORK/full name="behaviour: a full disk keeps the previous edition" how=tmpfs
    mkdir -p "$d/out"
    printf -- '---\ntitle: Full\n---\n# Full\n\nThe first edition.\n' >"$d/full.md"
    if ! mount -t tmpfs -o size=16m tmpfs "$d/out" 2>/dev/null; then
        how=injected
    fi
    run_folio "$d/first" build "$d/full.md" -o "$d/out"
    cksum "$d/out/full.pdf" "$d/out/full.epub" >"$d/before" 2>&1
    # leave room for half as much again as the first edition, not a second
    local k
    k=$(du -sk "$d/out" | cut -f1)
    [ $how = tmpfs ] && mount -o remount,size=$((k + k / 2))k "$d/out"
    printf '\nThe second edition adds this.\n' >>"$d/full.md"
    if [ $how = tmpfs ]; then
        run_folio "$d/second" build "$d/full.md" -o "$d/out"
    else
        FOLIO_FAIL_WRITE=1 run_folio "$d/second" build "$d/full.md" -o "$d/out"
    fi
    cksum "$d/out/full.pdf" "$d/out/full.epub" >"$d/after" 2>&1
    local left
    left=$(find "$d/out" -name '.*' -type f | head -3)
    [ $how = tmpfs ] && umount "$d/out" 2>/dev/null
    if [ "$rc" -ne 1 ]; then
        fail "$name ($how)" "exit $rc, expected 1" "$d/second.err"
    elif ! grep -q 'No space left' "$d/second.err"; then
        fail "$name ($how)" "no 'No space left' message: $(first_lines "$d/second.err" 1)" "$d/second.err"
    elif ! cmp -s "$d/before" "$d/after"; then
        fail "$name ($how)" "the previous edition changed" "$d/before" "$d/after"
    elif [ -n "$left" ]; then
        fail "$name ($how)" "temporary files left: $left"
    else
        pass "$name ($how)"
    fi
}

# ------------------------------------------------------------- warnings
#
# tests/warn/NAME (a folder, or NAME.md) beside NAME.expect: input that
# still builds (exit 0, a PDF qpdf accepts, an EPUB), with each extended
# regex of NAME.expect matching a warning on stderr.

test_warn() {
    local exp name src w re missing
    for exp in tests/warn/*.expect; do
        [ -f "$exp" ] || continue
        name=${exp##*/}
        name=${name%.expect}
        src=tests/warn/$name
        [ -d "$src" ] || src=$src.md
        w=$WORK/warn/$name
        mkdir -p "$w"
        run_folio "$w/run" build "$src" --pdf "$w/out.pdf" --epub "$w/out.epub"
        missing=
        while IFS= read -r re; do
            [ -n "$re" ] || continue
            grep -Eq -e "$re" "$w/run.err" || missing="$missing /$re/"
        done <"$exp"
        if [ "$rc" -ne 0 ]; then
            fail "warn: $name" "exit $rc, expected 0: $(first_lines "$w/run.err" 2)" "$w/run.err"
        elif [ -n "$missing" ]; then
            fail "warn: $name" "no warning matching$missing" "$w/run.err"
        elif ! qpdf_ok "$w/out.pdf" "$w/qpdf.log" || [ ! -s "$w/out.epub" ]; then
            fail "warn: $name" "outputs missing or broken" "$w/qpdf.log"
        else
            pass "warn: $name"
        fi
    done
}

# ------------------------------------------------------------- behaviour

# A scratch folder with src/notes.md (the front-matter case: title "My
# Notes") and an empty cwd/ to run in.
behaviour_dir() {
    B=$WORK/behaviour/$1
    mkdir -p "$B/src" "$B/cwd"
    cp tests/cases-single/with-front-matter.md "$B/src/notes.md"
}

# same_files DIR EXPECTED(newline-separated): DIR holds exactly these files.
same_files() { [ "$(files_in "$1")" = "$2" ]; }

# expect_files NAME DIR EXPECTED: same_files, or a FAIL line for NAME.
expect_files() {
    same_files "$2" "$3" && return 0
    fail "$1" "$2 holds [$(files_in "$2" | tr '\n' ' ')], expected [$(printf '%s' "$3" | tr '\n' ' ')]" "$B/run.err"
    return 1
}

is_pdf() { [ "$(head -c 5 "$1" 2>/dev/null)" = "%PDF-" ]; }
is_epub() { [ "$(head -c 2 "$1" 2>/dev/null)" = "PK" ] && epub_mimetype_ok "$1" >/dev/null; }

test_behaviour() {
    local name

    name="behaviour: --pdf alone writes only the PDF"
    behaviour_dir only-pdf
    (cd "$B/cwd" && run_folio "$B/run" build ../src/notes.md --pdf only.pdf && exit "$rc")
    rc=$?
    if [ "$rc" -ne 0 ]; then
        fail "$name" "exit $rc: $(first_lines "$B/run.err")" "$B/run.err"
    elif expect_files "$name" "$B/cwd" only.pdf && expect_files "$name" "$B/src" notes.md; then
        if is_pdf "$B/cwd/only.pdf"; then pass "$name"; else fail "$name" "only.pdf is not a PDF" "$B/cwd/only.pdf"; fi
    fi

    name="behaviour: --epub alone writes only the EPUB"
    behaviour_dir only-epub
    (cd "$B/cwd" && run_folio "$B/run" build ../src/notes.md --epub only.epub && exit "$rc")
    rc=$?
    if [ "$rc" -ne 0 ]; then
        fail "$name" "exit $rc: $(first_lines "$B/run.err")" "$B/run.err"
    elif expect_files "$name" "$B/cwd" only.epub && expect_files "$name" "$B/src" notes.md; then
        if is_epub "$B/cwd/only.epub"; then pass "$name"; else fail "$name" "only.epub is not an EPUB" "$B/cwd/only.epub"; fi
    fi

    name="behaviour: --pdf and --epub write exactly those"
    behaviour_dir both
    (cd "$B/cwd" && run_folio "$B/run" build ../src/notes.md --pdf a.pdf --epub b.epub && exit "$rc")
    rc=$?
    if [ "$rc" -ne 0 ]; then
        fail "$name" "exit $rc: $(first_lines "$B/run.err")" "$B/run.err"
    elif expect_files "$name" "$B/cwd" "$(printf 'a.pdf\nb.epub')" && expect_files "$name" "$B/src" notes.md; then
        if is_pdf "$B/cwd/a.pdf" && is_epub "$B/cwd/b.epub"; then pass "$name"; else fail "$name" "outputs are not a PDF and an EPUB" "$B/cwd"; fi
    fi

    name="behaviour: default folder build/ and names from the title"
    behaviour_dir default-dir
    (cd "$B/cwd" && run_folio "$B/run" build ../src/notes.md && exit "$rc")
    rc=$?
    if [ "$rc" -ne 0 ]; then
        fail "$name" "exit $rc: $(first_lines "$B/run.err")" "$B/run.err"
    elif expect_files "$name" "$B/cwd" "$(printf 'build/my-notes.epub\nbuild/my-notes.pdf')" && expect_files "$name" "$B/src" notes.md; then
        if is_pdf "$B/cwd/build/my-notes.pdf" && is_epub "$B/cwd/build/my-notes.epub"; then pass "$name"; else fail "$name" "outputs are not a PDF and an EPUB" "$B/cwd"; fi
    fi

    name="behaviour: -o DIR and names from the title"
    behaviour_dir o-dir
    run_folio "$B/run" build "$B/src/notes.md" -o "$B/cwd/outdir"
    if [ "$rc" -ne 0 ]; then
        fail "$name" "exit $rc: $(first_lines "$B/run.err")" "$B/run.err"
    elif expect_files "$name" "$B/cwd" "$(printf 'outdir/my-notes.epub\noutdir/my-notes.pdf')"; then
        pass "$name"
    fi

    name="behaviour: no title, names from the file name"
    behaviour_dir file-slug
    cp tests/cases-single/no-front-matter.md "$B/src/Field Notes.md"
    run_folio "$B/run" build "$B/src/Field Notes.md" -o "$B/cwd/outdir"
    if [ "$rc" -ne 0 ]; then
        fail "$name" "exit $rc: $(first_lines "$B/run.err")" "$B/run.err"
    elif expect_files "$name" "$B/cwd" "$(printf 'outdir/field-notes.epub\noutdir/field-notes.pdf')"; then
        pass "$name"
    fi

    name="behaviour: no title, names from the folder name"
    behaviour_dir folder-slug
    mkdir -p "$B/src/My Folder"
    printf 'lang: en\n' >"$B/src/My Folder/metadata.yaml"
    cp tests/cases-single/no-front-matter.md "$B/src/My Folder/01-text.md"
    run_folio "$B/run" build "$B/src/My Folder" -o "$B/cwd/outdir"
    if [ "$rc" -ne 0 ]; then
        fail "$name" "exit $rc: $(first_lines "$B/run.err")" "$B/run.err"
    elif expect_files "$name" "$B/cwd" "$(printf 'outdir/my-folder.epub\noutdir/my-folder.pdf')"; then
        pass "$name"
    fi

    same_bytes "behaviour: same input and SOURCE_DATE_EPOCH, same bytes" tests/cases/book
    same_bytes "behaviour: the book twice, same bytes" manuscript
    # The book's files three times over, with autolinks: the figures
    # are checked, the e-book's chapters written and the pages sealed on
    # other threads, which must not change a byte.
    local many=$WORK/behaviour/many k f
    mkdir -p "$many/images"
    cp manuscript/metadata.yaml "$many/"
    cp manuscript/images/* "$many/images/"
    k=0
    for f in manuscript/[0-9]*.md manuscript/[0-9]*.md manuscript/[0-9]*.md; do
        k=$((k + 1))
        {
            sed -e "s/^# /# Part $k: /" \
                -e 's/\](\([0-9][0-9]-[a-z-]*\.md\)\{0,1\}#[^)]*)/]/g' "$f"
            printf '\nSee www.example.org/part%d and <https://example.org/%d>.\n' "$k" "$k"
        } >"$many/$(printf '%02d' "$k")-part.md"
    done
    same_bytes "behaviour: the book's files three times, twice, same bytes" "$many"

    # A failed build leaves the previous outputs byte for byte and no
    # temporary file beside them.
    behaviour_failed_builds
}

# same_bytes NAME SOURCE: two builds with one SOURCE_DATE_EPOCH give the
# same PDF and EPUB, byte for byte.
same_bytes() {
    local name=$1 src=$2 B rc1
    B=$WORK/behaviour/determinism-$(printf '%s' "$src" | tr -c 'A-Za-z0-9' _)
    mkdir -p "$B"
    SOURCE_DATE_EPOCH=$SDE run_folio "$B/run1" build "$src" -o "$B/one"
    rc1=$rc
    SOURCE_DATE_EPOCH=$SDE run_folio "$B/run2" build "$src" -o "$B/two"
    if [ "$rc1" -ne 0 ] || [ "$rc" -ne 0 ]; then
        fail "$name" "exit $rc1 and $rc: $(first_lines "$B/run2.err")" "$B/run1.err" "$B/run2.err"
    else
        local f1 f2 bad=""
        f1=$(files_in "$B/one")
        f2=$(files_in "$B/two")
        if [ "$f1" != "$f2" ] || [ "$(printf '%s\n' "$f1" | grep -c .)" -ne 2 ]; then
            bad="outputs differ in names: [$f1] and [$f2]"
        else
            while IFS= read -r f; do
                cmp -s "$B/one/$f" "$B/two/$f" || bad="$bad $f differs ($(cmp "$B/one/$f" "$B/two/$f" 2>&1 | head -n 1));"
            done <<<"$f1"
        fi
        if [ -n "$bad" ]; then fail "$name" "$bad" "$B/one" "$B/two"; else pass "$name"; fi
    fi
}

behaviour_failed_builds() {
    local kind
    for kind in source style epub-path; do
        name="behaviour: failed build keeps the previous outputs ($kind error)"
        behaviour_dir "atomic-$kind"
        mkdir -p "$B/out"
        run_folio "$B/good" build "$B/src/notes.md" --pdf "$B/out/book.pdf" --epub "$B/out/book.epub"
        if [ "$rc" -ne 0 ]; then
            fail "$name" "first build: exit $rc: $(first_lines "$B/good.err")" "$B/good.err"
            continue
        fi
        cp "$B/out/book.pdf" "$B/before.pdf"
        cp "$B/out/book.epub" "$B/before.epub"
        case $kind in
        source)
            printf '# Broken\n\nBad \377 byte.\n' >"$B/src/broken.md"
            run_folio "$B/run" build "$B/src/broken.md" --pdf "$B/out/book.pdf" --epub "$B/out/book.epub"
            ;;
        style)
            printf 'no-such-key-xyz = 1\n' >"$B/src/bad.ini"
            run_folio "$B/run" build "$B/src/notes.md" --pdf "$B/out/book.pdf" --epub "$B/out/book.epub" -s "$B/src/bad.ini"
            ;;
        epub-path)
            # a changed source: a PDF written before the EPUB fails would differ
            { cat "$B/src/notes.md"; printf '\nA paragraph added since.\n'; } >"$B/src/notes2.md"
            run_folio "$B/run" build "$B/src/notes2.md" --pdf "$B/out/book.pdf" --epub /proc/folio-test/book.epub
            ;;
        esac
        local bad=""
        [ "$rc" -eq 1 ] || bad="$bad; second build exit $rc, expected 1"
        cmp -s "$B/before.pdf" "$B/out/book.pdf" || bad="$bad; the PDF changed"
        cmp -s "$B/before.epub" "$B/out/book.epub" || bad="$bad; the EPUB changed"
        same_files "$B/out" "$(printf 'book.epub\nbook.pdf')" ||
            bad="$bad; the output folder holds [$(files_in "$B/out" | tr '\n' ' ')]"
        if [ -n "$bad" ]; then
            fail "$name" "${bad#; }; stderr: $(first_lines "$B/run.err" 1)" "$B/out" "$B/run.err"
        else
            pass "$name"
        fi
    done
}

# ------------------------------------------------------------- install

# make install into a staging root; the installed folio, run from another
# folder, finds its styles and fonts; the man page names every option
# that --help names.
test_install() {
    local inst=$WORK/install dir=$WORK/install-run opt missing=
    if ! make -s install DESTDIR="$inst" PREFIX=/usr/local >"$WORK/install.log" 2>&1; then
        fail "install: make install" "make install failed" "$WORK/install.log"
        return
    fi
    pass "install: make install"
    mkdir -p "$dir"
    printf -- '---\ntitle: Installed Notes\n---\n# Notes\n\nA *short* note.\n' >"$dir/notes.md"
    (cd "$dir" && env -u FOLIO_DATADIR "$inst/usr/local/bin/folio" build notes.md) >"$WORK/install-run.log" 2>&1
    if [ -f "$dir/build/installed-notes.pdf" ] && [ -f "$dir/build/installed-notes.epub" ] &&
        qpdf_ok "$dir/build/installed-notes.pdf" "$WORK/install-qpdf.log"; then
        pass "install: installed folio finds its styles and fonts"
    else
        fail "install: installed folio finds its styles and fonts" "no outputs" "$WORK/install-run.log"
    fi
    if [ ! -f "$inst/usr/local/share/man/man1/folio.1" ]; then
        fail "install: man page" "folio.1 not installed"
        return
    fi
    for opt in $("$FOLIO" --help | grep -E '^  -' | grep -oE -- '--?[a-zA-Z]([a-zA-Z-]*[a-zA-Z])?' | sort -u); do
        grep -q -- "Fl ${opt#-}" "$inst/usr/local/share/man/man1/folio.1" || missing="$missing $opt"
    done
    if [ -z "$missing" ]; then
        pass "install: man page documents every option of --help"
    else
        fail "install: man page documents every option of --help" "missing:$missing"
    fi
}

# The spec's examples twice, same bytes: the sections corpus.sh wrote
# (the ones with the most varied input).
test_corpus_same_bytes() {
    local d
    for d in "$WORK"/corpus/src/*-links "$WORK"/corpus/src/*-emphasis* "$WORK"/corpus/src/*-html-blocks; do
        [ -d "$d" ] && same_bytes "corpus: ${d##*/} twice, same bytes" "$d"
    done
}

# ------------------------------------------------------------- main

# (one function, called on the last line: bash has read the whole file
# before the first test runs, so editing it meanwhile is harmless)
main() {
    local passed failed skipped
    run_unit_tests
    check_oracles
    if [ ! -x "$FOLIO" ] || [ -d "$FOLIO" ]; then
        fail "folio binary" "not found or not executable: $FOLIO (make folio)"
    else
        test_cli
        test_case_book
        test_cases_single
        test_styles
        test_cases_html
        test_cases_warn
        test_manuscript
        test_bad
        test_warn
        test_full_disk
        test_incremental
        test_pathological
        test_behaviour
        test_install
        test_float
        [ -f "$TESTS/meta.sh" ] && . "$TESTS/meta.sh" && test_meta
        [ -f "$TESTS/since.sh" ] && . "$TESTS/since.sh" && test_since
        [ -f "$TESTS/hostile.sh" ] && . "$TESTS/hostile.sh" && test_hostile
        [ -f "$TESTS/svg.sh" ] && . "$TESTS/svg.sh" && test_svg
        [ -f "$TESTS/epubfonts.sh" ] && . "$TESTS/epubfonts.sh" && test_epubfonts
        . "$TESTS/handouts.sh" && test_handouts
        . "$TESTS/press.sh" && test_press # (uses handouts.sh's page_text)
        . "$TESTS/pages.sh" && test_pages
        . "$TESTS/scripts.sh" && test_scripts
        . "$TESTS/gfm.sh" && test_gfm
        . "$TESTS/structure.sh" && test_structure
        . "$TESTS/listings.sh" && test_listings
        bash "$TESTS/corpus.sh"
        . "$TESTS/tagged.sh" && test_tagged # (after the corpus: checks its PDFs)
        test_corpus_same_bytes
        test_a11y
    fi
    passed=$(grep -cx ok "$FOLIO_RESULTS")
    failed=$(grep -cx FAIL "$FOLIO_RESULTS")
    skipped=$(grep -cx skip "$FOLIO_RESULTS")
    echo "$passed passed, $failed failed, $skipped skipped"
    [ "$failed" -eq 0 ]
}

main "$@"; exit $?
