# shellcheck shell=bash
# Hostile manuscripts: what an attacker who controls a manuscript (its
# files, links, names, metadata, style and fonts) or a previous edition
# tries, class by class. Every input is made here, at run time, in $WORK:
# symbolic links, FIFOs, sockets, damaged fonts and images, generated
# bombs. Time and memory bombs run under `ulimit -v` and `timeout`.
#
# Sourced by tests/run.sh, which then calls test_hostile (lines
# "hostile: ..."); `bash tests/hostile.sh` runs it alone. Uses the
# runner's pass, fail, skip, qpdf_ok, epubcheck_ok, epubcheck_summary and
# first_lines (tests/lib.sh), and $FOLIO, $WORK, $TESTS and $ROOT.
#
# A test of a bug that is not fixed yet is marked "# KNOWN:" and is
# skipped; HOSTILE_KNOWN=1 runs those too. See "Hostile input" in
# tests/README.md.

# ------------------------------------------------------------- helpers

HOSTILE_MEM=${HOSTILE_MEM:-1000000}	# KB of address space, ulimit -v
HOSTILE_SECS=${HOSTILE_SECS:-20}	# seconds a run may take

# hrun DIR ARGS...: folio run in DIR (its working folder) under the memory
# and time limits; stdout and stderr in DIR/run.out and DIR/run.err, the
# exit status in $rc (124: timed out, 128+N: killed by signal N).
hrun() {
    local dir=$1
    shift
    (
        cd "$dir" || exit 99
        [ -n "$HOSTILE_MEM" ] && ulimit -v "$HOSTILE_MEM"
        timeout -k 2 "$HOSTILE_SECS" "$FOLIO" "$@" >run.out 2>run.err </dev/null
        exit $?
    ) 2>/dev/null
    rc=$?
}

# hexpect NAME DIR CODE REGEX [OUT]: after hrun in DIR: the exit status is
# CODE, never a crash or a time-out; some line of stderr matches the
# extended REGEX (none when REGEX is empty: stderr is empty); when CODE is
# not 0, the folder OUT (relative to DIR) holds no file at all, and DIR no
# temporary file. Returns 1 (after failing NAME) if not.
hexpect() {
    local name=$1 dir=$2 code=$3 re=$4 out=${5:-} why=""
    if [ "$rc" -ge 124 ]; then
        why="exit $rc (a crash or a time-out)"
    elif [ "$rc" -ne "$code" ]; then
        why="exit $rc, expected $code"
    elif [ -n "$re" ] && ! grep -Eq -e "$re" "$dir/run.err"; then
        why="no line of stderr matches /$re/"
    elif [ -z "$re" ] && [ -s "$dir/run.err" ]; then
        why="stderr is not empty"
    elif [ "$code" -ne 0 ] && [ -n "$out" ] && [ -n "$(find "$dir/$out" -mindepth 1 2>/dev/null | head -n 1)" ]; then
        why="the failed build wrote $(find "$dir/$out" -mindepth 1 | head -n 3 | tr '\n' ' ')"
    elif [ -n "$(find "$dir" -name '.folio-*' 2>/dev/null | head -n 1)" ]; then
        why="a temporary file is left: $(find "$dir" -name '.folio-*' | head -n 1)"
    fi
    if [ -n "$why" ]; then
        fail "$name" "$why; stderr: $(first_lines "$dir/run.err" 2)" "$dir/run.err" "$dir/run.out"
        return 1
    fi
    pass "$name"
    return 0
}

# hcase NAME: a new empty folder for a case, in $HC.
hcase() {
    HC=$WORK/hostile/$1
    rm -rf "$HC"
    mkdir -p "$HC"
}

# hbook DIR: a small good manuscript folder: metadata.yaml, two chapters.
hbook() {
    mkdir -p "$1"
    printf 'title: "Hostile"\nauthor: "A. Tester"\n' >"$1/metadata.yaml"
    printf '# One\n\nThe first chapter has *some* words.\n' >"$1/01-one.md"
    printf '# Two\n\nThe second chapter has **more** `words`.\n' >"$1/02-two.md"
}

# hstyle FILE [LINE...]: a style file of the given lines.
hstyle() {
    local f=$1
    shift
    printf '%s\n' "$@" >"$f"
}

# known NAME REASON FUNCTION: a test of a bug not fixed yet: skipped,
# unless HOSTILE_KNOWN=1.
known() {
    if [ "${HOSTILE_KNOWN:-}" = 1 ]; then
        "$3" "$1"
    else
        skip "$1" "KNOWN: $2"
    fi
}

# no_control FILE: the file holds no C0 control but newline, tab and form
# feed (pdftotext's page break), and
# no C1 control or bidirectional override (as UTF-8).
no_control() {
    ! LC_ALL=C grep -aqP '[\x00-\x08\x0b\x0d-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]' "$1"
}

# ------------------------------------------------------------- crashes: fonts

