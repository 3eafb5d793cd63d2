# shellcheck shell=bash
# Typography measured from outside (sourced by tests/run.sh, which calls
# test_pages): tools/pdfstats.py reads the PDF's words through
# pdftotext -bbox-layout and reports word spaces, loose lines,
# hyphenation, stranded headings and short pages. The limits are what
# pandoc + pdflatex (with microtype) measures on the same text and page
# (tools/compare-tex.sh manuscript): word space p95 1.49 x natural, loose
# lines 4.8 %, hyphenated lines 5.3 %; folio must do at least as well,
# with loose lines at 2 % at most. Uses the runner's pass, fail and $WORK.

# pages_stats PDF HEADINGS OUT: pdfstats' JSON of PDF into OUT.
pages_stats() {
    python3 "$ROOT/tools/pdfstats.py" "$1" --headings "$2" --json >"$3" 2>"$3.err"
}

# pages_check NAME JSON EXPR MESSAGE: EXPR (Python, over the JSON as d)
# must be true; MESSAGE (a Python expression) says what was found.
pages_check() {
    local name=$1 json=$2 expr=$3 msg=$4 out
    if out=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
ok = eval(sys.argv[2])
print(eval(sys.argv[3]))
sys.exit(0 if ok else 1)' "$json" "$expr" "$msg" 2>&1); then
        pass "$name"
    else
        fail "$name" "$out" "$json"
    fi
}

# pages_protrusion PDF: justified lines that end with a hyphen or a stop
# reach past the text block's right edge by 0.5 to 3 pt; a line that
# ends with a letter does not. Prints the counts.
pages_protrusion() {
    pdftotext -bbox-layout "$1" - 2>/dev/null | python3 -c '
import re, sys
right = {}
hang, flush, over = 0, 0, 0
page = 0
for line in re.findall(r"<page [^>]*>|<line[ >].*?</line>", sys.stdin.read(), re.S):
    if line.startswith("<page"):
        page += 1
        continue
    words = re.findall(r"xMax=\"([0-9.]+)\"[^>]*>([^<]*)</word>", line)
    if len(words) < 4:
        continue
    x, w = float(words[-1][0]), words[-1][1]
    right.setdefault(page % 2, []).append((x, w))
for side, lines in right.items():
    # the text block edge: the commonest right end of lines ending in a letter
    ends = sorted(round(x, 1) for x, w in lines if w[-1:].isalpha())
    if not ends:
        continue
    edge = max(set(ends), key=ends.count)
    for x, w in lines:
        if w[-1:] in "-\u00ad.," and 0.5 <= x - edge <= 3:
            hang += 1
        elif w[-1:] in "-\u00ad.," and abs(x - edge) < 0.5:
            flush += 1
        elif x - edge > 3:
            over += 1
print(hang, flush, over)'
}

test_pages() {
    local d=$WORK/pages json
    mkdir -p "$d"
    grep -h '^#' "$ROOT"/manuscript/*.md >"$d/headings"
    if ! "$FOLIO" build "$ROOT/manuscript" --pdf "$d/book.pdf" >"$d/build.log" 2>&1 ||
        ! pages_stats "$d/book.pdf" "$d/headings" "$d/book.json"; then
        fail "pages: the manuscript measured" "$(first_lines "$d/build.log" 3)" "$d/book.json.err"
        return
    fi
    json=$d/book.json
    pages_check "pages: no heading stranded at a page's foot" "$json" \
        'd["stranded_headings"] == []' 'd["stranded_headings"]'
    pages_check "pages: no page ends more than a line short, but before a chapter" "$json" \
        'd["short_pages"] == []' 'd["short"]'
    pages_check "pages: no word hyphenated over a page break" "$json" \
        'd["hyphen_page_breaks"] == []' 'd["hyphen_page_breaks"]'
    pages_check "pages: loose lines 2 % at most" "$json" \
        'd["loose_pct"] <= 2.0' '"%s %% loose: %s" % (d["loose_pct"], d["loose"][:3])'
    pages_check "pages: hyphenated lines no more than TeX's (5.3 %)" "$json" \
        'd["hyphenated_pct"] <= 5.3 and d["hyphen_runs_over_2"] == 0' \
        '"%s %%, runs over 2: %s" % (d["hyphenated_pct"], d["hyphen_runs_over_2"])'
    pages_check "pages: word spaces, p95 no wider than TeX's (1.49), none past 3x" "$json" \
        'd["word_space"]["p95"] <= 1.49 and d["word_space"]["max"] <= 3' 'd["word_space"]'
    local counts
    counts=$(pages_protrusion "$d/book.pdf")
    if [ "$(echo "$counts" | awk '{ print ($1 >= 10 && $2 == 0 && $3 == 0) }')" = 1 ]; then
        pass "pages: hyphens and stops hang into the margin"
    else
        fail "pages: hyphens and stops hang into the margin" \
            "hanging, flush, past 3 pt: $counts"
    fi
    # the same text without protrusion: the stops stay inside the block
    sed -e '/^\[text\]/a protrusion = no' -e "s|= \\([A-Za-z-]*\\.[ot]tf\\)|= $ROOT/fonts/\\1|" \
        "$ROOT/styles/book.ini" >"$d/flat.ini"
    "$FOLIO" build "$ROOT/manuscript" -s "$d/flat.ini" --pdf "$d/flat.pdf" >"$d/flat.log" 2>&1
    counts=$(pages_protrusion "$d/flat.pdf")
    if [ "$(echo "$counts" | awk '{ print ($1 == 0 && $2 >= 10) }')" = 1 ]; then
        pass "pages: protrusion = no keeps them inside"
    else
        fail "pages: protrusion = no keeps them inside" "hanging, flush, past 3 pt: $counts" "$d/flat.log"
    fi
    # a picture of too few pixels for its printed size is named
    mkdir -p "$d/coarse"
    cp "$TESTS/cases/book/images/figure.png" "$d/coarse/small.png"
    printf '# Coarse\n\nText.\n\n![A chart](small.png)\n' >"$d/coarse/coarse.md"
    "$FOLIO" build "$d/coarse/coarse.md" -o "$d/coarse/out" >"$d/coarse.log" 2>&1
    if grep -q "coarse.md:5:1: warning: image 'small.png' prints at 96 dpi" "$d/coarse.log"; then
        pass "pages: an image below 150 dpi warned at its place"
    else
        fail "pages: an image below 150 dpi warned at its place" "$(first_lines "$d/coarse.log" 3)"
    fi
    # a heading followed by a heading: both go with two lines of text
    pages_chain "$d"
}

# pages_chain DIR: headings in a chain at a page's foot stay with the text.
pages_chain() {
    local d=$1/chain i
    mkdir -p "$d"
    {
        printf '# Chain\n\n'
        for i in $(seq 1 30); do
            printf 'Line %s of running text, long enough to fill most of a line here.\n\n' "$i"
            if [ $((i % 7)) = 0 ]; then
                printf '## Section %s\n\n### Subsection %s\n\n#### Part %s\n\n' "$i" "$i" "$i"
            fi
        done
    } >"$d/chain.md"
    grep '^#' "$d/chain.md" >"$d/headings"
    if "$FOLIO" build "$d/chain.md" --pdf "$d/chain.pdf" >"$d/log" 2>&1 &&
        pages_stats "$d/chain.pdf" "$d/headings" "$d/chain.json"; then
        pages_check "pages: chained headings kept with their text" "$d/chain.json" \
            'd["stranded_headings"] == []' 'd["stranded_headings"]'
    else
        fail "pages: chained headings kept with their text" "$(first_lines "$d/log" 3)"
    fi
}
