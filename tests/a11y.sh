# shellcheck shell=bash
# E-book accessibility: the rules Ace by DAISY applies, checked without it
# (tests/tools/epub_a11y.py), and Ace itself where it is installed
# (tests/ace.sh).
#
# Sourced by tests/run.sh after ace.sh. run.sh calls check_a11y NAME EPUB
# for the e-books it builds (cases/book, manuscript) and test_a11y once
# the corpus is built. Uses the runner's pass, fail, skip, need,
# run_folio, epubcheck_ok, epubcheck_summary and first_lines
# (tests/lib.sh), and $FOLIO, $WORK, $TESTS. Defines only functions:
# check_a11y, test_a11y and a11y_* helpers. See "E-book accessibility" in
# tests/README.md.

# a11y_rules NAME EPUB: epub_a11y.py passes EPUB (page source, page list,
# roles, headings, metadata).
a11y_rules() {
    local name="$1: accessibility rules" log
    need "$name" python3 || return
    log=$(mktemp "$WORK/a11y.XXXXXX")
    if python3 "$TESTS/tools/epub_a11y.py" "$2" >"$log" 2>&1; then
        pass "$name"
    else
        fail "$name" "$(grep -v '^ok ' "$log" | head -n 3 | tr '\n' ' ' | cut -c1-400)" "$log" "$2"
    fi
}

# check_a11y NAME EPUB: the rules, and Ace.
check_a11y() {
    a11y_rules "$1" "$2"
    test_ace "$1: ace" "$2"
}

# a11y_claim NAME EPUB WANT: the package claims WCAG conformance (WANT
# yes) or does not, and then its summary says why (WANT no).
a11y_claim() {
    local name=$1 opf claim sum
    opf=$(unzip -p "$2" '*.opf' 2>/dev/null)
    claim=$(printf '%s\n' "$opf" | grep -c 'property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.1 Level AA<')
    sum=$(printf '%s\n' "$opf" | sed -n 's/.*property="schema:accessibilitySummary">\([^<]*\)<.*/\1/p')
    if [ "$3" = yes ] && [ "$claim" -ne 1 ]; then
        fail "$name" "no dcterms:conformsTo 'EPUB Accessibility 1.1 - WCAG 2.1 Level AA'" "$2"
    elif [ "$3" = no ] && [ "$claim" -ne 0 ]; then
        fail "$name" "dcterms:conformsTo claimed" "$2"
    elif [ "$3" = no ] && ! printf '%s' "$sum" | grep -q 'No conformance is claimed: '; then
        fail "$name" "the summary does not say why nothing is claimed: '$sum'" "$2"
    elif printf '%s\n' "$opf" | grep -q 'a11y:certifiedBy'; then
        fail "$name" "a11y:certifiedBy, though no one evaluated the book" "$2"
    else
        pass "$name"
    fi
}

# a11y_source DIR: a chapter that meets each fixed rule: a code listing
# with empty lines, so that some print pages begin at one (their markers
# once closed the document, out of order: NAV-011); headings that skip
# levels, in a quotation as the Rust book has them; an empty heading.
a11y_source() {
    local d=$1 i
    mkdir -p "$d"
    printf 'title: Accessible\nlang: en\n' >"$d/metadata.yaml"
    {
        printf '# Levels\n\nA chapter.\n\n> #### Keywords\n>\n> Quoted text.\n\n'
        printf '###### Deep\n\nText.\n\n##\n\nAfter an empty heading.\n\n'
        printf '# Listing\n\nThe listing follows.\n\n```\n'
        for i in $(seq 1 250); do
            printf 'let line_%d = %d;\n' "$i" "$i"
            [ $((i % 5)) -eq 0 ] && printf '\n\n'
        done
        printf '```\n\nThe end.\n'
    } >"$d/01-text.md"
}

# a11y_moving DIR: a book with a described animated PNG (an acTL chunk)
# and a described SVG with an <animate>.
a11y_moving() {
    local d=$1
    mkdir -p "$d/images"
    printf 'title: Moving\nlang: en\n' >"$d/metadata.yaml"
    printf '# Pictures\n\n![A blinking square](images/blink.png)\n\n![A pulsing circle](images/pulse.svg)\n' >"$d/01-pictures.md"
    python3 - "$d/images/blink.png" <<'PY'
import struct, sys, zlib
def chunk(t, data):
    return struct.pack(">I", len(data)) + t + data + struct.pack(">I", zlib.crc32(t + data))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 0, 0, 0, 0))
png += chunk(b"acTL", struct.pack(">II", 1, 0))
png += chunk(b"fcTL", struct.pack(">IIIIIHHBB", 0, 4, 4, 0, 0, 1, 2, 0, 0))
png += chunk(b"IDAT", zlib.compress(b"\x00\x80\x80\x80\x80" * 4)) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
PY
    printf '%s\n' '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40">' \
        '<circle cx="20" cy="20" r="10" fill="black"><animate attributeName="r" values="5;15;5" dur="1s" repeatCount="indefinite"/></circle></svg>' \
        >"$d/images/pulse.svg"
}

