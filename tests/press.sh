# shellcheck shell=bash
# The press PDF (sourced by tests/run.sh, which calls test_press):
# --press writes the book's pages for a print shop, towards PDF/X-3:2002.
# Judged by qpdf, poppler's pdfinfo, pdffonts, pdfimages and pdftotext,
# and by tests/tools/pdfx3.py, which reads the file through qpdf's JSON
# and checks the rules of PDF/X-3 that a file shows.

# press_boxes PDF: "page media bleed trim" for every page, boxes as
# x0,y0,x1,y1 in whole points.
press_boxes() {
    pdfinfo -box -f 1 -l 100000 "$1" 2>/dev/null | awk '
        function box(s,   a) { split(s, a, " "); return sprintf("%d,%d,%d,%d", a[1], a[2], a[3], a[4]) }
        /^Page +[0-9]+ MediaBox:/ { p = $2; m[p] = box($4 " " $5 " " $6 " " $7); n = p > n ? p : n }
        /^Page +[0-9]+ BleedBox:/ { b[$2] = box($4 " " $5 " " $6 " " $7) }
        /^Page +[0-9]+ TrimBox:/ { t[$2] = box($4 " " $5 " " $6 " " $7) }
        END { for (i = 1; i <= n; i++) print i, m[i], b[i], t[i] }'
}

# press_qdf PDF OUT: the PDF as qpdf rewrites it, objects in the open.
press_qdf() {
    qpdf --qdf --object-streams=disable "$1" "$2" 2>/dev/null
}

