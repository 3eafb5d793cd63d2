# shellcheck shell=bash
# SVG figures: tests/cases/svg, a Graphviz figure of The Rust Programming
# Language and a figure that carries a script, event handlers, references
# out of the file and a foreignObject.
#
# Sourced by tests/run.sh, which then calls test_svg. Uses the runner's
# pass, fail, need, run_folio, qpdf_ok, epubcheck_ok, epubcheck_summary and
# first_lines (tests/lib.sh), and $WORK. Defines only test_svg.
test_svg() {
    local name=cases/svg src=tests/cases/svg d=$WORK/svg bad="" list f
    need "$name" qpdf pdfimages unzip epubcheck || return
    rm -rf "$d"
    mkdir -p "$d"
    run_folio "$d/build" build "$src" --pdf "$d/out.pdf" --epub "$d/out.epub"
    if [ "$rc" -ne 0 ]; then
        fail "$name: build" "exit $rc: $(first_lines "$d/build.err")" "$d/build.err"
        return
    fi
    grep -Eq "01-figures\.md:11:1: warning: image 'images/hostile\.svg': 7 unsafe parts" "$d/build.err" ||
        bad="$bad; no warning counting hostile.svg's 7 unsafe parts"
    grep -q 'trpl04-01' "$d/build.err" && bad="$bad; a warning about the Rust figure"
    grep -q 'error:' "$d/build.err" && bad="$bad; an error"
    if [ -n "$bad" ]; then fail "$name: warnings" "${bad#; }" "$d/build.err"; else pass "$name: warnings"; fi

    if qpdf_ok "$d/out.pdf" "$d/qpdf.log"; then pass "$name: qpdf --check"; else fail "$name: qpdf --check" "$(first_lines "$d/qpdf.log")" "$d/out.pdf"; fi
    if epubcheck_ok "$d/out.epub" "$d/epubcheck.log"; then
        pass "$name: epubcheck"
    else
        fail "$name: epubcheck" "$(epubcheck_summary "$d/epubcheck.log")" "$d/out.epub" "$d/epubcheck.log"
    fi

    # The e-book: both drawings as image/svg+xml, the hostile one clean.
    bad=""
    mkdir -p "$d/x"
    unzip -q -o "$d/out.epub" -d "$d/x" 2>/dev/null
    [ "$(grep -c 'media-type="image/svg+xml"' "$d/x/EPUB/package.opf" 2>/dev/null)" = 2 ] ||
        bad="$bad; not two image/svg+xml items in the package"
    for f in "$d"/x/EPUB/images/*.svg; do
        [ -f "$f" ] || { bad="$bad; no SVG in the EPUB"; break; }
        head -c 40 "$f" | grep -q '^<?xml version="1.0" encoding="UTF-8"' || bad="$bad; ${f##*/} lost its XML declaration"
        grep -q '<svg xmlns="http://www.w3.org/2000/svg"' "$f" || bad="$bad; ${f##*/} lost its namespace"
        grep -Eiq '<script|<foreignObject|<iframe|[[:space:]]on[a-z]+=|<!DOCTYPE|example\.com|alert\(' "$f" &&
            bad="$bad; ${f##*/} keeps: $(grep -Eio '<script|<foreignObject|<iframe|[[:space:]]on[a-z]+=|<!DOCTYPE|example\.com|alert\(' "$f" | sort -u | tr '\n' ' ')"
    done
    grep -q '<img src="images/img2.svg" alt="Three coloured boxes joined by lines"/>' "$d"/x/EPUB/*.xhtml ||
        bad="$bad; no <img> of the second SVG"
    if [ -n "$bad" ]; then fail "$name: sanitised SVG in epub" "${bad#; }" "$d/x/EPUB"; else pass "$name: sanitised SVG in epub"; fi

    # The PDF: each drawn at 300 dpi of its natural size (1000×700 and
    # 320×160 CSS pixels), the first with a soft mask (its background does
    # not cover its viewBox); the second at its natural size (300 ppi),
    # the first scaled down to the text block (more than 300 ppi).
    bad=""
    list=$(pdfimages -list "$d/out.pdf" 2>/dev/null | awk 'NR > 2 { print $3, $4 "x" $5, $13 }')
    printf '%s\n' "$list" | grep -q '^image 3125x2187 ' || bad="$bad; no 3125x2187 image"
    printf '%s\n' "$list" | grep -q '^smask 3125x2187 ' || bad="$bad; no 3125x2187 soft mask"
    printf '%s\n' "$list" | grep -q '^image 1000x500 300$' || bad="$bad; no 1000x500 image at 300 ppi"
    printf '%s\n' "$list" | awk '$2 == "3125x2187" && $1 == "image" && $3 > 300 { ok = 1 } END { exit !ok }' ||
        bad="$bad; the Rust figure not scaled down"
    if [ -n "$bad" ]; then
        fail "$name: drawings in pdf" "${bad#; } (pdfimages: $(printf '%s' "$list" | tr '\n' ',' | cut -c1-200))" "$d/out.pdf"
    else
        pass "$name: drawings in pdf"
    fi
}
