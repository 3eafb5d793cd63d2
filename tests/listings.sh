# shellcheck shell=bash
# Code listings (tests/cases/listings/): highlighting in both editions,
# code text exactly as typed, an 80-column line whole in the book style,
# long lines broken between tokens, listings with file names above and
# captions below on one page, line numbers that are not text; with
# ../shared/corpus/rust-book, the Rust book's listings. Sourced by
# tests/run.sh, which calls test_listings; lines "listings: ...". See
# "Listings" in tests/README.md.

# The book style sets code in Inconsolata at 8 pt: 4 pt a column, which
# `pdftotext -layout -fixed 4` turns back into columns exactly.
LST_PITCH=4

# lst_block TXT FIRST N: the N lines of a code block whose first line
# holds FIRST, from pdftotext -layout -fixed text, with the columns
# before the first line's text removed.
lst_block() {
    awk -v first="$2" -v n="$3" '
        !found && index($0, first) { found = 1; match($0, /[^ ]/); col = RSTART }
        found && n-- > 0 { print substr($0, col) }' "$1"
}

# lst_xhtml EPUB DOC: a content document of the e-book.
lst_xhtml() { unzip -p "$1" "EPUB/$2" 2>/dev/null; }

test_listings() {
    local d=$WORK/listings src=tests/cases/listings pdf epub txt bad got p q k x n
    local look="python3 $TESTS/tools/pdflook.py"
    mkdir -p "$d"
    need "listings" pdftotext pdfinfo qpdf pandoc python3 unzip || return
    pdf=$d/lst.pdf epub=$d/lst.epub txt=$d/lst.txt

    run_folio "$d/build" build "$src" --pdf "$pdf" --epub "$epub"
    if [ "$rc" -ne 0 ] || [ ! -s "$pdf" ] || [ ! -s "$epub" ]; then
        fail "listings: build" "exit $rc: $(first_lines "$d/build.err")" "$d/build.err"
        return
    fi
    pass "listings: build"
    pdf_layout "$pdf" "$txt"
    pdftotext -q -layout -fixed "$LST_PITCH" "$pdf" "$d/fixed.txt"
    lst_xhtml "$epub" ch001.xhtml >"$d/ch1.xhtml"
    lst_xhtml "$epub" ch002.xhtml >"$d/ch2.xhtml"
    lst_xhtml "$epub" ch003.xhtml >"$d/ch3.xhtml"

    # An unknown language or none: plain, and no warning for it.
    verdict "listings: no warning (an unknown language is no fault)" \
        "$(grep -E 'warning|error' "$d/build.err" | head -n 2 | sed 's/^/; /')" "$d/build.err"
    bad=""
    qpdf_ok "$pdf" "$d/qpdf.log" || bad="; qpdf: $(first_lines "$d/qpdf.log" 2)"
    if need "listings: qpdf and epubcheck" epubcheck; then
        epubcheck_ok "$epub" "$d/epubcheck.log" || bad="$bad; $(epubcheck_summary "$d/epubcheck.log")"
        verdict "listings: qpdf and epubcheck" "$bad" "$d/epubcheck.log" "$epub"
    fi

    # The e-book marks each print page where it begins: before a
    # listing's file name, and on an empty line of a block (04-long-block.md).
    pagelist_verdict "listings: the e-book's page-list matches the print pages" "$pdf" "$epub"

    # ---------------------------------------------------- the e-book

    bad=""
    for x in '<span class="kw">fn</span> <span class="fn">main</span>' '<span class="kw">let</span> x' \
        '<span class="co">// a comment in grey</span>' '<span class="st">&quot;a string&quot;</span>' \
        '<span class="kw">def</span>' '<span class="kw">return</span>' '<span class="co"># say hello</span>'; do
        grep -Fq "$x" "$d/ch1.xhtml" || bad="$bad; no $x"
    done
    # (a print page may begin in a block: its marker is no token)
    sed 's/<span epub:type="pagebreak"[^>]*><\/span>//g' "$d/ch1.xhtml" >"$d/ch1.nomarks"
    for x in 'frob the knob 42 times' 'plain words in a plain block'; do
        grep -F "$x" "$d/ch1.nomarks" | grep -q '<span' && bad="$bad; spans in the plain block '$x'"
        grep -q "<code[^>]*>$x" "$d/ch1.nomarks" || bad="$bad; no plain block '$x'"
    done
    verdict "listings: e-book: keywords, comments and strings in spans; plain blocks plain" "$bad" "$d/ch1.xhtml"

    # Styled by the stylesheet by weight and slant, with no colour or
    # background of its own to fight a reader's night mode.
    unzip -p "$epub" EPUB/style.css >"$d/style.css"
    bad=""
    grep -Eq '(^|[ ,])\.kw[ ,][^{]*\{[^}]*font-weight: *bold' "$d/style.css" || bad="$bad; .kw is not bold"
    grep -Eq '(^|[ ,])\.co[ ,{][^{]*\{?[^}]*font-style: *italic' "$d/style.css" || bad="$bad; .co is not italic"
    got=$(grep -E '(^|[ ,])(pre|code|\.kw|\.co|\.st|\.ty|\.fn|\.nu|\.listing[a-z-]*)([ ,.:{]|$)' "$d/style.css" |
        grep -Ei '(^|[^-])(color|background)[^-]' | head -n 2)
    [ -z "$got" ] || bad="$bad; a colour or background on code: $got"
    verdict "listings: e-book: highlighting by weight and slant, no colour or background" "$bad" "$d/style.css"

    # Listings: file name above, caption below, in a figure.
    bad=""
    grep -q '<figure class="listing" id="listing.9-1">' "$d/ch2.xhtml" || bad="$bad; no figure listing.9-1"
    tr '\n' ' ' <"$d/ch2.xhtml" | grep -q '<p class="listing-file">src/file1.rs</p> *<pre[^>]*><code class="language-rust">' || bad="$bad; no file name before listing 9-1's code"
    grep -q '<figcaption>Listing 9-1: Caption number 1, with <code>code</code></figcaption>' "$d/ch2.xhtml" || bad="$bad; no caption 'Listing 9-1: ...'"
    n=$(grep -c '<figure class="listing"' "$d/ch2.xhtml")
    [ "$n" -eq 16 ] || bad="$bad; $n listings, not 16"
    n=$(grep -c '<p class="listing-file">src/file[0-9]*\.rs</p>' "$d/ch2.xhtml")
    [ "$n" -eq 16 ] || bad="$bad; $n file names, not 16"
    n=$(grep -c '<figcaption>Listing [0-9-]*: Caption number' "$d/ch2.xhtml")
    [ "$n" -eq 11 ] || bad="$bad; $n captions, not 11"
    grep -q 'Filename: src' "$d/ch2.xhtml" && bad="$bad; a 'Filename:' line is left in the text"
    verdict "listings: e-book: listings as figures with file name and caption" "$bad" "$d/ch2.xhtml"

    # Line numbers as CSS counters: not text; pandoc reads the code alone.
    bad=""
    tr '\n' ' ' <"$d/ch3.xhtml" | grep -q '<pre class="numbered"><code class="language-rust"><span class="line">' || bad="$bad; no numbered pre with line spans"
    n=$(grep -o '<span class="line">' "$d/ch3.xhtml" | wc -l)
    [ "$n" -eq 4 ] || bad="$bad; $n line spans, not 4"
    grep -Eq 'pre\.numbered[^{]*\{[^}]*counter-reset' "$d/style.css" && grep -Eq 'counter-increment' "$d/style.css" || bad="$bad; no CSS counters"
    pandoc -f epub -t plain --wrap=none "$epub" 2>/dev/null | grep -E 'numbered_line|fn numbered' >"$d/numbered.txt"
    printf 'fn numbered() {\n    let first_numbered_line = 1;\n    let second_numbered_line = 2;\n' >"$d/numbered.want"
    sed 's/^ *\(fn\)/\1/; s/^ *\(let\)/    \1/' "$d/numbered.txt" | cmp -s - "$d/numbered.want" || bad="$bad; pandoc reads [$(tr '\n' '|' <"$d/numbered.txt")]"
    verdict "listings: e-book: line numbers are CSS counters, not text" "$bad" "$d/ch3.xhtml"

    # ---------------------------------------------------- print

    # The highlighted block is drawn in several ways (weight, slant, grey)
    # of the mono face; in the colour theme, in colours.
    p=$(page_with "$txt" 'a comment in grey')
    $look styles "$pdf" "${p:-1}" Inconsolata >"$d/styles.txt"
    bad=""
    [ "$(grep -c . "$d/styles.txt")" -ge 3 ] || bad="; $(grep -c . "$d/styles.txt") ways of drawing the code"
    grep -q 'render=2' "$d/styles.txt" || bad="$bad; nothing bolder (filled and stroked)"
    grep -Eq 'slant=0\.[1-9]' "$d/styles.txt" || bad="$bad; nothing slanted"
    grep -Eq 'fill=(gray|rgb) 0\.[0-9]' "$d/styles.txt" || bad="$bad; nothing grey"
    verdict "listings: print: keywords bolder, comments slanted and grey" "$bad" "$d/styles.txt" "$pdf"
    { cat styles/book.ini; printf '\n[code]\ntheme = colour\n'; } >"$d/colour.ini"
    run_folio "$d/colour" build "$src" -s "$d/colour.ini" --pdf "$d/colour.pdf"
    $look styles "$d/colour.pdf" "${p:-1}" Inconsolata | grep -o 'fill=rgb [0-9. ]*' | sort -u >"$d/colours.txt"
    bad=""
    [ "$rc" -eq 0 ] || bad="; exit $rc"
    [ "$(grep -c . "$d/colours.txt")" -ge 3 ] || bad="$bad; $(grep -c . "$d/colours.txt") colours"
    grep -q 'fill=rgb 0 0.25 0.55' "$d/colours.txt" || bad="$bad; keywords are not in the theme's blue"
    verdict "listings: print: [code] theme = colour colours the tokens" "$bad" "$d/colours.txt"

    # pdftotext gives the code back exactly, its spaces as typed.
    lst_block "$d/fixed.txt" 'fn main() {' 5 >"$d/main.got"
    printf '%s\n' 'fn main() {' '    // a comment in grey' '    let x = "a string";' \
        '    if x.len()  >  2 {   println!("{}",   x);   }' '}' >"$d/main.want"
    if cmp -s "$d/main.got" "$d/main.want"; then
        pass "listings: print: pdftotext gives the code exactly"
    else
        fail "listings: print: pdftotext gives the code exactly" "got [$(tr '\n' '|' <"$d/main.got")]" "$d/main.got" "$d/fixed.txt"
    fi

    # An 80-column line is set whole, on one line, in the book style.
    x=$(grep -o 'let aligned_value_one.*exactly eighty col' "$src/01-highlight.md")
    bad=""
    [ "${#x}" -eq 80 ] || bad="; the fixture's line is ${#x} columns"
    grep -Fq -- "$x" "$d/fixed.txt" || bad="$bad; not on one line as typed: $(grep -F 'aligned_value_one' "$d/fixed.txt" | sed 's/^ *//')"
    grep -A1 -F 'aligned_value_one' "$d/fixed.txt" | grep -q '↪' && bad="$bad; it goes on to a second line"
    verdict "listings: print: an 80-column line is set whole in the book style" "$bad" "$d/fixed.txt"

    # A line too long is broken between tokens: every name comes back whole.
    pdftotext -q -raw -f "${p:-1}" -l "${p:-1}" "$pdf" "$d/raw.txt"
    bad=""
    for x in $(grep -o '[A-Za-z_][A-Za-z0-9_]*' <(grep configuration_for "$src/01-highlight.md")); do
        grep -Eq "(^|[^A-Za-z0-9_])$x([^A-Za-z0-9_]|\$)" "$d/raw.txt" || bad="$bad; '$x' is not whole"
    done
    # (the continuation mark is not read: the line's two ends on two lines)
    grep 'configuration_for_the_listing_test' "$d/raw.txt" | grep -q 'fallback_default_value' &&
        bad="$bad; the line is not broken at all (the case is not exercised)"
    grep -q '↪' "$d/raw.txt" && bad="$bad; the continuation mark is read as text"
    verdict "listings: print: a long line is broken between tokens, never inside a name, its mark not read" "$bad" "$d/raw.txt"

    # Each listing: its file name above its first line, its caption under
    # its last line; on one page, unless moving it whole would have left
    # more than a fifth of a page empty (then its first and last lines
    # are on consecutive pages, two at least on each).
    bad=""
    split=0
    for ((k = 1; k <= 16; k++)); do
        p=$(page_with "$txt" "src/file$k.rs") q=$(page_with "$txt" "fn listing_$k()")
        x=$(page_with "$txt" "end_of_listing_$k")
        if [ -n "$p" ] && [ "$p" = "$q" ] && [ -n "$x" ] && [ "$x" -eq $((q + 1)) ]; then
            split=$((split + 1))
            page_text_of "$txt" "$q" | grep -A2 -F "fn listing_$k()" | grep -q "value_${k}_1 " ||
                bad="$bad; listing $k: fewer than two lines before the page break"
        else
            [ -n "$p" ] && [ "$p" = "$q" ] && [ "$q" = "$x" ] || bad="$bad; listing $k: file name on page ${p:-none}, first line on ${q:-none}, last on ${x:-none}"
        fi
        page_text_of "$txt" "${p:-0}" | grep -A1 -F "src/file$k.rs" | grep -q "fn listing_$k()" || bad="$bad; listing $k: the file name is not right above the code"
        if [ $((k % 3)) -ne 2 ]; then
            q=$(page_with "$txt" "Caption number $k,")
            [ "$q" = "$x" ] || bad="$bad; listing $k: caption on page ${q:-none}, its last line on ${x:-none}"
            page_text_of "$txt" "${x:-0}" | grep -A3 "end_of_listing_$k\$" | grep -q "Listing [0-9-]*: Caption number $k," ||
                bad="$bad; listing $k: the caption is not right under the code"
        fi
    done
    grep -q 'Filename: src' "$txt" && bad="$bad; a 'Filename:' line is printed"
    [ "$split" -le 8 ] || bad="$bad; $split of 16 listings go on over the page"
    verdict "listings: print: file name above, caption below, on the listing's page" "$bad" "$txt"

    # Labels: the author's number, else numbered through the book.
    bad=""
    grep -q 'Listing 9-1: Caption number 1, with code' "$txt" || bad="; no 'Listing 9-1: Caption number 1, with code'"
    got=$(grep -o 'Listing [0-9]*: Caption number [0-9]*, from the info string' "$txt" | awk '{ print $2 + 0 }' | tr '\n' ' ')
    [ "$(wc -w <<<"$got")" -eq 5 ] || bad="$bad; $(wc -w <<<"$got") numbered captions from info strings, not 5"
    [ "$(tr ' ' '\n' <<<"$got" | grep . | sort -n -u | tr '\n' ' ')" = "$got" ] || bad="$bad; numbers not increasing: $got"
    verdict "listings: print: labels given or numbered through the book" "$bad" "$txt"

    # Line numbers are drawn beside the code but are not its text.
    p=$(page_with "$txt" first_numbered_line)
    bad=""
    page_text_of "$txt" "${p:-0}" | grep -Eq '^ *[1-4] +(fn numbered|let (first|second)_numbered_line|\})' &&
        bad="; pdftotext reads the numbers: $(page_text_of "$txt" "${p:-0}" | grep -E '^ *[1-4] +' | head -n 2 | tr '\n' '|')"
    lst_block "$d/fixed.txt" 'fn numbered() {' 4 | grep -q '^fn numbered() {$' || bad="$bad; the code is not read as typed"
    verdict "listings: print: line numbers are not copied with the code" "$bad" "$d/fixed.txt"

    # ---------------------------------------------------- the Rust book
    test_listings_rust_book
}