# press_src DIR: a one-chapter book with a link, headings, a picture of
# 96 pixels shown at 1 in (96 dpi) and one of 1500 pixels with an alpha
# channel shown at the text width (333 dpi in the book style).
press_src() {
    mkdir -p "$1"
    cp "$TESTS/cases/book/images/figure.png" "$1/small.png"
    python3 - "$1/wide.png" <<'EOF'
import struct, sys, zlib
w, h = 1500, 120
rows = bytearray()
for y in range(h):
    rows.append(0)
    for x in range(w):
        rows += bytes((200, 40 + y, 60, (x * 255) // (w - 1)))
def chunk(kind, data):
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(bytes(rows), 9)) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
EOF
    cat >"$1/notes.md" <<'EOF'
---
title: Press Notes
---
# Notes

A *short* note with [a link](https://example.org) and a link to
[the second part](#more).

![A small chart](small.png)

## More

A wide picture, fading in.

![A wide band](wide.png)

The end.
EOF
}

test_press() {
    local d=$WORK/press src man name f n p bad qdf want plain err
    mkdir -p "$d"
    need "--press" pdfinfo pdftotext pdfimages pdffonts qpdf python3 || return
    src=$d/src
    press_src "$src"

    # names, what is written, usage errors
    name="--press: DIR/NAME-press.pdf, no EPUB"
    run_folio "$d/man" build manuscript --press -o "$d/man"
    man=$(ls "$d"/man/*.pdf 2>/dev/null | head -n 1)
    if [ "$rc" -ne 0 ]; then
        fail "$name" "exit $rc: $(first_lines "$d/man.err")" "$d/man.err"
        return
    elif [ "$(files_in "$d/man")" != "us-mexico-relations-press.pdf" ]; then
        fail "$name" "wrote [$(files_in "$d/man" | tr '\n' ' ')]"
    else
        pass "$name"
    fi
    name="--press with --split or --booklet: usage error"
    bad=""
    for f in --split --booklet; do
        run_folio "$d/usage" build manuscript --press "$f" -o "$d/usage"
        [ "$rc" -eq 2 ] && grep -q -- '--press' "$d/usage.err" || bad="$bad $f: exit $rc;"
        [ -z "$(files_in "$d/usage")" ] || bad="$bad $f wrote files;"
    done
    if [ -z "$bad" ]; then pass "$name"; else fail "$name" "$bad" "$d/usage.err"; fi
    name="--press --epub: both written"
    mkdir -p "$d/both"
    run_folio "$d/both" build "$src/notes.md" --press --pdf "$d/both/n.pdf" --epub "$d/both/n.epub"
    if [ "$rc" -eq 0 ] && [ -s "$d/both/n.pdf" ] && [ -s "$d/both/n.epub" ]; then
        pass "$name"
    else
        fail "$name" "exit $rc: $(first_lines "$d/both.err")" "$d/both.err"
    fi

    # the book's press PDF
    name="--press: qpdf --check, fonts embedded"
    if qpdf_ok "$man" "$d/qpdf.log" && fonts_ok "$man" "$d/fonts.log"; then
        pass "$name"
    else
        fail "$name" "$(first_lines "$d/qpdf.log") $(tail -n 1 "$d/fonts.log")" "$man"
    fi
    name="--press: no annotations, outline, destinations or page mode"
    qdf=$d/man.qdf.pdf
    press_qdf "$man" "$qdf"
    bad=""
    for f in /Annots /Outlines /Dests /PageMode /Link /URI; do
        grep -aq -- "$f" "$qdf" && bad="$bad $f"
        # (not even in objects nothing refers to)
        grep -aq -- "$f" "$man" && bad="$bad $f(raw)"
    done
    if [ ! -s "$qdf" ]; then
        fail "$name" "qpdf --qdf failed" "$man"
    elif [ -n "$bad" ]; then
        fail "$name" "found:$bad" "$man"
    else
        pass "$name"
    fi
    name="--press: a TrimBox the page's size on every page"
    n=$(pages_of "$man")
    bad=$(press_boxes "$man" | awk '$4 != "0,0,432,648" || $2 != $4 { print "page " $1 ": " $0 }' | head -n 3)
    if [ -z "$n" ] || [ "$(press_boxes "$man" | wc -l)" -ne "$n" ] ||
        [ "$(grep -ac '/TrimBox' "$qdf")" -ne "$n" ]; then
        fail "$name" "$n pages, $(grep -ac '/TrimBox' "$qdf") TrimBoxes" "$man"
    elif [ -n "$bad" ]; then
        fail "$name" "$bad" "$man"
    else
        pass "$name"
    fi
    name="--press: the book's pages, word for word"
    run_folio "$d/plain" build manuscript --pdf "$d/plain.pdf"
    bad=""
    plain=$(pages_of "$d/plain.pdf")
    for ((p = 1; p <= ${plain:-0}; p++)); do
        [ "$(page_text "$d/plain.pdf" "$p")" = "$(page_text "$man" "$p")" ] || bad="$bad $p"
    done
    if [ -z "$plain" ] || [ "$n" -ne $(((plain + 1) / 2 * 2)) ]; then
        fail "$name" "$plain pages made $n" "$man"
    elif [ -n "$bad" ]; then
        fail "$name" "pages differ:$(printf '%s' "$bad" | cut -c1-200)" "$man" "$d/plain.pdf"
    else
        pass "$name"
    fi
    name="--press: images flattened (no soft mask), RGB as ICC-based colour"
    pdfimages -list "$man" >"$d/images.log" 2>&1
    if grep -q 'smask\|rgb ' "$d/images.log" || ! grep -q ' icc ' "$d/images.log"; then
        fail "$name" "$(grep -c smask "$d/images.log") soft masks, $(grep -c ' rgb ' "$d/images.log") device RGB images" "$d/images.log"
    else
        pass "$name"
    fi
    name="--press: OutputIntents and GTS_PDFXVersion"
    if grep -aq '/S /GTS_PDFX' "$qdf" && grep -aq '/DestOutputProfile' "$qdf" &&
        grep -aq '/GTS_PDFXVersion (PDF/X-3:2002)' "$qdf" && grep -aq '/Trapped /False' "$qdf" &&
        pdfinfo "$man" | grep -q '^PDF subtype: *PDF/X-3:2002'; then
        pass "$name"
    else
        fail "$name" "missing in the PDF" "$qdf"
    fi
    name="--press: PDF/X-3 rules (tests/tools/pdfx3.py)"
    if python3 "$TESTS/tools/pdfx3.py" "$man" >"$d/pdfx3.log" 2>&1; then
        pass "$name"
    else
        fail "$name" "$(grep -v '^ok' "$d/pdfx3.log" | head -n 3 | tr '\n' ' ' | cut -c1-300)" "$d/pdfx3.log" "$man"
    fi
    name="--press: the rules fail the ordinary PDF (the checker checks)"
    if python3 "$TESTS/tools/pdfx3.py" "$d/plain.pdf" >"$d/pdfx3-plain.log" 2>&1; then
        fail "$name" "pdfx3.py passed a PDF with links and no output intent" "$d/pdfx3-plain.log"
    else
        want="id info intent boxes annotations actions transparency colour"
        bad=""
        for f in $want; do grep -q "^FAIL $f:" "$d/pdfx3-plain.log" || bad="$bad $f"; done
        if [ -z "$bad" ]; then pass "$name"; else fail "$name" "did not fail:$bad" "$d/pdfx3-plain.log"; fi
    fi
    name="--press: same bytes twice"
    SOURCE_DATE_EPOCH=$SDE run_folio "$d/det1" build manuscript --press --pdf "$d/det1.pdf"
    SOURCE_DATE_EPOCH=$SDE run_folio "$d/det2" build manuscript --press --pdf "$d/det2.pdf"
    if cmp -s "$d/det1.pdf" "$d/det2.pdf" && [ -s "$d/det1.pdf" ]; then pass "$name"; else
        fail "$name" "$(cmp "$d/det1.pdf" "$d/det2.pdf" 2>&1 | head -n 1)" "$d/det1.pdf" "$d/det2.pdf"
    fi

    # a small book: an odd page count, bleed, a low-resolution image
    name="--press: an odd page count gets a blank last page"
    run_folio "$d/small-plain" build "$src/notes.md" --pdf "$d/small-plain.pdf"
    run_folio "$d/small" build "$src/notes.md" --press --pdf "$d/small.pdf"
    plain=$(pages_of "$d/small-plain.pdf")
    n=$(pages_of "$d/small.pdf")
    if [ "$((plain % 2))" -ne 1 ]; then
        fail "$name" "the test book has $plain pages: it should have an odd count" "$d/small-plain.pdf"
    elif [ "$n" != $((plain + 1)) ] || [ -n "$(page_text "$d/small.pdf" "$n")" ]; then
        fail "$name" "$plain pages made $n; last page: '$(page_text "$d/small.pdf" "$n")'" "$d/small.pdf"
    else
        pass "$name"
    fi
    name="--press: a low-resolution image warns, with its place"
    err=$d/small.err
    if grep -Eq "notes\.md:9:1: warning: image '[^']*small\.png' is printed at 96 dpi" "$err" &&
        ! grep -q "wide\.png' is printed" "$err" && [ "$(grep -c 'dpi' "$err")" -eq 1 ]; then
        pass "$name"
    else
        fail "$name" "stderr: $(first_lines "$err")" "$err"
    fi
    name="--press: without --press, the print's 150 dpi, not the press's 300"
    if grep -q 'the press wants' "$d/small-plain.err" ||
        ! grep -q "small\.png' prints at 96 dpi at its size.*150 at least" "$d/small-plain.err"; then
        fail "$name" "$(first_lines "$d/small-plain.err")"
    else
        pass "$name"
    fi
    name="--press: bleed = 0.125in: BleedBox and MediaBox 9 pt beyond the TrimBox"
    printf '[page]\nbleed = 0.125in\n' >"$d/bleed.ini"
    run_folio "$d/bleed" build "$src/notes.md" --press -s "$d/bleed.ini" --pdf "$d/bleed.pdf"
    bad=$(press_boxes "$d/bleed.pdf" | awk '$2 != "-9,-9,441,657" || $3 != $2 || $4 != "0,0,432,648" { print "page " $1 ": " $0 }' | head -n 3)
    if [ "$rc" -ne 0 ] || [ -z "$(press_boxes "$d/bleed.pdf")" ]; then
        fail "$name" "exit $rc: $(first_lines "$d/bleed.err")" "$d/bleed.err"
    elif [ -n "$bad" ]; then
        fail "$name" "$bad" "$d/bleed.pdf"
    elif ! python3 "$TESTS/tools/pdfx3.py" "$d/bleed.pdf" >"$d/pdfx3-bleed.log" 2>&1; then
        fail "$name" "pdfx3.py: $(grep -v '^ok' "$d/pdfx3-bleed.log" | head -n 2 | tr '\n' ' ')" "$d/pdfx3-bleed.log"
    else
        pass "$name"
    fi
    name="--press: bleed out of range is a style error"
    printf '[page]\nbleed = 1in\n' >"$d/bleed-bad.ini"
    run_folio "$d/bleed-bad" build "$src/notes.md" --press -s "$d/bleed-bad.ini" --pdf "$d/bleed-bad.pdf"
    if [ "$rc" -eq 1 ] && grep -q 'bleed-bad.ini:2:1: error: bleed' "$d/bleed-bad.err" && [ ! -e "$d/bleed-bad.pdf" ]; then
        pass "$name"
    else
        fail "$name" "exit $rc: $(first_lines "$d/bleed-bad.err")" "$d/bleed-bad.err"
    fi
    name="--press: the small book passes qpdf, pdffonts and pdfx3.py"
    if qpdf_ok "$d/small.pdf" "$d/small-qpdf.log" && fonts_ok "$d/small.pdf" "$d/small-fonts.log" &&
        python3 "$TESTS/tools/pdfx3.py" "$d/small.pdf" >"$d/pdfx3-small.log" 2>&1; then
        pass "$name"
    else
        fail "$name" "$(first_lines "$d/small-qpdf.log" 1) $(grep -v '^ok' "$d/pdfx3-small.log" | head -n 2 | tr '\n' ' ')" "$d/small.pdf"
    fi
}