test_a11y() {
    local d o f bad="" n=0 src rb
    # the corpus books corpus.sh built: every one follows the rules; Ace
    # on two (headings; images without descriptions)
    if [ -d "$WORK/corpus/out" ] && need "a11y: corpus" python3; then
        for f in "$WORK"/corpus/out/*/book.epub; do
            [ -f "$f" ] || continue
            n=$((n + 1))
            o=${f%/book.epub}
            python3 "$TESTS/tools/epub_a11y.py" "$f" >"$o/a11y.log" 2>&1 ||
                bad="$bad; ${o##*/}: $(grep -v '^ok ' "$o/a11y.log" | head -n 1)"
        done
        if [ "$n" -eq 0 ]; then
            skip "a11y: corpus books follow the accessibility rules" "no corpus book built"
        elif [ -n "$bad" ]; then
            fail "a11y: corpus books follow the accessibility rules" "$(printf '%s' "${bad#; }" | cut -c1-500)"
        else
            pass "a11y: corpus books follow the accessibility rules ($n books)"
        fi
        for f in "$WORK"/corpus/out/*-atx-headings/book.epub "$WORK"/corpus/out/*-images/book.epub; do
            o=${f%/book.epub}
            [ -f "$f" ] && test_ace "a11y: corpus ${o##*/}: ace" "$f"
        done
    fi

    # the fixed rules, on a book made to meet them
    d=$WORK/a11y
    src=$d/src
    a11y_source "$src"
    o=$d/out
    mkdir -p "$o"
    run_folio "$d/build" build "$src" --pdf "$o/book.pdf" --epub "$o/book.epub"
    if [ "$rc" -ne 0 ] || [ ! -s "$o/book.epub" ]; then
        fail "a11y: listing, headings: build" "exit $rc: $(first_lines "$d/build.err")" "$d/build.err"
    else
        if bash "$TESTS/pagelist.sh" "$o/book.pdf" "$o/book.epub" >"$d/pagelist.log" 2>&1; then
            pass "a11y: listing, headings: page-list matches the print pages"
        else
            fail "a11y: listing, headings: page-list matches the print pages" "$(first_lines "$d/pagelist.log" 2)" "$o" "$d/pagelist.log"
        fi
        if need "a11y: listing, headings: epubcheck" epubcheck; then
            if epubcheck_ok "$o/book.epub" "$d/epubcheck.log"; then
                pass "a11y: listing, headings: epubcheck"
            else
                fail "a11y: listing, headings: epubcheck" "$(epubcheck_summary "$d/epubcheck.log")" "$d/epubcheck.log" "$o/book.epub"
            fi
        fi
        check_a11y "a11y: listing, headings" "$o/book.epub"
        a11y_claim "a11y: no image, a language: conformance claimed" "$o/book.epub" yes
    fi

    # what is not claimed: an image without a description, no language
    for f in empty-alt nometa-single.md; do
        run_folio "$d/claim-$f" build "$TESTS/cases-meta/$f" --epub "$d/claim-$f.epub"
        if [ "$rc" -ne 0 ]; then
            fail "a11y: cases-meta/$f: no conformance claimed" "exit $rc: $(first_lines "$d/claim-$f.err")" "$d/claim-$f.err"
        else
            a11y_claim "a11y: cases-meta/$f: no conformance claimed" "$d/claim-$f.epub" no
        fi
    done

    # pictures that move: a hazard unknown, and nothing claimed
    a11y_moving "$d/moving"
    run_folio "$d/moving" build "$d/moving" --epub "$d/moving.epub"
    if [ "$rc" -ne 0 ]; then
        fail "a11y: animated pictures: no conformance claimed" "exit $rc: $(first_lines "$d/moving.err")" "$d/moving.err"
    elif ! unzip -p "$d/moving.epub" '*.opf' | grep -q 'property="schema:accessibilityHazard">unknown<'; then
        fail "a11y: animated pictures: no conformance claimed" "no schema:accessibilityHazard unknown" "$d/moving.epub"
    else
        a11y_claim "a11y: animated pictures: no conformance claimed" "$d/moving.epub" no
    fi

    # a long technical book (776 pages): its page list in reading order
    # (EPUBCheck's NAV-011 once), by the rules and EPUBCheck; on the first
    # run of make check only (FOLIO_HEAVY=1), as the book takes a while
    rb=${SHARED:-../shared}/corpus/rust-book
    if [ -z "${FOLIO_HEAVY:-}" ]; then
        skip "a11y: rust-book" "FOLIO_HEAVY unset"
    elif [ ! -f "$rb/book.toml" ]; then
        skip "a11y: rust-book" "$rb missing"
    else
        run_folio "$d/rb" build "$rb" --pdf "$d/rb.pdf" --epub "$d/rb.epub"
        if [ "$rc" -ne 0 ]; then
            fail "a11y: rust-book: build" "exit $rc: $(grep 'error: ' "$d/rb.err" | head -n 2 | tr '\n' ' ' | cut -c1-300)" "$d/rb.err"
        else
            a11y_rules "a11y: rust-book" "$d/rb.epub"
            if need "a11y: rust-book: epubcheck" epubcheck; then
                if epubcheck_ok "$d/rb.epub" "$d/rb-epubcheck.log"; then
                    pass "a11y: rust-book: epubcheck"
                else
                    fail "a11y: rust-book: epubcheck" "$(epubcheck_summary "$d/rb-epubcheck.log")" "$d/rb-epubcheck.log"
                fi
            fi
        fi
    fi
}