# One font file for every face, and damaged TrueType files: each refused
# at the style's line with the reason, never a crash.
hostile_fonts() {
    local f name kind
    hcase fonts
    hbook "$HC/ms"
    cp "$ROOT/fonts/DejaVuSansMono.ttf" "$HC/ms/mono.ttf"
    hstyle "$HC/ms/one.ini" '[fonts]' 'text = mono.ttf' 'italic = mono.ttf' \
        'bold = mono.ttf' 'bold-italic = mono.ttf' 'mono = mono.ttf'
    hrun "$HC" build ms -s ms/one.ini --pdf one.pdf --epub one.epub
    if hexpect "hostile: crash: one font file for all five faces" "$HC" 0 ""; then
        if qpdf_ok "$HC/one.pdf" "$HC/qpdf.log"; then
            pass "hostile: crash: one font file for all five faces: qpdf --check"
        else
            fail "hostile: crash: one font file for all five faces: qpdf --check" "$(first_lines "$HC/qpdf.log")" "$HC/one.pdf"
        fi
    fi

    # damaged copies of DejaVu Sans Mono: name|reason (ttf.c's words)
    mkdir -p "$HC/bad"
    python3 - "$ROOT/fonts/DejaVuSansMono.ttf" "$HC/bad" "$ROOT/tests/cases/book/images/icon.png" <<'EOF'
import random, struct, sys
src, out, png = sys.argv[1], sys.argv[2], sys.argv[3]
font = bytes(open(src, 'rb').read())
n = struct.unpack('>H', font[4:6])[0]
tab = {}
for i in range(n):
    r = 12 + 16 * i
    off, ln = struct.unpack('>II', font[r + 8:r + 16])
    tab[font[r:r + 4].decode('latin1')] = (r, off, ln)
def w(name, data):
    open('%s/%s.ttf' % (out, name), 'wb').write(data)
def patch(name, at, fmt, v):
    d = bytearray(font)
    d[at:at + struct.calcsize(fmt)] = struct.pack(fmt, v)
    w(name, bytes(d))
w('empty', b'')
w('png', open(png, 'rb').read())
w('header', font[:40])
w('half', font[:len(font) // 2])
patch('numtables', 4, '>H', 0xFFFF)
patch('offset', tab['glyf'][0] + 8, '>I', 0xFFFFFF00)
patch('length', tab['hmtx'][0] + 12, '>I', 0xFFFFFFFF)
patch('upem', tab['head'][1] + 18, '>H', 0)
patch('loca', tab['loca'][1] + 40, '>H', 0xFFFF)
patch('hmetrics', tab['hhea'][1] + 34, '>H', 0xFFFF)
patch('glyphs', tab['maxp'][1] + 4, '>H', 0xFFFF)
patch('cmap', tab['cmap'][1] + 8, '>I', 0x7FFFFFF0)
patch('nohead', tab['head'][0], '>I', 0x68657864)
rnd = random.Random(1)
for k in range(12):
    d = bytearray(font)
    for _ in range(rnd.randint(1, 40)):
        d[rnd.randrange(12, len(d))] = rnd.randrange(256)
    w('random%02d' % k, bytes(d))
EOF
    while IFS='|' read -r kind why; do
        cp "$HC/bad/$kind.ttf" "$HC/ms/bad.ttf"
        hstyle "$HC/ms/bad.ini" '[page]' 'contents = yes' '[fonts]' 'text = bad.ttf'
        hrun "$HC" build ms -s ms/bad.ini -o out
        hexpect "hostile: crash: a damaged font ($kind) is refused at its line" "$HC" 1 \
            "^ms/bad\\.ini:4:1: error: \\[fonts\\] text: 'ms/bad\\.ttf' is not a usable font: $why" out
    done <<'EOF'
empty|file too short for a font header
png|not a TrueType or OpenType font \(sfnt version 0x89504e47\)
header|the table directory runs past the end of the file
half|table 'glyf' runs past the end of the file
numtables|65535 tables in the font \(1 to 512 allowed\)
offset|table 'glyf' runs past the end of the file
length|table 'hmtx' runs past the end of the file
upem|unitsPerEm 0 out of range
loca|loca offset of glyph 10 .* lies past the end of 'glyf'
hmetrics|hhea numberOfHMetrics 65535 out of range
glyphs|table 'hmtx' too short
cmap|cmap subtable 0 lies outside 'cmap'
nohead|no 'head' table
EOF
    # randomly damaged: refused at the line, or set in a sound PDF
    local bad="" n=0
    for f in "$HC"/bad/random*.ttf; do
        cp "$f" "$HC/ms/bad.ttf"
        rm -rf "$HC/out"
        hrun "$HC" build ms -s ms/bad.ini -o out
        n=$((n + 1))
        if [ "$rc" -eq 1 ]; then
            grep -Eq "^ms/bad\\.ini:4:1: error: \\[fonts\\] text: 'ms/bad\\.ttf' is not a usable font: " "$HC/run.err" ||
                bad="$bad; ${f##*/}: exit 1 without the style's line ($(first_lines "$HC/run.err" 1))"
        elif [ "$rc" -eq 0 ]; then
            qpdf_ok "$HC/out/hostile.pdf" "$HC/qpdf.log" || bad="$bad; ${f##*/}: qpdf --check fails"
        else
            bad="$bad; ${f##*/}: exit $rc"
        fi
    done
    if [ -n "$bad" ]; then
        fail "hostile: crash: $n randomly damaged fonts" "${bad#; }" "$HC/bad"
    else
        pass "hostile: crash: $n randomly damaged fonts"
    fi
}

# ------------------------------------------------------------- outside

# Nothing outside the manuscript folder is read, however it is named:
# symbolic links (to files, to folders), '..', absolute paths; for
# chapters, images, includes, the metadata, the style and its fonts.
hostile_outside() {
    local d
    hcase outside
    d=$HC
    mkdir -p "$d/elsewhere"
    printf 'SECRET-OUTSIDE\n' >"$d/elsewhere/secret.md"
    cp "$ROOT/tests/cases/book/images/icon.png" "$d/elsewhere/icon.png"
    cp "$ROOT/fonts/DejaVuSansMono.ttf" "$d/elsewhere/f.ttf"
    printf '[page]\ncontents = yes\n' >"$d/elsewhere/s.ini"

    hbook "$d/ms1"
    ln -s ../elsewhere/secret.md "$d/ms1/03-link.md"
    hrun "$d" build ms1 -o out
    hexpect "hostile: outside: a chapter that is a link out of the folder" "$d" 1 \
        "^ms1/03-link\\.md: error: cannot read: it is outside 'ms1' \\(through '\\.\\.' or a symbolic link\\)$" out

    hbook "$d/ms2"
    ln -s /etc/passwd "$d/ms2/03-passwd.md"
    hrun "$d" build ms2 -o out
    hexpect "hostile: outside: a chapter that is a link to /etc/passwd" "$d" 1 \
        "^ms2/03-passwd\\.md: error: cannot read: it is outside 'ms2'" out

    # a link that stays inside is followed (the control case)
    hbook "$d/ms3"
    mkdir -p "$d/ms3/drafts"
    printf '# Three\n\nLinked inside.\n' >"$d/ms3/drafts/three.md"
    ln -s drafts/three.md "$d/ms3/03-three.md"
    hrun "$d" build ms3 -o out3
    hexpect "hostile: outside: a link that stays inside the folder is read" "$d" 0 ""

    # a folder that is a link: the chapter list goes through it
    hbook "$d/ms4"
    ln -s ../elsewhere "$d/ms4/sub"
    printf 'title: T\nchapters:\n  - 01-one.md\n  - sub/secret.md\n' >"$d/ms4/metadata.yaml"
    hrun "$d" build ms4 -o out
    hexpect "hostile: outside: a chapter through a folder that is a link" "$d" 1 \
        "^ms4/metadata\\.yaml:4:5: error: chapter 'sub/secret\\.md' is outside 'ms4'" out
    printf 'title: T\nchapters:\n  - 01-one.md\n  - ../elsewhere/secret.md\n  - /etc/passwd\n' >"$d/ms4/metadata.yaml"
    hrun "$d" build ms4 -o out
    hexpect "hostile: outside: chapters named with '..' and an absolute path" "$d" 1 \
        "^ms4/metadata\\.yaml:4:5: error: chapter '\\.\\./elsewhere/secret\\.md' is outside" out &&
        hexpect "hostile: outside: chapters named with '..' and an absolute path (both reported)" "$d" 1 \
            "^ms4/metadata\\.yaml:5:5: error: chapter '/etc/passwd' is outside" out

    # the metadata file itself a link out
    hbook "$d/ms5"
    rm "$d/ms5/metadata.yaml"
    ln -s ../elsewhere/s.ini "$d/ms5/metadata.yaml"
    hrun "$d" build ms5 -o out
    hexpect "hostile: outside: metadata.yaml that is a link out of the folder" "$d" 1 \
        "^ms5/metadata\\.yaml: error: cannot read: it is outside 'ms5'" out

    # images: a link, a folder that is a link, '..', an absolute path;
    # each a warning, and none of them in the e-book
    hbook "$d/ms6"
    ln -s ../elsewhere/icon.png "$d/ms6/link.png"
    ln -s ../elsewhere "$d/ms6/pics"
    printf '# Pictures\n\n![a](link.png)\n\n![b](pics/icon.png)\n\n![c](../elsewhere/icon.png)\n\n![d](%s)\n' \
        "$d/elsewhere/icon.png" >"$d/ms6/03-pictures.md"
    hrun "$d" build ms6 --pdf ms6.pdf --epub ms6.epub
    if hexpect "hostile: outside: images through links, '..' and absolute paths (a link)" "$d" 0 \
        "^ms6/03-pictures\\.md:3:1: warning: image 'link\\.png' is outside the manuscript folder; refused$"; then
        local bad=""
        grep -Eq "^ms6/03-pictures\\.md:5:1: warning: image 'pics/icon\\.png' is outside" "$d/run.err" || bad="$bad; no warning for pics/icon.png"
        grep -Eq "^ms6/03-pictures\\.md:7:1: warning: image '\\.\\./elsewhere/icon\\.png' is outside" "$d/run.err" || bad="$bad; no warning for ../"
        grep -Eq "^ms6/03-pictures\\.md:9:1: warning: image '/.*' is outside" "$d/run.err" || bad="$bad; no warning for the absolute path"
        unzip -Z1 "$d/ms6.epub" | grep -Eqi '\.(png|jpe?g)$' && bad="$bad; a picture is in the e-book"
        if [ -n "$bad" ]; then fail "hostile: outside: images through links, '..' and absolute paths (all)" "${bad#; }" "$d/run.err"; else
            pass "hostile: outside: images through links, '..' and absolute paths (all)"; fi
    fi

    # the cover, a link out
    hbook "$d/ms9"
    cp "$ROOT/tests/cases/book/images/photo.jpg" "$d/elsewhere/cover.jpg"
    ln -s ../elsewhere/cover.jpg "$d/ms9/cover.jpg"
    printf 'title: T\ncover-image: cover.jpg\n' >"$d/ms9/metadata.yaml"
    hrun "$d" build ms9 --epub ms9.epub
    hexpect "hostile: outside: a cover image that is a link out" "$d" 0 \
        "^ms9/metadata\\.yaml:2:14: warning: image 'cover\\.jpg' is outside the manuscript folder; refused$" &&
        if unzip -Z1 "$d/ms9.epub" | grep -qi '\.jpe\?g$'; then
            fail "hostile: outside: a cover image that is a link out: not in the e-book" "a JPEG is in the e-book"
        else
            pass "hostile: outside: a cover image that is a link out: not in the e-book"
        fi

    # mdBook includes: '..', a link, an absolute path
    mkdir -p "$d/mb/src"
    printf '[book]\ntitle = "Includes"\n' >"$d/mb/book.toml"
    printf '# Summary\n\n- [One](one.md)\n' >"$d/mb/src/SUMMARY.md"
    ln -s ../../elsewhere/secret.md "$d/mb/src/link.md"
    printf '# One\n\n{{#include ../../elsewhere/secret.md}}\n\n{{#include link.md}}\n\n{{#include /etc/passwd}}\n' >"$d/mb/src/one.md"
    hrun "$d" build mb -o out
    hexpect "hostile: outside: an include with '..'" "$d" 1 \
        "^mb/src/one\\.md:3:1: error: cannot include '\\.\\./\\.\\./elsewhere/secret\\.md': it is outside the book's folder" out &&
        hexpect "hostile: outside: an include that is a link" "$d" 1 \
            "^mb/src/one\\.md:5:1: error: cannot include 'link\\.md': it is outside 'mb'" out &&
        hexpect "hostile: outside: an absolute include" "$d" 1 \
            "^mb/src/one\\.md:7:1: error: cannot include '/etc/passwd': it is outside the book's folder" out

    # the style the manuscript names: absolute, '..', a link out
    hbook "$d/ms7"
    printf 'title: T\nstyle: /etc/passwd\n' >"$d/ms7/metadata.yaml"
    hrun "$d" build ms7 -o out
    hexpect "hostile: outside: style: /etc/passwd" "$d" 1 \
        "^ms7/metadata\\.yaml:2:8: error: style '/etc/passwd' is neither a file in the manuscript folder nor an installed style$" out
    printf 'title: T\nstyle: ../elsewhere/s.ini\n' >"$d/ms7/metadata.yaml"
    hrun "$d" build ms7 -o out
    hexpect "hostile: outside: a style named with '..'" "$d" 1 \
        "^ms7/metadata\\.yaml:2:8: error: style '\\.\\./elsewhere/s\\.ini' is outside the manuscript folder" out
    ln -s ../elsewhere/s.ini "$d/ms7/s.ini"
    printf 'title: T\nstyle: s.ini\n' >"$d/ms7/metadata.yaml"
    hrun "$d" build ms7 -o out
    hexpect "hostile: outside: a style that is a link out of the folder" "$d" 1 \
        "^ms7/metadata\\.yaml:2:8: error: style 's\\.ini' is outside the manuscript folder" out

    # the fonts of the manuscript's own style: absolute, '..', a link out
    rm "$d/ms7/s.ini"
    ln -s ../elsewhere/f.ttf "$d/ms7/link.ttf"
    hstyle "$d/ms7/s.ini" '[fonts]' 'text = /etc/passwd' 'mono = ../elsewhere/f.ttf' 'bold = link.ttf'
    hrun "$d" build ms7 -o out
    hexpect "hostile: outside: a style's font /etc/passwd" "$d" 1 \
        "^ms7/s\\.ini:2:1: error: font file '/etc/passwd' is outside the manuscript folder$" out &&
        hexpect "hostile: outside: a style's font named with '..'" "$d" 1 \
            "^ms7/s\\.ini:3:1: error: font file '\\.\\./elsewhere/f\\.ttf' is outside the manuscript folder$" out &&
        hexpect "hostile: outside: a style's font that is a link out" "$d" 1 \
            "^ms7/s\\.ini:4:1: error: font file 'link\\.ttf' is outside the manuscript folder$" out

    # the same style given with -s (the user's own choice) may name them
    hstyle "$d/user.ini" '[fonts]' "mono = $d/elsewhere/f.ttf"
    hrun "$d" build ms1/01-one.md -s user.ini -o out8
    hexpect "hostile: outside: a style given with -s may name any font" "$d" 0 ""
}

# ------------------------------------------------------------- --deps

# File names that would break the make rule are refused before anything
# is written; the ones make can read are escaped so that make reads them
# back as the files.
hostile_deps() {
    local d name ch what
    hcase deps
    d=$HC
    while IFS='~' read -r name what; do
        rm -rf "$d/ms" "$d/out"
        hbook "$d/ms"
        ch=$(printf "03-%b.md" "$name")
        printf '# Three\n\nWords.\n' >"$d/ms/$ch"
        hrun "$d" build ms -o out --deps out/book.d
        hexpect "hostile: --deps: a chapter named with $what" "$d" 1 \
            "error: cannot be named in the --deps rule: its name has $what, which make cannot read" out || continue
        if ! no_control "$d/run.err" || [ "$(grep -c . "$d/run.err")" -ne 1 ]; then
            fail "hostile: --deps: a chapter named with $what: one line, escaped" "stderr has $(grep -c . "$d/run.err") lines or a raw control character" "$d/run.err"
        else
            pass "hostile: --deps: a chapter named with $what: one line, escaped"
        fi
    done <<'EOF'
a\nall:\n\ttouch pwned\n~a newline
a\tb~a tab
a\\b~'\\'
a;b~';'
a=b~'='
a|b~'\|'
a\033[31mred~a control character
EOF
    # names make can read: each a prerequisite make finds again
    rm -rf "$d/ms" "$d/out"
    hbook "$d/ms"
    for ch in 'sp ace' 'ha#sh' 'co:lon' 'per%cent' 'do$(x)' 'st*ar' 'q?m' 'br[x]' "qu'o" 'dq"' 'ba`ck' 'amp&' 'é€'; do
        printf '# C\n\nWords.\n' >"$d/ms/03-$ch.md"
    done
    mkdir -p "$d/out"
    hrun "$d" build ms --pdf 'out/odd %name.pdf' --epub out/book.epub --deps out/book.d
    hexpect "hostile: --deps: names with spaces, '#', ':', '%', '\$', wildcards, quotes" "$d" 0 "" || return
    printf 'out/book.epub:\n\ttrue\ninclude out/book.d\n' >"$d/Makefile"
    local bad="" q
    (cd "$d" && make -q out/book.epub >"$d/make.log" 2>&1)
    q=$?
    [ "$q" -eq 0 ] || bad="$bad; make -q after the build: $q ($(first_lines "$d/make.log" 1))"
    for ch in 'per%cent' 'do$(x)' 'br[x]' 'sp ace'; do
        sleep 0.01
        touch "$d/ms/03-$ch.md"
        (cd "$d" && make -q out/book.epub >"$d/make.log" 2>&1)
        q=$?
        [ "$q" -eq 1 ] || bad="$bad; make -q after touching 03-$ch.md: $q ($(first_lines "$d/make.log" 1))"
        (cd "$d" && touch out/book.epub)
    done
    rm "$d/ms/03-per%cent.md"
    (cd "$d" && make -q out/book.epub >"$d/make.log" 2>&1)
    q=$?
    [ "$q" -eq 1 ] || bad="$bad; make -q after removing a chapter: $q ($(first_lines "$d/make.log" 1))"
    # each font once (the rule's lines, up to the first empty one)
    [ "$(awk '/^$/ { exit } { print }' "$d/out/book.d" | grep -o '[^ /]*\.[ot]tf' | sort | uniq -d | wc -l)" -eq 0 ] &&
        grep -q 'Inconsolata\.otf' "$d/out/book.d" || bad="$bad; a font is named more than once, or not at all"
    grep -q '^out/odd\\ \\%name\.pdf out/book\.epub: \\$' "$d/out/book.d" || bad="$bad; the targets are not escaped ($(head -n 1 "$d/out/book.d"))"
    if [ -n "$bad" ]; then fail "hostile: --deps: make reads the rule back" "${bad#; }" "$d/out/book.d"; else
        pass "hostile: --deps: make reads the rule back"; fi

    # an output whose name make cannot carry
    rm -rf "$d/out"
    mkdir -p "$d/out"
    hrun "$d" build ms --pdf "$(printf 'out/a\nb.pdf')" --deps out/book.d
    hexpect "hostile: --deps: an output named with a newline" "$d" 1 \
        '^out/a\\nb\.pdf: error: cannot be named in the --deps rule: its name has a newline' out
}

# ------------------------------------------------------------- special files

# FIFOs, sockets, devices and folders where a file is expected: refused
# at once (a FIFO never blocks the build), with what it is.
hostile_special() {
    local d
    hcase special
    d=$HC
    # (what blocks on a FIFO would wait for ever: a shorter limit)
    local HOSTILE_SECS=$((HOSTILE_SECS / 2))

    hbook "$d/ms1"
    mkfifo "$d/ms1/03-fifo.md"
    hrun "$d" build ms1 -o out
    hexpect "hostile: special: a chapter that is a FIFO" "$d" 1 \
        "^ms1/03-fifo\\.md: error: cannot read: it is a FIFO \\(named pipe\\), not a regular file$" out

    hbook "$d/ms2"
    mkdir "$d/ms2/03-folder.md"
    hrun "$d" build ms2 -o out
    hexpect "hostile: special: a chapter that is a folder named x.md" "$d" 1 \
        "^ms2/03-folder\\.md: error: cannot read: it is a folder, not a file$" out

    hbook "$d/ms3"
    python3 -c "import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])" "$d/ms3/03-socket.md"
    hrun "$d" build ms3 -o out
    hexpect "hostile: special: a chapter that is a socket" "$d" 1 \
        "^ms3/03-socket\\.md: error: cannot read: it is a socket, not a regular file$" out

    hbook "$d/ms4"
    ln -s /dev/zero "$d/ms4/03-zero.md"
    hrun "$d" build ms4 -o out
    hexpect "hostile: special: a chapter that is a link to /dev/zero" "$d" 1 \
        "^ms4/03-zero\\.md: error: cannot read: it is outside 'ms4'" out

    hbook "$d/ms5"
    rm "$d/ms5/metadata.yaml"
    mkfifo "$d/ms5/metadata.yaml"
    hrun "$d" build ms5 -o out
    hexpect "hostile: special: metadata.yaml that is a FIFO" "$d" 1 \
        "^ms5/metadata\\.yaml: error: cannot read: it is a FIFO" out

    hbook "$d/ms6"
    mkfifo "$d/ms6/book.toml"
    hrun "$d" build ms6 -o out
    hexpect "hostile: special: book.toml that is a FIFO" "$d" 1 \
        "^ms6/book\\.toml: error: cannot read: it is a FIFO" out

    mkdir -p "$d/mb/src/SUMMARY.md"
    printf '[book]\ntitle = "T"\n' >"$d/mb/book.toml"
    hrun "$d" build mb -o out
    hexpect "hostile: special: SUMMARY.md that is a folder" "$d" 1 \
        "^mb/src/SUMMARY\\.md: error: cannot read: it is a folder" out
    rm -rf "$d/mb/src/SUMMARY.md"
    printf '# Summary\n\n- [One](one.md)\n' >"$d/mb/src/SUMMARY.md"
    printf '# One\n\n{{#include pipe.md}}\n' >"$d/mb/src/one.md"
    mkfifo "$d/mb/src/pipe.md"
    hrun "$d" build mb -o out
    hexpect "hostile: special: an include that is a FIFO" "$d" 1 \
        "^mb/src/one\\.md:3:1: error: cannot include 'pipe\\.md': it is a FIFO" out

    hbook "$d/ms7"
    mkfifo "$d/ms7/pic.png"
    printf '# Three\n\n![A picture](pic.png)\n' >"$d/ms7/03-pic.md"
    hrun "$d" build ms7 -o out7
    hexpect "hostile: special: an image that is a FIFO (a warning)" "$d" 0 \
        "^ms7/03-pic\\.md:3:1: warning: image 'pic\\.png' is a FIFO \\(named pipe\\), not a regular file; its description is shown instead$"

    hbook "$d/ms8"
    mkfifo "$d/ms8/f.ttf"
    hstyle "$d/ms8/s.ini" '[fonts]' 'text = f.ttf'
    printf 'title: T\nstyle: s.ini\n' >"$d/ms8/metadata.yaml"
    hrun "$d" build ms8 -o out
    hexpect "hostile: special: a font that is a FIFO" "$d" 1 \
        "^ms8/s\\.ini:2:1: error: \\[fonts\\] text: 'ms8/f\\.ttf' is not a usable font: is a FIFO" out
    rm "$d/ms8/s.ini" "$d/ms8/f.ttf"
    mkfifo "$d/ms8/s.ini"
    hrun "$d" build ms8 -o out
    hexpect "hostile: special: a style that is a FIFO" "$d" 1 \
        "^ms8/s\\.ini: error: cannot read style file: it is a FIFO" out

    mkfifo "$d/pipe"
    hrun "$d" build pipe -o out
    hexpect "hostile: special: SOURCE a FIFO" "$d" 1 "^pipe: error: cannot read: it is a FIFO" out
    hrun "$d" build ms1/01-one.md -o out --since pipe
    hexpect "hostile: special: --since a FIFO" "$d" 1 "^pipe: error: cannot read the previous edition: it is a FIFO" out
    hrun "$d" build ms1/01-one.md -o out --metadata-file pipe
    hexpect "hostile: special: --metadata-file a FIFO" "$d" 1 "^pipe: error: cannot read: it is a FIFO" out
    hrun "$d" build ms1/01-one.md -o out -s pipe
    hexpect "hostile: special: -s a FIFO" "$d" 1 "^pipe: error: cannot read style file: it is a FIFO" out
    hrun "$d" build /dev/zero -o out
    hexpect "hostile: special: SOURCE /dev/zero" "$d" 1 "^/dev/zero: error: cannot read: it is a device, not a regular file$" out
    hrun "$d" build ms1/01-one.md -o out --since /dev/zero
    hexpect "hostile: special: --since /dev/zero" "$d" 1 "^/dev/zero: error: cannot read the previous edition: it is a device" out
    hrun "$d" build ms1/01-one.md -o out -s /dev/zero
    hexpect "hostile: special: -s /dev/zero" "$d" 1 "^/dev/zero: error: cannot read style file: it is a device" out
    hrun "$d" build ms1/01-one.md -o out --metadata-file /dev/urandom
    hexpect "hostile: special: --metadata-file /dev/urandom" "$d" 1 "^/dev/urandom: error: cannot read: it is a device" out
}

# ------------------------------------------------------------- bombs

# Small inputs that cost time or memory out of proportion: each runs
# under the memory limit and a few seconds, and ends as the README says.
# hostile_png_bombs DIR: a PNG declaring 20000x20000 16-bit RGBA in a few
# KB (refused at its line), and one at the limit, 8192x8192 (set).
hostile_png_bombs() {
    local d=$1
    mkdir -p "$d/img"
    python3 - "$d/img" <<'EOF'
import struct, sys, zlib
def png(path, w, h):
    def chunk(k, data):
        b = k + data
        return struct.pack('>I', len(data)) + b + struct.pack('>I', zlib.crc32(b) & 0xffffffff)
    row = b'\0' * (1 + w * 8)
    co = zlib.compressobj(9)
    idat = b''.join(co.compress(row) for _ in range(min(h, 400 if w > 10000 else h))) + co.flush()
    open(path, 'wb').write(b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 16, 6, 0, 0, 0))
                           + chunk(b'IDAT', idat) + chunk(b'IEND', b''))
png(sys.argv[1] + '/bomb.png', 20000, 20000)
png(sys.argv[1] + '/limit.png', 8192, 8192)
EOF
    printf '# Pictures\n\n![A bomb](bomb.png)\n\n![At the limit](limit.png)\n' >"$d/img/01-pictures.md"
    hrun "$d" build img --pdf img.pdf --epub img.epub
    hexpect "hostile: bombs: a PNG declaring 20000x20000 16-bit RGBA" "$d" 0 \
        "^img/01-pictures\\.md:3:1: warning: image 'bomb\\.png' is 20000×20000 pixels; the limit is 67,108,864 pixels; its description is shown instead$" &&
        if grep -q "limit\\.png" "$d/run.err" || ! unzip -Z1 "$d/img.epub" | grep -q 'limit\.png$\|\.png$'; then
            fail "hostile: bombs: a PNG of 8192x8192 16-bit RGBA (the limit) is set" "$(first_lines "$d/run.err" 2)" "$d/run.err"
        else
            pass "hostile: bombs: a PNG of 8192x8192 16-bit RGBA (the limit) is set"
        fi
}

hostile_bombs() {
    local d bad
    hcase bombs
    d=$HC

    # 20,000 headings of one title: ids numbered in linear time
    awk 'BEGIN { print "# Top\n"; for (i = 0; i < 20000; i++) print "## Same\n" }' >"$d/same.md"
    hrun "$d" build same.md --epub same.epub
    if hexpect "hostile: bombs: 20,000 identical headings" "$d" 0 ""; then
        unzip -p "$d/same.epub" '*.xhtml' | grep -o 'id="same[^"]*"' | sort | uniq -d >"$d/dups"
        if [ -s "$d/dups" ] || ! unzip -p "$d/same.epub" '*.xhtml' | grep -q 'id="same-19999"'; then
            fail "hostile: bombs: 20,000 identical headings get distinct ids" "duplicates: $(first_lines "$d/dups" 2)" "$d/dups"
        else
            pass "hostile: bombs: 20,000 identical headings get distinct ids"
        fi
    fi

    # nesting 300,000 deep
    awk 'BEGIN { for (i = 0; i < 300000; i++) printf "- "; print "deep" }' >"$d/list.md"
    hrun "$d" build list.md --pdf list.pdf --epub list.epub
    hexpect "hostile: bombs: a list nested 300,000 deep" "$d" 0 "" && {
        qpdf_ok "$d/list.pdf" "$d/qpdf.log" && pass "hostile: bombs: a list nested 300,000 deep: qpdf --check" ||
            fail "hostile: bombs: a list nested 300,000 deep: qpdf --check" "$(first_lines "$d/qpdf.log")"
    }
    awk 'BEGIN { for (i = 0; i < 300000; i++) printf "> "; print "deep" }' >"$d/quote.md"
    hrun "$d" build quote.md --pdf quote.pdf
    hexpect "hostile: bombs: quotes nested 300,000 deep" "$d" 0 ""

    # images: 20000x20000 16-bit RGBA in a few KB; at the limit, 8192x8192
    # (decoding 512 MB of pixels under a sanitizer takes minutes: the
    # first run of make check has it)
    if [ -n "$HOSTILE_SANITIZED" ]; then
        skip "hostile: bombs: PNGs of 20000x20000 and 8192x8192" "a sanitizer build: run in the first run"
    else
    hostile_png_bombs "$d"
    fi

    # YAML aliases: a 1 MB value named 3,000 times, as values and as keys;
    # and two million empty aliases
    python3 - "$d" <<'EOF'
import sys
d, mb = sys.argv[1], 'x' * (1 << 20)
open(d + '/values.md', 'w').write('---\nt: &a "%s"\nchapters: [%s]\n---\n# A\n\nText.\n'
                                  % (mb, ', '.join(['*a'] * 3000)))
open(d + '/keys.md', 'w').write('---\n? &k "%s"\n: 1\n%s---\n# A\n\nText.\n'
                                % (mb, ''.join('? *k\n: %d\n' % i for i in range(3000))))
open(d + '/empty.md', 'w').write('---\nx: &e ""\nsubject: [%s]\n---\n# A\n\nText.\n'
                                 % ', '.join(['*e'] * 2000000))
EOF
    hrun "$d" build values.md -o out
    hexpect "hostile: bombs: YAML aliases repeating 1 MB 3,000 times" "$d" 1 \
        "^values\\.md:2:4: error: the metadata comes to more than 4194304 bytes \\(aliases repeating a long value\\?\\)$" out
    hrun "$d" build keys.md -o out-keys
    if hexpect "hostile: bombs: YAML aliases repeating a 1 MB key 3,000 times" "$d" 0 \
        "^keys\\.md: warning: and 2996 more like these$"; then
        if [ "$(wc -c <"$d/run.err")" -gt 20000 ] || [ "$(grep -c "unknown metadata key" "$d/run.err")" -ne 5 ]; then
            fail "hostile: bombs: ... the warnings are five, each cut" "$(wc -c <"$d/run.err") bytes, $(grep -c "unknown metadata key" "$d/run.err") warnings" "$d/run.err"
        else
            pass "hostile: bombs: ... the warnings are five, each cut"
        fi
    fi
    hrun "$d" build empty.md -o out
    hexpect "hostile: bombs: two million empty YAML aliases" "$d" 1 \
        "^empty\\.md:2:4: error: the values of 'subject' come to more than 16384 bytes$" out

    # files past the size limits (sparse: no disk used)
    mkdir -p "$d/big"
    truncate -s 65M "$d/big/01-big.md" "$d/big.png" "$d/big.ttf"
    truncate -s 600M "$d/big.epub"
    hrun "$d" build big -o out
    hexpect "hostile: bombs: a 65 MB chapter" "$d" 1 \
        "^big/01-big\\.md: error: cannot read: it is 68157440 bytes; the limit is 67108864$" out
    rm "$d/big/01-big.md"
    printf '# Big\n\n![Big](../big.png)\n' >"$d/big/01-big.md"
    mv "$d/big.png" "$d/big/big.png"
    sed -i 's|\.\./big\.png|big.png|' "$d/big/01-big.md"
    hrun "$d" build big -o outbig
    hexpect "hostile: bombs: a 65 MB image" "$d" 0 \
        "^big/01-big\\.md:3:1: warning: image 'big\\.png' is 68157440 bytes; the limit is 67108864"
    hstyle "$d/big.ini" '[fonts]' 'text = big.ttf'
    hrun "$d" build big/01-big.md -s big.ini -o out
    hexpect "hostile: bombs: a 65 MB font" "$d" 1 \
        "^big\\.ini:2:1: error: \\[fonts\\] text: '\\./big\\.ttf' is not a usable font: is 68157440 bytes; the limit is 67108864$" out
    hrun "$d" build big/01-big.md -o out --since big.epub
    hexpect "hostile: bombs: a 600 MB --since e-book" "$d" 1 \
        "^big\\.epub: error: cannot read the previous edition: it is 629145600 bytes; the limit is 536870912$" out

    # mdBook includes: ten deep, ten each (10^10 lines), and a loop
    mkdir -p "$d/mb/src"
    printf '[book]\ntitle = "Laughs"\n' >"$d/mb/book.toml"
    printf '# Summary\n\n- [One](one.md)\n' >"$d/mb/src/SUMMARY.md"
    python3 - "$d/mb/src" <<'EOF'
import sys
d = sys.argv[1]
for i in range(9):
    open('%s/b%d.md' % (d, i), 'w').write(''.join('{{#include b%d.md}}\n' % (i + 1) for _ in range(10)))
open(d + '/b9.md', 'w').write('lol ' * 250 + '\n')
open(d + '/one.md', 'w').write('# One\n\n{{#include b0.md}}\n')
open(d + '/loop.md', 'w').write('# Loop\n\n{{#include loop.md}}\n')
EOF
    hrun "$d" build mb -o out
    hexpect "hostile: bombs: includes of includes, 10^10 lines" "$d" 1 \
        "^mb/src/one\\.md:3:1: error: the expanded text would pass 64 MB$" out
    printf '# Summary\n\n- [Loop](loop.md)\n' >"$d/mb/src/SUMMARY.md"
    hrun "$d" build mb -o out
    hexpect "hostile: bombs: a file that includes itself" "$d" 1 \
        "^mb/src/loop\\.md:3:1: error: includes nested more than 10 deep \\(does a file include itself\\?\\)$" out

    # out of memory names the input (a tighter limit)
    if [ -n "$HOSTILE_MEM" ]; then
        awk 'BEGIN { w = "alpha bravo charlie delta echo foxtrot "; print "# Big\n"
            for (i = 0; i < 40000; i++) { l = ""; for (j = 0; j < 20; j++) l = l w; print l "\n" } }' >"$d/thirty.md"
        HOSTILE_MEM=330000 HOSTILE_SECS=30 hrun "$d" build thirty.md -o out
        if [ "$rc" -eq 0 ]; then
            skip "hostile: bombs: out of memory names the input" "330 MB were enough here"
        else
            hexpect "hostile: bombs: out of memory names the input" "$d" 1 \
                "^thirty\\.md(:[0-9]+:1)?: error: out of memory while " out
        fi
        hostile_cmark_oom "hostile: bombs: out of memory while cmark parses"
    else
        skip "hostile: bombs: out of memory names the input" "the binary cannot run under ulimit -v (a sanitizer build)"
    fi
}