# The Rust book's listings: every <Listing> caption and file name in
# both editions.
test_listings_rust_book() {
    local rb=../shared/corpus/rust-book d=$WORK/listings/rust bad n m
    if [ ! -f "$rb/book.toml" ]; then
        skip "listings: rust book" "no $rb"
        return
    fi
    mkdir -p "$d"
    FOLIO_TIMEOUT=300 run_folio "$d/build" build "$rb" --pdf "$d/rb.pdf" --epub "$d/rb.epub"
    if [ "$rc" -ne 0 ]; then
        fail "listings: rust book: build" "exit $rc: $(first_lines "$d/build.err")" "$d/build.err"
        return
    fi
    pdftotext -q "$d/rb.pdf" "$d/rb.txt"
    unzip -p "$d/rb.epub" 'EPUB/*.xhtml' >"$d/rb.xhtml"
    # every <Listing number caption> of the sources, its caption's first
    # words after its label, in both editions
    python3 - "$rb/src" "$d/rb.txt" "$d/rb.xhtml" >"$d/captions.txt" <<'PY'
import glob, html, re, sys
src, pdftxt, xhtml = sys.argv[1:4]
pdf = " ".join(open(pdftxt, encoding="utf-8").read().split())
xh = " ".join(html.unescape(re.sub(r"<[^>]*>", "", open(xhtml, encoding="utf-8").read())).split())
n = files = 0
for f in sorted(glob.glob(src + "/*.md")):
    text = open(f, encoding="utf-8").read()
    for tag in re.findall(r"""<Listing\b(?:[^>"']|"[^"]*"|'[^']*')*>""", text):
        num = re.search(r'number="([^"]*)"', tag)
        cap = re.search(r"""caption=(?:"([^"]*)"|'([^']*)')""", tag)
        files += "file-name=" in tag
        if not (num and cap):
            continue
        n += 1
        words = " ".join((cap.group(1) or cap.group(2)).replace("`", "").replace("*", "").split()[:3])
        want = "Listing %s: %s" % (num.group(1), words)
        # the PDF's and the e-book's quotes are curly, the source's straight
        fold = lambda t: t.replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
        if fold(want) not in fold(pdf):
            print("PDF lacks", want)
        if fold(want) not in fold(xh):
            print("e-book lacks", want)
print("captions", n)
print("files", files)
PY
    n=$(sed -n 's/^captions //p' "$d/captions.txt")
    m=$(sed -n 's/^files //p' "$d/captions.txt")
    bad=$(grep -E 'lacks' "$d/captions.txt" | head -n 3 | sed 's/^/; /' | tr '\n' ' ')
    [ "${n:-0}" -gt 300 ] || bad="$bad; only ${n:-0} captioned listings found in the sources"
    x=$(grep -o '<figcaption>Listing [0-9]*-[0-9]*: ' "$d/rb.xhtml" | wc -l)
    [ "$x" -eq "${n:-0}" ] || bad="$bad; e-book: $x captions, sources: $n"
    x=$(grep -o '<p class="listing-file">' "$d/rb.xhtml" | wc -l)
    [ "$x" -ge "${m:-0}" ] || bad="$bad; e-book: $x file names, sources: at least $m"
    verdict "listings: rust book: every listing's caption and file name in both editions" "$bad" "$d/captions.txt" "$d/rb.txt"
    # a file name is on the page of its code's first lines: no page's
    # last line (above its folio) is a name alone
    pdftotext -q -layout "$d/rb.pdf" "$d/rb-layout.txt"
    bad=$(python3 - "$d/rb-layout.txt" <<'PY'
import re, sys
pages = open(sys.argv[1], encoding="utf-8").read().split("\f")
for i, pg in enumerate(pages):
    lines = [l.strip() for l in pg.split("\n") if l.strip()]
    if len(lines) >= 2 and re.fullmatch(r"[\w./-]+\.(rs|toml|txt|html|sh|md|lock)", lines[-2]):
        print("page %d ends with %s;" % (i + 1, lines[-2]))
PY
)
    verdict "listings: rust book: no file name left at a page's foot" "$bad" "$d/rb-layout.txt"
}
