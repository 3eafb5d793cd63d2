# shellcheck shell=bash
# GitHub Flavored Markdown in both editions: tables, footnotes, task lists,
# strikethrough, extended autolinks, smart punctuation and the HTML that
# authors mix in (tests/cases/gfm/). Sourced by tests/run.sh, which calls
# test_gfm; lines "gfm: ...". Judged by pdftotext (-layout, -bbox),
# tests/tools/pdflook.py (word boxes and the strokes of the content
# stream), qpdf, pandoc -f epub and the e-book's XHTML. See "GFM" in
# tests/README.md.

# gfm_pandoc_json EPUB PY: runs the Python code PY over pandoc's JSON
# reading of the e-book (the document is `doc`, walk(x) yields every
# element under x).
gfm_pandoc_json() {
    pandoc -f epub -t json "$1" 2>/dev/null | python3 -c '
import json, sys
doc = json.load(sys.stdin)
def walk(x):
    if isinstance(x, dict):
        yield x
        for v in x.values():
            yield from walk(v)
    elif isinstance(x, list):
        for v in x:
            yield from walk(v)
'"$2"
}

test_gfm() {
    local d=$WORK/gfm src=tests/cases/gfm pdf epub txt x bad p q n i r e
    local look="python3 $TESTS/tools/pdflook.py"
    mkdir -p "$d"
    need "gfm" pdftotext pdfinfo qpdf pandoc python3 unzip || return
    pdf=$d/gfm.pdf epub=$d/gfm.epub txt=$d/gfm.txt x=$d/x

    run_folio "$d/build" build "$src" --pdf "$pdf" --epub "$epub"
    if [ "$rc" -ne 0 ] || [ ! -s "$pdf" ] || [ ! -s "$epub" ]; then
        fail "gfm: build" "exit $rc: $(first_lines "$d/build.err")" "$d/build.err"
        return
    fi
    pass "gfm: build"
    pdf_layout "$pdf" "$txt"
    unzip -q -o "$epub" -d "$x"
    cat "$x"/EPUB/ch*.xhtml >"$d/all.xhtml"

    # The only warnings are the wide table's: every construct of the
    # other chapters is carried over.
    bad=$(grep -E 'warning|error' "$d/build.err" | grep -v '02-wide\.md:')
    verdict "gfm: no warning but the wide table's" "${bad:+; $bad}" "$d/build.err"

    bad=""
    qpdf_ok "$pdf" "$d/qpdf.log" || bad="; $(first_lines "$d/qpdf.log")"
    verdict "gfm: qpdf --check" "$bad" "$d/qpdf.log"
    bad=""
    fonts_ok "$pdf" "$d/fonts.log" || bad="; $(tail -n 1 "$d/fonts.log")"
    verdict "gfm: fonts embedded" "$bad" "$d/fonts.log"
    if need "gfm: epubcheck" epubcheck; then
        if epubcheck_ok "$epub" "$d/epubcheck.log"; then
            pass "gfm: epubcheck"
        else
            fail "gfm: epubcheck" "$(epubcheck_summary "$d/epubcheck.log")" "$d/epubcheck.log" "$epub"
        fi
    fi

    # The e-book marks each print page where it begins.
    pagelist_verdict "gfm: the e-book's page-list matches the print pages" "$pdf" "$epub"

    # ---------------------------------------------------------- tables

    # Every row on one line of pdftotext -layout, its cells in order.
    bad=""
    for r in 'Fruit +Origin +Price' 'Apple +Kent +1\.20' 'Banana +Ecuador +0\.50' \
        'Cherry +Kirsch +12\.00' 'Damson +Shropshire +3\.75' 'Item +Count +Remark'; do
        grep -Eq "$r" "$txt" || bad="$bad; no line /$r/"
    done
    for ((i = 1; i <= 60; i++)); do
        r=$(printf 'Row%02d +%d +[a-z]+' "$i" $((i * 13 % 97)))
        grep -Eq "$r" "$txt" || bad="$bad; no line /$r/"
    done
    verdict "gfm: pdftotext -layout shows each table row on one line" "$bad" "$pdf" "$txt"

    # Columns aligned as the delimiter row says: left edges, centres,
    # right edges of the cells line up.
    p=$(page_with "$txt" Damson)
    bad=""
    $look align "$pdf" "${p:-1}" left Fruit Apple Banana Cherry Damson >"$d/align.log" || bad="$bad; $(cat "$d/align.log")"
    $look align "$pdf" "${p:-1}" center Origin Kent Ecuador Kirsch Shropshire >"$d/align.log" || bad="$bad; $(cat "$d/align.log")"
    $look align "$pdf" "${p:-1}" right Price 1.20 0.50 12.00 3.75 >"$d/align.log" || bad="$bad; $(cat "$d/align.log")"
    verdict "gfm: table columns aligned left, centre and right" "$bad" "$pdf"

    # The long table: its header at the top of each page it reaches, each
    # row (RowNN ... endNN) whole on one page.
    p=$(page_with "$txt" Row01) q=$(page_with "$txt" Row60)
    bad=""
    if [ -z "$p" ] || [ -z "$q" ] || [ "$q" -le "$p" ]; then
        bad="; the long table is not on several pages (Row01 on ${p:-none}, Row60 on ${q:-none})"
    else
        for ((n = p; n <= q; n++)); do
            page_text_of "$txt" "$n" | grep -Eq '^ *Item +Count +Remark' || bad="$bad; no header on page $n"
        done
        for ((i = 1; i <= 60; i++)); do
            r=$(page_with "$txt" "$(printf 'Row%02d ' "$i")")
            e=$(page_with "$txt" "$(printf 'end%02d' "$i")")
            [ -n "$r" ] && [ "$r" = "$e" ] || bad="$bad; row $i split: pages ${r:-none} and ${e:-none}"
        done
    fi
    verdict "gfm: a long table repeats its header and splits no row" "$bad" "$pdf" "$txt"

    # A table too wide even at its narrowest: set smaller, then its words
    # hyphenated (broken anywhere past that) with one warning at the
    # table, never over its neighbours or off the text block (book style:
    # 61.2 pt inner, 46.8 pt outer margins; the chapter's pages alone,
    # recto first when its first page is odd).
    p=$(page_with_line "$txt" 'A Wide Table')
    q=$(awk -v p="${p:-1}" 'BEGIN { RS = "\f" } NR >= p && /blue +22/ { print NR; exit }' "$txt")
    bad=""
    # shellcheck disable=SC2046 # the pages
    $look overlap "$pdf" $(seq "${p:-1}" "${q:-${p:-1}}") >"$d/overlap.log" || bad="$bad; $(head -n 2 "$d/overlap.log" | tr '\n' ' ')"
    qpdf --empty --pages "$pdf" "${p:-1}-${q:-${p:-1}}" -- "$d/wide.pdf" 2>/dev/null
    if [ $((${p:-1} % 2)) -eq 1 ]; then n="61.2 46.8"; else n="46.8 61.2"; fi
    # shellcheck disable=SC2086 # the two margins
    bash "$TESTS/typography.sh" block "$d/wide.pdf" $n yes >"$d/block.log" 2>&1 || bad="$bad; of pages ${p:-1}-${q:-${p:-1}}, $(head -n 1 "$d/block.log")"
    e=$(grep -E '02-wide\.md:[0-9]+:[0-9]+: warning' "$d/build.err")
    [ "$(printf '%s\n' "$e" | grep -c '02-wide\.md:6:')" = 1 ] && [ "$(printf '%s\n' "$e" | wc -l)" = 1 ] ||
        bad="$bad; not one warning, at 02-wide.md:6: $(printf '%s' "$e" | tr '\n' ' ')"
    verdict "gfm: a table too wide for the page stays in the text block, with a warning" "$bad" "$pdf" "$d/build.err"

    # A header word that is its column's widest is not broken (it is
    # measured in the header's bold face).
    bad=""
    grep -Eq 'Colour +Size' "$txt" || bad="; the header reads: $(grep -E 'Colou' "$txt" | head -n 1)"
    grep -q '02-wide\.md:12:[0-9]*: warning' "$d/build.err" && bad="$bad; $(grep '02-wide\.md:12' "$d/build.err" | head -n 1)"
    verdict "gfm: a header word that is its column's widest is not broken" "$bad" "$txt" "$d/build.err"

    # e-book: pandoc reads four tables back: columns, header rows, rows.
    gfm_pandoc_json "$epub" '
for t in walk(doc):
    if t.get("t") == "Table":
        c = t["c"]
        print(len(c[2]), len(c[3][1]), sum(len(b[3]) for b in c[4]))
' >"$d/tables.txt"
    printf '3 1 4\n3 1 60\n10 1 1\n2 1 2\n' >"$d/tables.want"
    if cmp -s "$d/tables.txt" "$d/tables.want"; then
        pass "gfm: pandoc -f epub reads the tables back"
    else
        fail "gfm: pandoc -f epub reads the tables back" "columns, header rows, body rows: [$(tr '\n' '|' <"$d/tables.txt")], expected [3 1 4|3 1 60|10 1 1|2 1 2|]" "$epub"
    fi

    # e-book: header cells, alignment, inline formatting in cells.
    bad=""
    for r in '<thead>' '<th scope="col" class="left">Fruit</th>' '<th scope="col" class="center">Origin</th>' \
        '<th scope="col" class="right">Price</th>' '<td class="left"><em>Cherry</em></td>' \
        '<td class="center"><code>Kirsch</code></td>' '<td class="center"><strong>Shropshire</strong></td>' \
        '<td class="right">12.00</td>'; do
        grep -Fq "$r" "$d/all.xhtml" || bad="$bad; no $r"
    done
    grep -Eq '\.center *\{[^}]*text-align: *center' "$x/EPUB/style.css" || bad="$bad; style.css does not centre .center"
    verdict "gfm: e-book tables: th scope=col, alignment, formatting in cells" "$bad" "$epub"

    # ---------------------------------------------------------- notes

    # Each note on the page of its reference; a long note may go on to
    # the next page but never starts before its reference.
    bad=""
    for ((i = 1; i <= 24; i++)); do
        r=$(page_with "$txt" "$(printf 'ref%02d' "$i")")
        n=$(page_with "$txt" "$(printf 'note%02d' "$i")")
        [ -n "$r" ] && [ "$r" = "$n" ] || bad="$bad; ref $i on page ${r:-none}, its note on ${n:-none}"
    done
    local split=0
    for ((i = 1; i <= 8; i++)); do
        r=$(page_with "$txt" "$(printf 'lref%02d' "$i")")
        n=$(page_with "$txt" "$(printf 'lnote%02d starts' "$i")")
        e=$(page_with "$txt" "$(printf 'lnote%02dend' "$i")")
        [ -n "$r" ] && [ "$r" = "$n" ] || bad="$bad; long ref $i on page ${r:-none}, its note starts on ${n:-none}"
        [ -n "$e" ] && [ -n "$n" ] && [ "$e" -ge "$n" ] && [ "$e" -le $((n + 1)) ] || bad="$bad; long note $i ends on page ${e:-none}"
        [ -n "$e" ] && [ -n "$n" ] && [ "$e" -gt "$n" ] && split=$((split + 1))
    done
    [ "$split" -gt 0 ] || bad="$bad; no long note goes on to the next page (the case is not exercised)"
    verdict "gfm: each note's text on the page of its reference" "$bad" "$pdf" "$txt"

    # Numbered per chapter: 1 to 24, then from 1 again.
    bad=""
    grep -Eq '^ *1\. note01 ' "$txt" || bad="$bad; note01 is not numbered 1"
    grep -Eq '^ *24\. note24 ' "$txt" || bad="$bad; note24 is not numbered 24"
    grep -Eq '^ *1\. lnote01 ' "$txt" || bad="$bad; the next chapter's first note is not numbered 1"
    verdict "gfm: notes numbered per chapter" "$bad" "$txt"

    # The short rule above the notes crosses and touches no line of text,
    # the body's above it or the notes' below.
    local pages=""
    for ((i = 1; i <= 8; i++)); do
        pages="$pages $(page_with "$txt" "$(printf 'lnote%02d starts' "$i")")"
    done
    for ((i = 1; i <= 24; i += 4)); do
        pages="$pages $(page_with "$txt" "$(printf 'note%02d' "$i")")"
    done
    # shellcheck disable=SC2086 # a list of page numbers
    bad=$($look clear "$pdf" $pages 2>&1 | head -n 2 | tr '\n' ' ')
    verdict "gfm: the notes' rule crosses no line of text" "${bad:+; $bad}" "$pdf"

    # e-book: noterefs and footnotes marked for reading systems, with
    # back-links; pandoc reads 32 notes, one of two paragraphs, one with
    # code.
    bad=""
    n=$(grep -o '<a epub:type="noteref" role="doc-noteref"[^>]*href="#note\.[0-9]*"' "$d/all.xhtml" | wc -l)
    [ "$n" -eq 32 ] || bad="$bad; $n noteref links, not 32"
    n=$(grep -o '<aside epub:type="footnote" role="doc-footnote"' "$d/all.xhtml" | wc -l)
    [ "$n" -eq 32 ] || bad="$bad; $n footnote asides, not 32"
    n=$(grep -o 'role="doc-backlink"' "$d/all.xhtml" | wc -l)
    [ "$n" -eq 32 ] || bad="$bad; $n back-links, not 32"
    gfm_pandoc_json "$epub" '
notes = [x for x in walk(doc) if x.get("t") == "Note"]
print(len(notes))
def text(x):
    return " ".join(s["c"] for s in walk(x) if s.get("t") == "Str")
for nt in notes:
    t = text(nt)
    if "note09" in t:
        print("paras", sum(1 for b in nt["c"] if b.get("t") in ("Para", "Plain") and len(text(b).split()) > 3))
    if "note14" in t:
        print("code", sum(1 for b in walk(nt) if b.get("t") == "CodeBlock"))
' >"$d/notes.txt"
    [ "$(sed -n 1p "$d/notes.txt")" = 32 ] || bad="$bad; pandoc reads $(sed -n 1p "$d/notes.txt") notes, not 32"
    grep -qx 'paras 2' "$d/notes.txt" || bad="$bad; note 9's two paragraphs are not read back"
    grep -qx 'code 1' "$d/notes.txt" || bad="$bad; note 14's code block is not read back"
    verdict "gfm: pandoc -f epub reads the notes back as notes" "$bad" "$epub" "$d/notes.txt"

    # Endnotes and numbering through the book (a style's [notes]).
    printf '[notes]\nplacement = end\nnumbering = book\n' >"$d/endnotes.ini"
    run_folio "$d/end" build "$src" -s "$d/endnotes.ini" --pdf "$d/end.pdf"
    pdf_layout "$d/end.pdf" "$d/end.txt"
    bad=""
    [ "$rc" -eq 0 ] || bad="; exit $rc: $(first_lines "$d/end.err")"
    r=$(page_with "$d/end.txt" ref01) n=$(page_with "$d/end.txt" note01)
    e=$(page_with "$d/end.txt" ref24)
    [ -n "$r" ] && [ -n "$n" ] && [ -n "$e" ] && [ "$n" -ge "$e" ] && [ "$n" -gt "$r" ] ||
        bad="$bad; note 1 on page ${n:-none}: not after the chapter's last reference (page ${e:-none})"
    grep -Eq '^ *25\. lnote01 ' "$d/end.txt" || bad="$bad; the second chapter's first note is not numbered 25"
    verdict "gfm: [notes] placement = end, numbering = book" "$bad" "$d/end.pdf" "$d/end.err"

    # ---------------------------------------------------------- the rest

    # Task lists: boxes in print, disabled checkboxes in the e-book.
    bad=""
    grep -Eq '☑ +a done task' "$txt" || bad="$bad; no '☑ a done task'"
    grep -Eq '☐ +an open task' "$txt" || bad="$bad; no '☐ an open task'"
    grep -E 'a plain item' "$txt" | grep -q '[☐☑]' && bad="$bad; a plain item has a box"
    grep -Eq '<input type="checkbox" disabled="disabled" checked="checked"[^>]*/> *a done task' "$d/all.xhtml" || bad="$bad; no checked, disabled box before 'a done task'"
    grep -Eq '<input type="checkbox" disabled="disabled" aria-label="[^"]*"/> *an open task' "$d/all.xhtml" || bad="$bad; no unchecked, disabled box before 'an open task'"
    verdict "gfm: task lists in both editions" "$bad" "$pdf" "$epub"

    # Strikethrough: a line drawn through the words in print; <del>.
    # (also <del> and <s> in HTML, their content kept)
    $look struck "$pdf" cancelled withdrawn retracted scrapped among >"$d/struck.txt"
    bad=""
    for x in cancelled withdrawn retracted scrapped; do
        grep -Eq " $x struck\$" "$d/struck.txt" || bad="$bad; '$x' is not struck"
    done
    grep -Eq ' among plain$' "$d/struck.txt" || bad="$bad; 'among' is struck or missing"
    for x in '<del>cancelled</del>' '<del><em>retracted</em></del>' '<del>scrapped</del>'; do
        grep -Fq "$x" "$d/all.xhtml" || bad="$bad; no $x"
    done
    gfm_pandoc_json "$epub" '
print(sum(1 for x in walk(doc) if x.get("t") == "Strikeout"))' >"$d/strike.txt"
    [ "$(cat "$d/strike.txt")" = 4 ] || bad="$bad; pandoc reads $(cat "$d/strike.txt") struck spans, not 4"
    verdict "gfm: strikethrough in both editions" "$bad" "$pdf" "$d/struck.txt"

    # Extended autolinks: links in both editions.
    qpdf --qdf --object-streams=disable "$pdf" "$d/gfm.qdf" 2>/dev/null
    bad=""
    for r in 'http://www.example.com' 'https://example.org/guide' 'mailto:mail@example.net'; do
        grep -aFq "/URI ($r)" "$d/gfm.qdf" || bad="$bad; no PDF link to $r"
        grep -Fq "href=\"$r\"" "$d/all.xhtml" || bad="$bad; no e-book link to $r"
    done
    verdict "gfm: extended autolinks in both editions" "$bad" "$pdf" "$epub"

    # Smart punctuation in prose, never in code; smart: false turns it off.
    bad=""
    tr '\n' ' ' <"$txt" | sed 's/- //g' >"$d/joined.txt"
    # shellcheck disable=SC1112 # the curly quotes are what is looked for
    grep -Fq 'It’s a “quoted” phrase – with an en dash, an em dash — and an ellipsis…' "$d/joined.txt" ||
        bad="$bad; PDF: no curly quotes, dashes and ellipsis"
    grep -Fq "\"x\" -- 'y'..." "$txt" || bad="$bad; PDF: the code span changed"
    sed -e 's/&quot;/"/g' -e "s/&#39;/'/g" -e 's/&apos;/'"'"'/g' "$d/all.xhtml" >"$d/unescaped.xhtml"
    # shellcheck disable=SC1112
    grep -Fq 'It’s a “quoted” phrase – with' "$d/unescaped.xhtml" || bad="$bad; e-book: no curly quotes"
    grep -Fq "<code>\"x\" -- 'y'...</code>" "$d/unescaped.xhtml" || bad="$bad; e-book: the code span changed"
    { printf -- '---\nsmart: false\n---\n'; cat "$src/05-extensions.md"; } >"$d/plain.md"
    run_folio "$d/plain" build "$d/plain.md" --pdf "$d/plain.pdf"
    pdftotext -q -layout "$d/plain.pdf" "$d/plain.txt"
    grep -Fq "It's a \"quoted\" phrase -- with an en dash, an em dash --- and an" "$d/plain.txt" ||
        bad="$bad; smart: false still changes the punctuation"
    verdict "gfm: smart punctuation in prose only, and smart: false" "$bad" "$txt" "$d/plain.txt"

    # HTML authors mix in: sub, sup, kbd carried; Vec<T> stays text.
    bad=""
    for r in 'H<sub>2</sub>O' 'x<sup>2</sup>' '<kbd>Ctrl</kbd>' 'Vec&lt;T&gt;' 'Option&lt;u8&gt;'; do
        grep -Fq "$r" "$d/all.xhtml" || bad="$bad; e-book: no $r"
    done
    for r in 'Vec<T>' 'Option<u8>' 'Ctrl'; do
        grep -Fq "$r" "$txt" || bad="$bad; PDF: no $r"
    done
    verdict "gfm: inline HTML carried, Vec<T> kept as text" "$bad" "$txt" "$epub"
}