# Memory running out while cmark parses: exit 1 and "FILE: error: out of
# memory while parsing its Markdown" (cmark is given folio's allocator),
# not cmark's abort.
hostile_cmark_oom() {
    HOSTILE_MEM=150000 HOSTILE_SECS=30 hrun "$HC" build thirty.md -o out
    hexpect "$1" "$HC" 1 "^thirty\\.md(:[0-9]+:1)?: error: out of memory while " out
}

# ------------------------------------------------------------- editions

# The previous edition survives every failure; an output never replaces
# an input, a folder, or another output of the same build.
hostile_editions() {
    local d bad kind
    hcase editions
    d=$HC
    hbook "$d/ms"
    mkdir -p "$d/out"
    hrun "$d" build ms --pdf out/book.pdf --epub out/book.epub
    if ! hexpect "hostile: editions: the first edition" "$d" 0 ""; then
        return
    fi
    cp "$d/out/book.pdf" "$d/before.pdf"
    cp "$d/out/book.epub" "$d/before.epub"
    printf '\nA paragraph added since.\n' >>"$d/ms/02-two.md"
    mkdir -p "$d/out/dir.epub" "$d/out/dir.d"
    for kind in epub-folder deps-folder deps-input pdf-twice missing-folder dangling-link; do
        case $kind in
        epub-folder) hrun "$d" build ms --pdf out/book.pdf --epub out/dir.epub
            re="^out/dir\\.epub: error: cannot write: it is a folder; give a file name$" ;;
        deps-folder) hrun "$d" build ms --pdf out/book.pdf --epub out/book.epub --deps out/dir.d
            re="^out/dir\\.d: error: cannot write: it is a folder; give a file name$" ;;
        deps-input) hrun "$d" build ms --pdf out/book.pdf --epub out/book.epub --deps ms/metadata.yaml
            re="^ms/metadata\\.yaml: error: cannot write: it is one of the files this build reads; an edition never replaces its source$" ;;
        pdf-twice) hrun "$d" build ms --pdf out/book.pdf --epub out/./book.pdf
            re="^out/\\./book\\.pdf: error: cannot write two editions to one file$" ;;
        missing-folder) hrun "$d" build ms --pdf out/book.pdf --epub out/no/such/book.epub
            re="^out/no/such/book\\.epub: error: cannot write: the folder 'out/no/such' does not exist$" ;;
        dangling-link) ln -sf nowhere/x.epub "$d/out/dangling.epub"
            hrun "$d" build ms --pdf out/book.pdf --epub out/dangling.epub
            re="^out/dangling\\.epub: error: cannot write: it is a symbolic link to nothing$" ;;
        esac
        bad=""
        if [ "$rc" -ne 1 ]; then bad="exit $rc"; fi
        grep -Eq "$re" "$d/run.err" || bad="$bad; stderr: $(first_lines "$d/run.err" 1)"
        cmp -s "$d/before.pdf" "$d/out/book.pdf" || bad="$bad; the PDF changed"
        cmp -s "$d/before.epub" "$d/out/book.epub" || bad="$bad; the EPUB changed"
        [ -z "$(find "$d" -name '.folio-*' | head -n 1)" ] || bad="$bad; a temporary file is left"
        [ -e "$d/out/no" ] && bad="$bad; out/no was created"
        [ -e "$d/out/nowhere" ] && bad="$bad; the link was followed"
        if [ -n "$bad" ]; then fail "hostile: editions: previous edition kept ($kind)" "${bad#; }" "$d/run.err"; else
            pass "hostile: editions: previous edition kept ($kind)"; fi
    done

    # an output that is an input: the source file, a chapter, through a link
    printf -- '---\ntitle: Single\n---\n# Single\n\nOne file.\n' >"$d/book.md"
    cp "$d/book.md" "$d/book.md.orig"
    hrun "$d" build book.md --pdf book.md
    hexpect "hostile: editions: --pdf the source itself" "$d" 1 \
        "^book\\.md: error: cannot write: it is one of the files this build reads" &&
        { cmp -s "$d/book.md" "$d/book.md.orig" && pass "hostile: editions: --pdf the source itself: the source is intact" ||
            fail "hostile: editions: --pdf the source itself: the source is intact" "book.md changed"; }
    hrun "$d" build ms --epub ms/01-one.md
    hexpect "hostile: editions: --epub a chapter" "$d" 1 \
        "^ms/01-one\\.md: error: cannot write: it is one of the files this build reads"
    ln -s ../ms/01-one.md "$d/out/link.pdf"
    hrun "$d" build ms --pdf out/link.pdf
    hexpect "hostile: editions: --pdf a link to a chapter" "$d" 1 \
        "^out/link\\.pdf: error: cannot write: it is one of the files this build reads"
    hrun "$d" build ms --pdf out/same --epub out/same
    hexpect "hostile: editions: the same --pdf and --epub" "$d" 1 \
        "^out/same: error: cannot write two editions to one file$" &&
        if [ -e "$d/out/same" ]; then
            fail "hostile: editions: the same --pdf and --epub: nothing written" "out/same exists"
        else
            pass "hostile: editions: the same --pdf and --epub: nothing written"
        fi
    touch "$d/out/real.pdf"
    ln -s real.pdf "$d/out/alias.pdf"
    hrun "$d" build ms --pdf out/alias.pdf --epub out/real.pdf
    hexpect "hostile: editions: --pdf a link to --epub" "$d" 1 \
        "^out/real\\.pdf: error: cannot write two editions to one file$"
    hrun "$d" build ms --pdf out/alias.pdf
    if hexpect "hostile: editions: --pdf a link to a file" "$d" 0 ""; then
        if [ -L "$d/out/alias.pdf" ] && qpdf_ok "$d/out/real.pdf" "$d/qpdf.log"; then
            pass "hostile: editions: --pdf a link to a file: the link stays, the file is the PDF"
        else
            fail "hostile: editions: --pdf a link to a file: the link stays, the file is the PDF" "$(ls -l "$d/out/alias.pdf")"
        fi
    fi
    hrun "$d" build ms --pdf /dev/null
    hexpect "hostile: editions: --pdf /dev/null" "$d" 1 "^/dev/null: error: cannot write: it is not a regular file$"
    # (a pipe: the link /dev/stdout is not replaced by a file)
    (cd "$d" && timeout 10 "$FOLIO" build ms --pdf /dev/stdout 2>run.err </dev/null | cat >/dev/null)
    if grep -q '^/dev/stdout: error: cannot write: it is not a regular file$' "$d/run.err" && [ -L /dev/stdout ]; then
        pass "hostile: editions: --pdf /dev/stdout, a pipe"
    else
        fail "hostile: editions: --pdf /dev/stdout, a pipe" "stderr: $(first_lines "$d/run.err" 1)" "$d/run.err"
    fi
    touch "$d/afile"
    hrun "$d" build ms -o afile
    hexpect "hostile: editions: -o a file" "$d" 1 "^afile/hostile\\.pdf: error: cannot write: the folder 'afile' does not exist$"

    # a signal in the middle of a build
    awk 'BEGIN { print "# Long\n"; for (i = 0; i < 3000; i++) print "A paragraph of words to set, one of many, so that the book takes a while to build.\n" }' >"$d/ms/03-long.md"
    cp "$d/out/book.pdf" "$d/before.pdf"
    cp "$d/out/book.epub" "$d/before.epub"
    (cd "$d" && exec "$FOLIO" build ms --pdf out/book.pdf --epub out/book.epub >/dev/null 2>&1) &
    local pid=$!
    sleep 0.3
    kill -TERM "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rc=$?
    bad=""
    # the signal may come after the editions are in place (a slow build
    # under a sanitizer ends late): then both are the new, whole ones
    if ! cmp -s "$d/before.pdf" "$d/out/book.pdf"; then
        cmp -s "$d/before.epub" "$d/out/book.epub" && bad="the PDF changed, the EPUB did not"
        qpdf_ok "$d/out/book.pdf" "$d/qpdf.log" || bad="$bad; the PDF is not whole"
    elif ! cmp -s "$d/before.epub" "$d/out/book.epub"; then
        bad="the EPUB changed, the PDF did not"
    fi
    [ -z "$(find "$d" -name '.folio-*' | head -n 1)" ] || bad="$bad; a temporary file is left"
    if [ -n "$bad" ]; then fail "hostile: editions: SIGTERM during a build" "${bad#; } (exit $rc)"; else
        pass "hostile: editions: SIGTERM during a build"; fi
}

# ------------------------------------------------------------- wrong output

# Input that used to build, exit 0, into a wrong edition: now either a
# sound edition or an error at the place.
hostile_output() {
    local d bad sde
    hcase output
    d=$HC

    # headings named like generated ids; a figure and a note (whose ids
    # are figure.1 and note.1); font files named with &, % and "; links
    # with IPv6 and broken hosts; one EPUBCheck for all
    mkdir -p "$d/ms"
    printf 'title: "Ids & Names"\nlang: en-US\nstyle: s.ini\n' >"$d/ms/metadata.yaml"
    cp "$ROOT/tests/cases/book/images/icon.png" "$d/ms/icon.png"
    cp "$ROOT/fonts/DejaVuSansMono.ttf" "$d/ms/a&b%c\"d.ttf"
    hstyle "$d/ms/s.ini" '[fonts]' 'mono = a&b%c"d.ttf'
    cat >"$d/ms/01-ids.md" <<'EOF'
# Page 1

Go to [page one](#page-1), [figure one](#figure-1) and [note one](#note-1).
A note.[^n] And `code` in the odd font.

![An icon](icon.png "Figure one")

# Figure 1

Links: <http://[::1]:8080/ok>, <http://[x"y]/>, [broken](http://[x"y]/p) and
[bad host](http://a"b.example/).

# Note 1

Text.

[^n]: The note.
EOF
    hrun "$d" build ms --pdf ids.pdf --epub ids.epub
    if hexpect "hostile: output: headings named Page 1, Figure 1, Note 1; odd font names" "$d" 0 \
        "^ms/01-ids\\.md:10:32: warning: link to 'http://\\[x\"y\\]/' has no valid host; set as plain text$"; then
        bad=""
        unzip -p "$d/ids.epub" '*.xhtml' >"$d/all.xhtml"
        for id in page-1 figure-1 note-1; do
            grep -q "<h1 id=\"$id\">" "$d/all.xhtml" || bad="$bad; no heading id $id"
            grep -q "href=\"[^\"]*#$id\"" "$d/all.xhtml" || bad="$bad; no link to #$id"
        done
        grep -q 'href="http://\[::1\]:8080/ok"' "$d/all.xhtml" || bad="$bad; the IPv6 link is lost"
        grep -q 'href="[^"]*\[x' "$d/all.xhtml" && bad="$bad; a link to [x\"y] is kept"
        grep -q 'href="http://a' "$d/all.xhtml" && bad="$bad; a link to a\"b is kept"
        unzip -p "$d/ids.epub" '*.css' | grep -q 'a&b' && bad="$bad; the font's file name is in the stylesheet"
        qpdf_ok "$d/ids.pdf" "$d/qpdf.log" || bad="$bad; qpdf: $(first_lines "$d/qpdf.log" 1)"
        if epubcheck_ok "$d/ids.epub" "$d/epubcheck.log"; then :; else bad="$bad; EPUBCheck: $(epubcheck_summary "$d/epubcheck.log")"; fi
        if [ -n "$bad" ]; then fail "hostile: output: ... ids distinct, links kept or dropped, EPUBCheck clean" "${bad#; }" "$d/ids.epub" "$d/all.xhtml"; else
            pass "hostile: output: ... ids distinct, links kept or dropped, EPUBCheck clean"; fi
    fi
    hostile_anchor_crash "hostile: output: an HTML anchor named like a note's id (note.1)"
    hostile_anchor_page "hostile: output: an HTML anchor named like a page marker (page.1)"

    # damaged JPEGs: no width, 65535x65535, a cut scan
    mkdir -p "$d/jpg"
    python3 - "$ROOT/tests/cases/book/images/photo.jpg" "$d/jpg" <<'EOF'
import struct, sys
jpg, out = open(sys.argv[1], 'rb').read(), sys.argv[2]
i = jpg.index(b'\xff\xc0')
def sof(h, w):
    return jpg[:i + 5] + struct.pack('>HH', h, w) + jpg[i + 9:]
open(out + '/zero.jpg', 'wb').write(sof(48, 0))
open(out + '/huge.jpg', 'wb').write(sof(65535, 65535))
open(out + '/cut.jpg', 'wb').write(jpg[:jpg.index(b'\xff\xda') + 40])
EOF
    printf '# Photos\n\n![Zero](zero.jpg)\n\n![Huge](huge.jpg)\n\n![Cut](cut.jpg)\n' >"$d/jpg/01-photos.md"
    hrun "$d" build jpg --pdf jpg.pdf --epub jpg.epub
    hexpect "hostile: output: a JPEG of width 0" "$d" 0 \
        "^jpg/01-photos\\.md:3:1: warning: image 'zero\\.jpg' is damaged: it declares 0×48 pixels; its description is shown instead$" &&
        hexpect "hostile: output: a JPEG of 65535x65535" "$d" 0 \
            "^jpg/01-photos\\.md:5:1: warning: image 'huge\\.jpg' is 65535×65535 pixels; the limit is 67,108,864 pixels" &&
        hexpect "hostile: output: a JPEG cut in its scan" "$d" 0 \
            "^jpg/01-photos\\.md:7:1: warning: image 'cut\\.jpg' is damaged: Premature end of JPEG file; its description is shown instead$" &&
        { qpdf_ok "$d/jpg.pdf" "$d/qpdf.log" && ! unzip -Z1 "$d/jpg.epub" | grep -q '\.jpg$' &&
            pass "hostile: output: damaged JPEGs: sound PDF, none in the e-book" ||
            fail "hostile: output: damaged JPEGs: sound PDF, none in the e-book" "$(first_lines "$d/qpdf.log" 1)"; }

    # a byte order mark before front matter, and before metadata.yaml
    printf '\357\273\277---\ntitle: "BOM Title"\n---\n# A\n\nText.\n' >"$d/bom.md"
    hrun "$d" build bom.md -o bomout
    hexpect "hostile: output: a UTF-8 BOM before front matter" "$d" 0 "" &&
        { [ -f "$d/bomout/bom-title.pdf" ] && pass "hostile: output: a UTF-8 BOM before front matter: the title is read" ||
            fail "hostile: output: a UTF-8 BOM before front matter: the title is read" "outputs: $(ls "$d/bomout" | tr '\n' ' ')"; }
    hbook "$d/bomms"
    printf '\357\273\277title: "BOM Folder"\n' >"$d/bomms/metadata.yaml"
    hrun "$d" build bomms -o bomout
    hexpect "hostile: output: a UTF-8 BOM before metadata.yaml" "$d" 0 "" &&
        { [ -f "$d/bomout/bom-folder.pdf" ] && pass "hostile: output: a UTF-8 BOM before metadata.yaml: the title is read" ||
            fail "hostile: output: a UTF-8 BOM before metadata.yaml: the title is read" "outputs: $(ls "$d/bomout" | tr '\n' ' ')"; }

    # two chapters of one file name in two folders: each link to its own
    mkdir -p "$d/twins/a" "$d/twins/b"
    printf 'title: Twins\nchapters:\n  - a/notes.md\n  - b/notes.md\n  - intro..draft.md\n' >"$d/twins/metadata.yaml"
    printf '# A notes\n\nSee [the b notes](../b/notes.md) and [mine](notes.md#a-notes).\n' >"$d/twins/a/notes.md"
    printf '# B notes\n\nSee [the a notes](../a/notes.md#a-notes) and [mine](notes.md).\n' >"$d/twins/b/notes.md"
    printf '# Draft\n\nA file named with two dots.\n' >"$d/twins/intro..draft.md"
    hrun "$d" build twins --epub twins.epub
    if hexpect "hostile: output: two chapters named notes.md, and intro..draft.md" "$d" 0 ""; then
        bad=""
        unzip -p "$d/twins.epub" EPUB/ch001.xhtml | grep -q '<a href="ch002.xhtml">the b notes</a>' || bad="$bad; a's link to b/notes.md"
        unzip -p "$d/twins.epub" EPUB/ch001.xhtml | grep -q '<a href="#a-notes">mine</a>' || bad="$bad; a's link to itself"
        unzip -p "$d/twins.epub" EPUB/ch002.xhtml | grep -q '<a href="ch001.xhtml#a-notes">the a notes</a>' || bad="$bad; b's link to a/notes.md"
        unzip -p "$d/twins.epub" EPUB/ch002.xhtml | grep -q '<a href="ch002.xhtml">mine</a>\|<a href="#[^"]*">mine</a>\|<a href="">mine</a>' || bad="$bad; b's link to itself"
        if [ -n "$bad" ]; then fail "hostile: output: ... each link goes to its own chapter" "${bad#; }" "$d/twins.epub"; else
            pass "hostile: output: ... each link goes to its own chapter"; fi
    fi

    # SOURCE_DATE_EPOCH: the ZIP's dates, 1980 to 2107, whole seconds
    printf '# Dated\n\nText.\n' >"$d/dated.md"
    for sde in -1 1e20 9999 abc '' ' 1700000000' 1700000000.5 315532799 4354819200 99999999999999999999999; do
        (export SOURCE_DATE_EPOCH="$sde"; hrun "$d" build dated.md -o out; exit "$rc")
        rc=$?
        hexpect "hostile: output: SOURCE_DATE_EPOCH='$sde'" "$d" 1 \
            "^SOURCE_DATE_EPOCH: error: '.*' is not a number of seconds from 315532800 \\(1980-01-01\\) to 4354819199 \\(2107-12-31\\), the dates a ZIP file can hold$" out
    done
    for sde in 315532800:1980-01-01T00:00:00Z 4354819199:2107-12-31T23:59:59Z; do
        (export SOURCE_DATE_EPOCH="${sde%%:*}"; hrun "$d" build dated.md --epub dated.epub; exit "$rc")
        rc=$?
        hexpect "hostile: output: SOURCE_DATE_EPOCH=${sde%%:*}" "$d" 0 "" &&
            if unzip -p "$d/dated.epub" EPUB/package.opf | grep -q "<meta property=\"dcterms:modified\">${sde#*:}</meta>"; then
                pass "hostile: output: SOURCE_DATE_EPOCH=${sde%%:*} is ${sde#*:}"
            else
                fail "hostile: output: SOURCE_DATE_EPOCH=${sde%%:*} is ${sde#*:}" "$(unzip -p "$d/dated.epub" EPUB/package.opf | grep -o '<meta property="dcterms:modified">[^<]*')"
            fi
    done
    # a date the ZIP cannot hold is brought into its range
    printf -- '---\ndate: 9999-12-31\n---\n# Dated\n\nText.\n' >"$d/far.md"
    (unset SOURCE_DATE_EPOCH; hrun "$d" build far.md --epub far.epub; exit "$rc")
    rc=$?
    hexpect "hostile: output: date 9999-12-31" "$d" 0 "" &&
        if unzip -p "$d/far.epub" EPUB/package.opf | grep -q '<meta property="dcterms:modified">2107-12-31T23:59:59Z</meta>'; then
            pass "hostile: output: date 9999-12-31 dates the e-book 2107-12-31T23:59:59Z"
        else
            fail "hostile: output: date 9999-12-31 dates the e-book 2107-12-31T23:59:59Z" "$(unzip -p "$d/far.epub" EPUB/package.opf | grep -o '<meta property="dcterms:modified">[^<]*')"
        fi
}

# An author's id "note.1" (or "figure.1", "noteref.1") taken first: the
# generated id is renamed ("note.1.2"), exit 0, EPUBCheck clean.
hostile_anchor_crash() {
    printf '# Anchors\n\nText <a id="note.1"></a> and a note.[^1]\n\n[^1]: The note.\n' >"$HC/anchor.md"
    hrun "$HC" build anchor.md --epub anchor.epub
    if hexpect "$1" "$HC" 0 "" && ! epubcheck_ok "$HC/anchor.epub" "$HC/epubcheck.log"; then
        fail "$1: EPUBCheck" "$(epubcheck_summary "$HC/epubcheck.log")" "$HC/anchor.epub"
    fi
}

# An author's <a id="page.1">: the e-book's page markers take another
# prefix ("page2.1"), the author's link still goes to the author's
# anchor, EPUBCheck clean.
hostile_anchor_page() {
    local x
    printf '# Anchors\n\nText <a id="page.1"></a> here, [back](#page.1).\n' >"$HC/page.md"
    hrun "$HC" build page.md --pdf page.pdf --epub page.epub
    if hexpect "$1" "$HC" 0 ""; then
        x=$(unzip -p "$HC/page.epub" "EPUB/*.xhtml" 2>/dev/null)
        if ! epubcheck_ok "$HC/page.epub" "$HC/epubcheck.log"; then
            fail "$1: EPUBCheck" "$(epubcheck_summary "$HC/epubcheck.log")" "$HC/page.epub"
        elif ! grep -q 'href="#page\.1"' <<<"$x" || ! grep -q 'id="page2\.1"' <<<"$x"; then
            fail "$1: the link and the markers" "$(grep -o '\(id\|href\)="[^"]*page[^"]*"' <<<"$x" | head -n 5 | tr '\n' ' ')" "$HC/page.epub"
        else
            pass "$1: the author's link to the author's anchor, the markers page2.N"
        fi
    fi
}

# ------------------------------------------------------------- messages

# Every problem at its place, in folio's words, on one line of its own.
hostile_messages() {
    local d bad
    hcase messages
    d=$HC

    # a link of 70,000 bytes: a warning, never a PDF library's code
    python3 -c "print('# Long\n\nA [long](http://example.com/' + 'a' * 70000 + ') link.')" >"$d/url.md"
    hrun "$d" build url.md -o out1
    hexpect "hostile: messages: a link of 70,000 bytes" "$d" 0 \
        "^url\\.md:3:3: warning: link of 70019 bytes; set as plain text \\(the limit is 32768\\)$"

    # metadata values past 16 KB: at the value, not "PDF library error"
    python3 -c "print('---\ntitle: \"' + 'word ' * 14000 + '\"\nsubtitle: \"' + 'x' * 20000 + '\"\nedition: \"' + 'y' * 70000 + '\"\n---\n# A\n\nText.')" >"$d/long.md"
    hrun "$d" build long.md -o out
    hexpect "hostile: messages: a title of 70,000 bytes" "$d" 1 "^long\\.md:2:8: error: 'title' is 70000 bytes long; the limit is 16384$" out &&
        hexpect "hostile: messages: a subtitle of 20,000 bytes" "$d" 1 "^long\\.md:3:11: error: 'subtitle' is 20000 bytes long; the limit is 16384$" out &&
        hexpect "hostile: messages: an edition of 70,000 bytes" "$d" 1 "^long\\.md:4:10: error: 'edition' is 70000 bytes long; the limit is 16384$" out
    hostile_heading_title "hostile: messages: a book titled by a heading of 70,000 bytes"

    # a long title makes a short file name, not "File name too long"
    python3 -c "print('---\ntitle: \"' + 'Long title words ' * 40 + '\"\n---\n# A\n\nText.')" >"$d/title.md"
    hrun "$d" build title.md -o out2
    hexpect "hostile: messages: a title of 680 characters" "$d" 0 "" &&
        { [ -f "$d/out2/long-title-words-long-title-words-long-title-words-long-title-words-long-title-w.pdf" ] &&
            pass "hostile: messages: a title of 680 characters: the file name is cut at 80" ||
            fail "hostile: messages: a title of 680 characters: the file name is cut at 80" "$(ls "$d/out2" | tr '\n' ' ')"; }

    # control characters, bidi overrides and bad UTF-8 in names: escaped
    hbook "$d/ms"
    printf '# Three\n\n![x](missing\033]0;pwned\007\342\200\256.png)\n' >"$d/ms/03-$(printf 'esc\033[2J')x.md"
    printf 'title: "T"\nbad\342\200\256key: 1\n' >"$d/ms/metadata.yaml"
    hrun "$d" build ms -o out3
    if hexpect "hostile: messages: control characters in a file name and a key" "$d" 0 \
        "^ms/03-esc\\\\x1b\\[2Jx\\.md:3:1: warning: image 'missing\\\\x1b\\]0;pwned\\\\x07\\\\u202e\\.png' not found"; then
        if no_control "$d/run.err" && grep -q "^ms/metadata\\.yaml:2:1: warning: unknown metadata key 'bad\\\\u202ekey' ignored$" "$d/run.err"; then
            pass "hostile: messages: control characters in a file name and a key: escaped"
        else
            fail "hostile: messages: control characters in a file name and a key: escaped" "$(first_lines "$d/run.err" 3 | cat -v)" "$d/run.err"
        fi
    fi
    printf -- '---\ndate: "%s"\n---\n# A\n\nText.\n' "$(head -c 10000 /dev/zero | tr '\0' 'y')" >"$d/date.md"
    hrun "$d" build date.md -o out4
    if hexpect "hostile: messages: a 10 KB date in a message" "$d" 0 "^date\\.md:2:7: warning: date 'yyyy"; then
        if [ "$(wc -c <"$d/run.err")" -le 2300 ] && grep -q '…$' "$d/run.err"; then
            pass "hostile: messages: a 10 KB date in a message is cut"
        else
            fail "hostile: messages: a 10 KB date in a message is cut" "$(wc -c <"$d/run.err") bytes of stderr" "$d/run.err"
        fi
    fi

    # the style's problems, at their lines
    hstyle "$d/s.ini" '[page]' 'width = 201in' '[text]' 'size = 10pt' 'size = 11pt' \
        'indent = 5000pt' 'code-size = 500pt' '[headings]' 'h2-size = 0pt' '[fonts]' 'mono = nosuch.ttf'
    hrun "$d" build date.md -s s.ini -o out
    hexpect "hostile: messages: a page wider than 14,400 units" "$d" 1 "^s\\.ini:2:1: error: width: 201in is out of range: it must be from 72pt to 7200pt$" out &&
        hexpect "hostile: messages: a key set twice, at the second" "$d" 1 "^s\\.ini:5:1: error: \\[text\\] size is set twice \\(first on line 4\\)$" out &&
        hexpect "hostile: messages: indent = 5000pt" "$d" 1 "^s\\.ini:6:1: error: indent: 5000pt is out of range: it must be from 0pt to 72pt$" out &&
        hexpect "hostile: messages: code-size = 500pt" "$d" 1 "^s\\.ini:7:1: error: code-size: 500pt is out of range: it must be from 4pt to 36pt$" out &&
        hexpect "hostile: messages: h2-size = 0pt" "$d" 1 "^s\\.ini:9:1: error: h2-size: 0pt is out of range: it must be from 5pt to 72pt$" out &&
        hexpect "hostile: messages: a missing font at its line" "$d" 1 "^s\\.ini:11:1: error: font file 'nosuch\\.ttf' not found$" out

    hostile_autolink "hostile: messages: an autolink on a paragraph's second line, in a list, a www. link"
    hostile_glyph "hostile: messages: a glyph no font has, in the title and a heading"
    hostile_pages "hostile: messages: a book of 40,000 pages"
}

# A 70,000-byte heading as the book's title: cut where the PDF library
# takes it (document information, bookmarks, link descriptions).
hostile_heading_title() {
    python3 -c "print('# ' + 'word ' * 14000 + '\n\nText.')" >"$HC/heading.md"
    hrun "$HC" build heading.md -o out-heading
    if [ "$rc" -eq 0 ]; then pass "$1"; return 0; fi
    hexpect "$1" "$HC" 1 "^heading\\.md:1:1: error: " out-heading
    grep -q 'PDF library error' "$HC/run.err" && fail "$1: no library code" "$(first_lines "$HC/run.err" 1)"
}

# Autolinks at their own columns (cmark-gfm counts one on a paragraph's
# later line from the paragraph's start, and a www. link at its text's).
hostile_autolink() {
    printf '# T\n\nfirst\nsecond line <http://[x"y]/> and\n\n- item one\n  more <http://[c"d]/> x\n\nA www.exa"mple.com/x and\n' >"$HC/auto.md"
    hrun "$HC" build auto.md -o out
    hexpect "$1" "$HC" 0 "^auto\\.md:4:13: warning: link to 'http://\\[x\"y\\]/' has no valid host" &&
        hexpect "$1 (list)" "$HC" 0 "^auto\\.md:7:8: warning: link to 'http://\\[c\"d\\]/' has no valid host" &&
        hexpect "$1 (www.)" "$HC" 0 "^auto\\.md:9:3: warning: link to 'http://www\\.exa\"mple\\.com/x' has no valid host"
}

# A glyph no font has: the title's warning at metadata.yaml:1:8, the
# heading's at its text, 01.md:1:3.
hostile_glyph() {
    mkdir -p "$HC/glyph"
    printf 'title: "Tit\356\200\200le"\n' >"$HC/glyph/metadata.yaml"
    printf '# Chap\356\200\202ter\n\nText.\n' >"$HC/glyph/01.md"
    hrun "$HC" build glyph -o out-glyph
    hexpect "$1" "$HC" 0 "^glyph/metadata\\.yaml:1:8: warning: no installed font can draw U\\+E000" &&
        hexpect "$1 (heading)" "$HC" 0 "^glyph/01\\.md:1:3: warning: no installed font can draw U\\+E002"
}

# Past libharu's page limit: an error naming it, at the chapter that
# passes it.
hostile_pages() {
    awk 'BEGIN { for (i = 0; i < 20000; i++) print "# Same\n" }' >"$HC/pages.md"
    hrun "$HC" build pages.md -o out-pages
    hexpect "$1" "$HC" 1 "^pages\\.md:[0-9]+:1: error: " out-pages
}

# ------------------------------------------------------------- --since

# Old e-books made to cost time and memory, or to carry what must not
# reach a terminal or a page (tests/tools/hostile_epub.py).
hostile_since() {
    local d k bad n
    hcase since
    d=$HC
    mkdir -p "$d/small" "$d/five"
    printf 'title: Small\n' >"$d/small/metadata.yaml"
    printf '# One\n\nOne two three four.\n' >"$d/small/01-one.md"
    awk 'BEGIN { print "# One\n"; for (i = 0; i < 5000; i++) print "## x\n\nword\n" }' >"$d/five/01-one.md"
    sed 's/^\[page\]$/[page]\nchanges = yes/' "$ROOT/styles/book.ini" >"$d/changes.ini"
    for k in headings sections removed words longtitle controls controls-name bomb spine; do
        python3 "$TESTS/tools/hostile_epub.py" "$k" "$d/$k.epub" || fail "hostile: since: making $k.epub" "python3 failed"
    done

    # 1,000,000 empty headings against 5,000 sections
    hrun "$d" build five -o out-headings -s changes.ini --since headings.epub
    if hexpect "hostile: since: a million empty headings against 5,000 sections" "$d" 0 ""; then
        bad=""
        grep -qx 'folio: since headings.epub: 0 changed, 5001 added, 1000000 removed' "$d/run.out" || bad="the summary: $(tail -n 2 "$d/run.out" | head -n 1)"
        pdftotext "$d/out-headings/five.pdf" - 2>/dev/null | grep -q '… and 1004801 more, named in the report' || bad="$bad; the page does not stop at 200"
        if [ -n "$bad" ]; then fail "hostile: since: ... the page lists 200" "${bad#; }" "$d/run.out"; else
            pass "hostile: since: ... the page lists 200"; fi
    fi
    hrun "$d" build small -o out -s changes.ini --since sections.epub
    hexpect "hostile: since: 1,100,000 sections" "$d" 1 \
        "^sections\\.epub: error: EPUB/c\\.xhtml cannot be compared: the edition has more than 4194304 words or 1048576 sections$" out
    hrun "$d" build small -o out -s changes.ini --since spine.epub
    hexpect "hostile: since: one chapter 100,000 times in the spine" "$d" 1 \
        "^spine\\.epub: error: EPUB/c\\.xhtml cannot be compared: the edition has more than" out
    hrun "$d" build small -o out -s changes.ini --since bomb.epub
    hexpect "hostile: since: a chapter that inflates to 65 MB" "$d" 1 \
        "^bomb\\.epub: error: EPUB/c\\.xhtml is too large \\(68157646 bytes\\)$" out
    hrun "$d" build small -o out-words -s changes.ini --since words.epub
    hexpect "hostile: since: 3,000,000 words against four" "$d" 0 "" &&
        { grep -qx 'folio: since words.epub: changed "One" (01-one.md): 3000000 words removed, 4 added' "$d/run.out" &&
            pass "hostile: since: 3,000,000 words against four: counted" ||
            fail "hostile: since: 3,000,000 words against four: counted" "$(first_lines "$d/run.out" 1)"; }

    # 5,000 removed sections from a 25 KB e-book: a page of 200
    hrun "$d" build small -o out-removed -s changes.ini --since removed.epub
    if hexpect "hostile: since: 5,000 removed sections" "$d" 0 ""; then
        n=$(pdfinfo "$d/out-removed/small.pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
        if [ "${n:-999}" -le 20 ] && pdftotext "$d/out-removed/small.pdf" - | grep -q '… and 4801 more'; then
            pass "hostile: since: 5,000 removed sections: $n pages"
        else
            fail "hostile: since: 5,000 removed sections: at most 20 pages" "${n:-no} pages" "$d/out-removed/small.pdf"
        fi
    fi

    # an 8 MB heading and a 1 MB date: cut, on the page and in the report
    hrun "$d" build small -o out-long -s changes.ini --since longtitle.epub
    if hexpect "hostile: since: an 8 MB heading, a 1 MB date" "$d" 0 ""; then
        bad=""
        [ "$(awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }' "$d/run.out")" -le 400 ] || bad="a report line is longer than 400 bytes"
        grep -q '^folio: since longtitle.epub: removed "long long .*…": 1677722 words$' "$d/run.out" || bad="$bad; no cut title in the report"
        pdftotext "$d/out-long/small.pdf" - 2>/dev/null | grep -q '^Removed: long long' || bad="$bad; no cut title on the page"
        if [ -n "$bad" ]; then fail "hostile: since: ... cut" "${bad#; }" "$d/run.out"; else
            pass "hostile: since: ... cut"; fi
    fi

    # controls and bidirectional overrides in titles, date and edition
    hrun "$d" build small -o out-controls -s changes.ini --since controls.epub
    if hexpect "hostile: since: control characters in an old e-book" "$d" 0 ""; then
        pdftotext "$d/out-controls/small.pdf" "$d/controls.txt" 2>/dev/null
        if no_control "$d/run.out" && no_control "$d/controls.txt" &&
            grep -q '^folio: since controls.epub: removed "Head��2J�evil�": 2 words$' "$d/run.out" &&
            grep -q '^Since edition 1��2J�evil� (2020��2J�evil�)' "$d/controls.txt"; then
            pass "hostile: since: control characters in an old e-book: replaced"
        else
            fail "hostile: since: control characters in an old e-book: replaced" "$(grep -a 'Head\|Since' "$d/run.out" "$d/controls.txt" | head -n 2 | cat -v)" "$d/run.out" "$d/controls.txt"
        fi
    fi
    hrun "$d" build small -o out -s changes.ini --since controls-name.epub
    hexpect "hostile: since: an escape character in a document's name" "$d" 1 \
        '^controls-name\.epub: error: not an e-book folio can read: no EPUB/c\\x1b\[2Jx\.xhtml in it$' out &&
        { no_control "$d/run.err" && pass "hostile: since: an escape character in a document's name: escaped" ||
            fail "hostile: since: an escape character in a document's name: escaped" "$(cat -v "$d/run.err")"; }
}

# ------------------------------------------------------------- main

test_hostile() {
    HOSTILE_SANITIZED=""
    rm -rf "$WORK/hostile"
    mkdir -p "$WORK/hostile"
    # a sanitizer build cannot start under ulimit -v: no memory limit then,
    # and more time
    if ! (ulimit -v "$HOSTILE_MEM" && "$FOLIO" --version; exit $?) >/dev/null 2>&1; then
        HOSTILE_MEM=""
        HOSTILE_SECS=$((HOSTILE_SECS * 6))
        HOSTILE_SANITIZED=1
    fi
    hostile_fonts
    hostile_outside
    hostile_deps
    hostile_special
    # (make check's sanitizer run: the bombs took it more than a minute;
    # the first run has them)
    if [ -n "$HOSTILE_SANITIZED" ]; then
        skip "hostile: bombs" "a sanitizer build: run in the first run"
    else
        hostile_bombs
    fi
    hostile_editions
    hostile_output
    hostile_messages
    hostile_since
}

# `bash tests/hostile.sh`: alone, with the runner's helpers
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -u
    TESTS=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
    ROOT=$(dirname "$TESTS")
    FOLIO=${FOLIO:-$ROOT/folio}
    case $FOLIO in /*) ;; *) FOLIO=$PWD/$FOLIO ;; esac
    cd "$ROOT" || exit 1
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/folio-hostile.XXXXXX") || exit 1
    trap 'rm -rf "$WORK"' EXIT
    # shellcheck disable=SC2034 # read by fail (tests/lib.sh)
    KEEP=${FOLIO_KEEP:-$TESTS/failures}
    FOLIO_RESULTS=$WORK/results
    : >"$FOLIO_RESULTS"
    # shellcheck source=tests/lib.sh
    . "$TESTS/lib.sh"
    test_hostile
    echo "$(grep -cx ok "$FOLIO_RESULTS") passed, $(grep -cx FAIL "$FOLIO_RESULTS") failed, $(grep -cx skip "$FOLIO_RESULTS") skipped"
    ! grep -qx FAIL "$FOLIO_RESULTS"
fi
