# shellcheck shell=bash
# The tagged PDF (sourced by tests/run.sh, which calls test_tagged after
# the CommonMark corpus has been built): every PDF folio writes but the
# booklet and the press edition is tagged to PDF/UA-1's rules.
#
# Judged from outside, by three readers that share nothing with folio:
# poppler (pdfinfo's "Tagged:" and -struct-text, the tree and its text
# in reading order), tests/tools/pdfua.py (the machine-checkable rules of
# PDF/UA-1, the Matterhorn Protocol's, over qpdf's JSON; no PDF/UA
# validator can be installed here) and, when tools/pdfjs-install.sh has
# put it in ${PDFJS_DIR:-build/pdfjs}, pdf.js (the structure tree Firefox
# gives to screen readers). Lines "tagged: ...". See "Tagged PDF" in
# tests/README.md.

PDFJS_DIR=${PDFJS_DIR:-build/pdfjs}

# tagged_src DIR: a small book with a note at a page's foot, a link in
# the text and in a note, a described figure, a quote in a quote, lists
# three deep, a table with a header row, code, a heading that skips a
# level, and a second chapter.
tagged_src() {
    mkdir -p "$1"
    cp "$TESTS/cases/book/images/figure.png" "$1/chart.png"
    printf 'title: "Tagged Sample"\nauthor: Ada Tester\nlang: en-GB\ndate: 2025-02-01\n' >"$1/metadata.yaml"
    cat >"$1/01-one.md" <<'EOF'
# First chapter

Opening words of the first chapter, with a note.[^n1] And a
[link to the example site](https://example.org/page) in the text.

### Skipped level

A heading that skips a level is still tagged one below the chapter.

![A bar chart of three values](chart.png)

> A quoted paragraph, with *emphasis*.
>
> > A nested quotation.

- outer alpha
  - inner beta
    1. deepest gamma
- outer delta

| Name  | Count | Note          |
|-------|------:|---------------|
| apple |     3 | red and round |
| pear  |    12 | green         |

```c
int
main(void)
{
	return 0;
}
```

Closing paragraph of the first chapter.[^n2]

[^n1]: The first footnote, at the foot of the page.
[^n2]: The second footnote, with [a link](https://example.org/note).
[^n3]: A note on a heading, read after it.

# Second chapter

## A section[^n3]

Words of the second chapter, a [link back](#first-chapter).

A line that ends in a hard break,\
and the line after it.
EOF
}

# The chapters of tagged_src as the structure tree must hold them,
# element types in reading order (pdfua.py --tree, without attributes):
# a note's reference in the text is a Link, its Note follows (after the
# heading, for a note on a heading).
tagged_src_tree() {
    cat <<'EOF'
Sect
 H1
 P
  Link
  Note
   P
  Link
  Link
 H2
 P
 Figure
 Caption
 BlockQuote
  P
  BlockQuote
   P
 L
  LI
   Lbl
   LBody
    P
    L
     LI
      Lbl
      LBody
       P
       L
        LI
         Lbl
         LBody
          P
  LI
   Lbl
   LBody
    P
 Table
  TR
   TH
   TH
   TH
  TR
   TD
   TD
   TD
  TR
   TD
   TD
   TD
 Code
 P
  Link
  Note
   P
    Link
Sect
 H1
 H2
  Link
 Note
  P
 P
  Link
 P
EOF
}

# struct_lines PDF OUT: pdfinfo -struct-text as "TYPE TYPE ...<TAB>text",
# one line per text of the tree, the types of its ancestors before it.
struct_lines() {
    pdfinfo -struct-text "$1" 2>/dev/null | python3 -c '
import re, sys
path = []
for line in sys.stdin:
    line = line.rstrip("\n")
    s = line.strip()
    if not s:
        continue
    if len(s) >= 2 and s[0] == "\"" and s[-1] == "\"":
        print(" ".join(path) + "\t" + s[1:-1])
        continue
    m = re.fullmatch(r"([A-Za-z][A-Za-z0-9]*)( \((block|inline)\))?:?", s)
    if m and s != "Object":
        depth = (len(line) - len(line.lstrip(" "))) // 2
        path = path[:depth] + [m.group(1)]
' >"$2"
}

# tagged_headings LINES: "H2 text" for each heading of struct_lines'
# output, in order, the text normalized.
tagged_headings() {
    awk -F '\t' '{ n = split($1, p, " "); t = p[n] } t ~ /^H[1-6]$/ { print t "\t" $2 }' "$1" |
        while IFS=$'\t' read -r h t; do printf '%s %s\n' "$h" "$(printf '%s' "$t" | normalize | tr '\n' ' ' | sed 's/ $//')"; done
}

# source_headings FILE...: the headings of the Markdown as folio tags
# them: "H2 text" in order, a chapter's first heading H1 and no level
# more than one below the one before; notes' references left out (the
# tree's heading text is the heading's own, not its links').
source_headings() {
    local f
    for f in "$@"; do
        strip_front_matter "$f" | sed -E 's/\[\^[^]]+\]([^:]|$)/\1/g' |
            pandoc -f commonmark -t plain --wrap=none --lua-filter "$ROOT/tools/headings.lua"
        echo
    done | awk '/^#+ / {
            n = index($0, " ") - 1
            if (n == 1) prev = 0
            if (n > prev + 1) n = prev + 1
            prev = n
            print "H" n "\t" substr($0, index($0, " ") + 1)
        }' |
        while IFS=$'\t' read -r h t; do printf '%s %s\n' "$h" "$(printf '%s' "$t" | normalize | tr '\n' ' ' | sed 's/ $//')"; done
}

# source_alts FILE...: the images' descriptions, in order, one a line.
source_alts() {
    local f lua=$WORK/tagged/alts.lua
    cat >"$lua" <<'EOF'
local alts = {}
function Image(i) table.insert(alts, pandoc.utils.stringify(i.caption)) end
function Pandoc(doc)
  local out = {}
  for _, a in ipairs(alts) do table.insert(out, pandoc.Plain({ pandoc.Str(a) })) end
  return pandoc.Pandoc(out, pandoc.Meta({}))
end
EOF
    for f in "$@"; do
        strip_front_matter "$f" | pandoc -f commonmark -t plain --wrap=none --lua-filter "$lua"
    done | sed '/^$/d'
}

# tagged_pdf NAME PDF: pdfinfo says Tagged: yes, and pdfua.py finds every
# rule kept.
tagged_pdf() {
    local name=$1 pdf=$2 log
    log=$WORK/tagged/$(printf '%s' "$name" | tr -c 'A-Za-z0-9._-' _).pdfua
    if [ ! -s "$pdf" ]; then
        fail "tagged: $name: Tagged: yes, PDF/UA-1 rules" "no PDF at $pdf"
    elif ! pdfinfo "$pdf" 2>/dev/null | grep -Eq '^Tagged: +yes$'; then
        fail "tagged: $name: Tagged: yes, PDF/UA-1 rules" "pdfinfo: $(pdfinfo "$pdf" 2>&1 | grep -E '^Tagged' | tr -s ' ')" "$pdf"
    elif ! python3 "$TESTS/tools/pdfua.py" -q "$pdf" >"$log" 2>&1; then
        fail "tagged: $name: Tagged: yes, PDF/UA-1 rules" "pdfua.py: $(first_lines "$log" 4)" "$log" "$pdf"
    else
        pass "tagged: $name: Tagged: yes, PDF/UA-1 rules"
    fi
}

# tagged_reading NAME PDF SOURCE...: the tree's text (pdfinfo
# -struct-text) holds the sources' headings, as folio levels them, and
# nothing else as headings but "Contents" and "Changes in this edition";
# each chapter's title once outside the contents and links, and the
# book's title at most twice (title page, colophon);
# no running head, no "page N of M", no bare page number outside the
# contents, labels, links and cells.
tagged_reading() {
    local name=$1 pdf=$2 d lines bad="" t n title
    shift 2
    d=$WORK/tagged/$(printf '%s' "$name" | tr -c 'A-Za-z0-9._-' _)
    mkdir -p "$d"
    lines=$d/struct.lines
    struct_lines "$pdf" "$lines"
    if [ ! -s "$lines" ]; then
        fail "tagged: $name: headings in reading order" "pdfinfo -struct-text shows no text" "$pdf"
        return
    fi
    tagged_headings "$lines" | grep -v -e '^H1 contents$' -e '^H1 changes in this edition$' >"$d/pdf.headings"
    source_headings "$@" >"$d/src.headings"
    if [ ! -s "$d/src.headings" ]; then
        fail "tagged: $name: headings in reading order" "no heading in the sources" "$d/src.headings"
    elif ! cmp -s "$d/pdf.headings" "$d/src.headings"; then
        fail "tagged: $name: headings in reading order" "$(diff "$d/src.headings" "$d/pdf.headings" | grep '^[<>]' | head -n 4 | tr '\n' '|' | cut -c1-300)" \
            "$d/pdf.headings" "$d/src.headings" "$lines"
    else
        pass "tagged: $name: headings in reading order"
    fi

    # running heads and folios: chapter titles once outside the contents
    # and the links that name them
    title=$(pdfinfo -enc UTF-8 "$pdf" 2>/dev/null | sed -n 's/^Title: *//p')
    awk -F '\t' '$1 !~ /(^| )(TOC|TOCI|Link)( |$)/ { print $2 }' "$lines" >"$d/outside-toc.txt"
    while IFS= read -r t; do
        t=${t#H1 }
        n=$(awk -F '\t' -v t="$t" '$1 ~ /(^| )H1$/ { print $2 }' "$lines" | normalize | grep -cxF -- "$t")
        [ "$n" -eq 1 ] || continue # (a title set over two lines: left to the headings test)
        n=$(normalize <"$d/outside-toc.txt" | grep -cxF -- "$t")
        [ "$n" -eq 1 ] || bad="$bad; chapter title \"$t\" is a text of its own $n times outside the contents"
    done < <(grep '^H1 ' "$d/src.headings")
    if [ -n "$title" ]; then
        n=$(grep -cxF -- "$title" "$d/outside-toc.txt")
        [ "$n" -le 2 ] || bad="$bad; the book's title is a text of its own $n times"
    fi
    n=$(awk -F '\t' '$1 !~ /(^| )(TOCI|Lbl|Link|TD|TH|Reference)( |$)/ && $2 ~ /^ *([0-9]+|[ivxlcdm]+) *$/' "$lines" | wc -l)
    [ "$n" -eq 0 ] || bad="$bad; $n bare number(s) outside the contents: $(awk -F '\t' '$1 !~ /(^| )(TOCI|Lbl|Link|TD|TH|Reference)( |$)/ && $2 ~ /^ *([0-9]+|[ivxlcdm]+) *$/ { print $1 ": " $2 }' "$lines" | head -n 2 | tr '\n' '|')"
    grep -Eiq '(^|	)page [0-9]+ of [0-9]+$' "$lines" && bad="$bad; a \"page N of M\" in the tree"
    if [ -n "$bad" ]; then
        fail "tagged: $name: no running head or folio in the tree" "${bad#; }" "$lines" "$pdf"
    else
        pass "tagged: $name: no running head or folio in the tree"
    fi
}

# tagged_words NAME PDF SOURCE...: every word of the sources is in the
# tree's text (pdfinfo -struct-text), as check_words reads them.
tagged_words() {
    local name="tagged: $1: every word in the tree's text" pdf=$2 d
    shift 2
    d=$WORK/tagged/$(printf '%s' "$name" | tr -c 'A-Za-z0-9._-' _)
    mkdir -p "$d"
    struct_lines "$pdf" "$d/struct.lines"
    cut -f2 "$d/struct.lines" | normalize >"$d/struct.norm"
    if ! source_text pdf "$@" >"$d/source.txt" 2>"$d/pandoc.err"; then
        fail "$name" "pandoc could not read the sources: $(first_lines "$d/pandoc.err" 2)" "$d/pandoc.err"
        return
    fi
    normalize <"$d/source.txt" | tr ' ' '\n' | sort -u >"$d/source.words"
    missing_words "$d/source.words" "$d/struct.norm" >"$d/missing.txt"
    if [ ! -s "$d/source.words" ]; then
        fail "$name" "no words found in the sources" "$d/source.txt"
    elif [ ! -s "$d/missing.txt" ]; then
        pass "$name"
    else
        fail "$name" "$(wc -l <"$d/missing.txt") word(s) missing from the tree's text: $(head -n 25 "$d/missing.txt" | tr '\n' ' ' | cut -c1-300)" \
            "$d/missing.txt" "$d/source.txt" "$d/struct.lines"
    fi
}

# tagged_figures NAME PDF SOURCE...: every Figure's /Alt (pdfua.py
# --tree) is its image's description in the sources, in order.
tagged_figures() {
    local name=$1 pdf=$2 d
    shift 2
    d=$WORK/tagged/$(printf '%s' "$name" | tr -c 'A-Za-z0-9._-' _)
    mkdir -p "$d"
    python3 "$TESTS/tools/pdfua.py" --tree "$pdf" >"$d/tree" 2>&1
    python3 -c '
import json, re, sys
for line in open(sys.argv[1], encoding="utf-8"):
    s = line.strip()
    if s.split(" ")[0] != "Figure":
        continue
    m = re.search(r"alt=(\"(?:[^\"\\\\]|\\\\.)*\")", s)
    print(json.loads(m.group(1)) if m else "(no /Alt)")
' "$d/tree" >"$d/pdf.alts"
    source_alts "$@" >"$d/src.alts"
    if [ ! -s "$d/src.alts" ]; then
        fail "tagged: $name: every Figure has its /Alt" "no image in the sources"
    elif ! cmp -s "$d/pdf.alts" "$d/src.alts"; then
        fail "tagged: $name: every Figure has its /Alt" "$(diff "$d/src.alts" "$d/pdf.alts" | grep '^[<>]' | head -n 2 | tr '\n' '|' | cut -c1-300)" \
            "$d/pdf.alts" "$d/src.alts" "$d/tree"
    else
        pass "tagged: $name: every Figure has its /Alt"
    fi
}

# tagged_pdfjs NAME PDF SOURCE...: pdf.js reads the same headings (text
# and level) and figure descriptions as the sources give.
tagged_pdfjs() {
    local name=$1 pdf=$2 d
    shift 2
    d=$WORK/tagged/$(printf '%s' "$name" | tr -c 'A-Za-z0-9._-' _)
    mkdir -p "$d"
    if [ ! -f "$PDFJS_DIR/node_modules/pdfjs-dist/legacy/build/pdf.mjs" ] || ! have node; then
        skip "tagged: $name: pdf.js reads the headings and figures" "pdf.js not installed: tools/pdfjs-install.sh $PDFJS_DIR"
        return
    fi
    if ! node "$TESTS/tools/pdfjs-struct.mjs" "$PDFJS_DIR" "$pdf" >"$d/pdfjs.out" 2>"$d/pdfjs.err"; then
        fail "tagged: $name: pdf.js reads the headings and figures" "$(grep -v '^Warning\|^Require stack\|^- ' "$d/pdfjs.err" | first_lines /dev/stdin 2)" "$d/pdfjs.err" "$pdf"
        return
    fi
    {
        grep '^H[1-6]	' "$d/pdfjs.out" | while IFS=$'\t' read -r h t; do
            printf '%s %s\n' "$h" "$(printf '%s' "$t" | normalize | tr '\n' ' ' | sed 's/ $//')"
        done | grep -v -e '^H1 contents$' -e '^H1 changes in this edition$'
        grep '^Figure	' "$d/pdfjs.out" | cut -f2- | sed 's/^/Figure /'
    } >"$d/pdfjs.got"
    {
        source_headings "$@"
        source_alts "$@" | tr -s ' \n' ' \n' | sed 's/^/Figure /'
    } >"$d/pdfjs.want"
    # (pdf.js joins what the alt text's line breaks separate with spaces)
    sed -i 's/  */ /g; s/ $//' "$d/pdfjs.got" "$d/pdfjs.want"
    if cmp -s "$d/pdfjs.got" "$d/pdfjs.want"; then
        pass "tagged: $name: pdf.js reads the headings and figures"
    else
        fail "tagged: $name: pdf.js reads the headings and figures" "$(diff "$d/pdfjs.want" "$d/pdfjs.got" | grep '^[<>]' | head -n 4 | tr '\n' '|' | cut -c1-300)" \
            "$d/pdfjs.got" "$d/pdfjs.want" "$pdf"
    fi
}

# tagged_mutate IN OUT KIND: IN (qpdf --qdf) damaged one way, as OUT.
# Prints the rule pdfua.py must fail; exit 1 when IN has nothing to damage.
tagged_mutate() {
    python3 - "$@" <<'EOF'
import re, subprocess, sys
src, out, kind = sys.argv[1:4]
# kind: (rule that must fail, pattern, replacement, how many: 0 = all)
M = {
    "marked":    ("marked", rb"/Marked true", b"/Marked false", 1),
    "title":     ("title", rb"/DisplayDocTitle true", b"/DisplayDocTitle false", 1),
    "lang":      ("lang", rb"/Lang \([^)]*\)", b"/Lang (en_GB)", 1),
    "metadata":  ("metadata", rb"<pdfuaid:part>1<", b"<pdfuaid:part>2<", 1),
    "figure":    ("figures", rb"/Alt <[0-9A-Fa-f]*>", b"", 1),
    "heading":   ("headings", rb"/S /H2\b", b"/S /H4", 1),
    "scope":     ("tables", rb"/Scope /Column", b"/Scope /Nothing", 1),
    "link":      ("annots", rb"/Contents <[0-9A-Fa-f]+>", b"", 1),
    "untagged":  ("content", rb"/P <</MCID 0>> BDC", b"/P <<>> BDC", 1),
    "emc":       ("balance", rb"\nEMC\n", b"\n", 1),
    "twice":     ("mcid", rb"<</MCID 1>>", b"<</MCID 0>>", 1),
    "type":      ("types", rb"/S /Caption\b", b"/S /Legend", 1),
    "tabs":      ("pages", rb"/Tabs /S\b", b"/Tabs /R", 0),
    "note":      ("notes", rb"/ID \(note\d+\)", b"", 1),
    "toci":      ("toc", rb"/S /Reference\b", b"/S /Span", 1),
    "lbody":     ("lists", rb"/S /LBody\b", b"/S /Div", 1),
    "tounicode": ("fonts", rb"/ToUnicode \d+ 0 R", b"", 1),
    "notdef":    ("unicode", rb"\[<", b"[<0000", 1),
    "version":   ("version", rb"^%PDF-1\.\d", b"%PDF-1.3", 1),
    "artifact":  ("nesting", rb"/Artifact BMC", b"/Artifact <</Type /Ornament>> BDC", 1),
    "parents":   ("structure", rb"/ParentTree \d+ 0 R", b"", 1),
}
rule, pat, rep, n = M[kind]
data = open(src, "rb").read()
new, k = re.subn(pat, rep, data, count=n, flags=re.M)
if k == 0:
    print("nothing to change for " + kind)
    sys.exit(1)
tmp = out + ".qdf"
open(tmp, "wb").write(new)
with open(out, "wb") as f:
    subprocess.run(["fix-qdf", tmp], stdout=f, check=True)
print(rule)
EOF
}

test_tagged() {
    local d=$WORK/tagged name f n bad rule got pdf src log
    local -a ch files
    mkdir -p "$d"
    need "tagged" pdfinfo qpdf fix-qdf python3 pandoc || return
    mapfile -t ch < <(ls manuscript/[0-9]*.md)

    # the book, its handouts, a small book and its second edition with
    # a "Changes in this edition" page
    run_folio "$d/man" build manuscript -o "$d/man"
    pdf=$(ls "$d"/man/*.pdf 2>/dev/null | head -n 1)
    if [ "$rc" -ne 0 ] || [ -z "$pdf" ]; then
        fail "tagged: the book builds" "exit $rc: $(first_lines "$d/man.err")" "$d/man.err"
    else
        tagged_pdf "the book (manuscript)" "$pdf"
        tagged_reading "the book (manuscript)" "$pdf" "${ch[@]}"
        tagged_words "the book (manuscript)" "$pdf" "${ch[@]}"
        tagged_figures "the book (manuscript)" "$pdf" "${ch[@]}"
        tagged_pdfjs "the book (manuscript)" "$pdf" "${ch[@]}"
    fi

    run_folio "$d/split" build manuscript --split -o "$d/split"
    mapfile -t files < <(ls "$d"/split/*.pdf 2>/dev/null)
    if [ "$rc" -ne 0 ] || [ "${#files[@]}" -ne "${#ch[@]}" ]; then
        fail "tagged: the handouts build" "exit $rc, ${#files[@]} PDFs: $(first_lines "$d/split.err")" "$d/split.err"
    else
        bad=""
        for f in "${files[@]}"; do
            pdfinfo "$f" 2>/dev/null | grep -Eq '^Tagged: +yes$' || bad="$bad ${f##*/}: not tagged;"
            python3 "$TESTS/tools/pdfua.py" -q "$f" >"$d/split.pdfua" 2>&1 ||
                bad="$bad ${f##*/}: $(first_lines "$d/split.pdfua" 2);"
        done
        if [ -z "$bad" ]; then pass "tagged: every handout (--split): Tagged: yes, PDF/UA-1 rules"; else
            fail "tagged: every handout (--split): Tagged: yes, PDF/UA-1 rules" "$(printf '%s' "$bad" | cut -c1-300)" "${files[@]}"
        fi
        tagged_reading "a handout (--split)" "${files[0]}" "${ch[0]}"
        tagged_words "a handout (--split)" "${files[0]}" "${ch[0]}"
    fi

    src=$d/small
    tagged_src "$src"
    run_folio "$d/small" build "$src" --pdf "$d/small.pdf" --epub "$d/small.epub"
    if [ "$rc" -ne 0 ]; then
        fail "tagged: the small book builds" "exit $rc: $(first_lines "$d/small.err")" "$d/small.err"
        return
    fi
    tagged_pdf "a small book of every block" "$d/small.pdf"
    tagged_reading "a small book of every block" "$d/small.pdf" "$src/01-one.md"
    tagged_figures "a small book of every block" "$d/small.pdf" "$src/01-one.md"
    tagged_pdfjs "a small book of every block" "$d/small.pdf" "$src/01-one.md"
    # the Sects of the Document after the title page, the colophon and
    # the contents, types only, one space a level
    python3 "$TESTS/tools/pdfua.py" --tree "$d/small.pdf" 2>&1 |
        awk '{ match($0, /^ */); n = RLENGTH / 2 }
             n == 1 { s += ($1 == "Sect"); on = s >= 4 && $1 == "Sect" }
             on && n >= 1 { print substr("                                        ", 1, n - 1) $1 }' >"$d/small.tree"
    tagged_src_tree >"$d/small.want"
    if cmp -s "$d/small.tree" "$d/small.want"; then
        pass "tagged: a small book of every block: the chapters' tree"
    else
        fail "tagged: a small book of every block: the chapters' tree" \
            "$(diff "$d/small.want" "$d/small.tree" | grep '^[<>]' | head -n 4 | tr '\n' '|')" "$d/small.tree" "$d/small.want"
    fi
    tagged_known "$d" "$d/small.pdf"

    # a second edition with its changes page
    rm -rf "$d/v2"
    cp -R "$src" "$d/v2"
    sed -i 's/Words of the second chapter/Many more words of the second chapter/' "$d/v2/01-one.md"
    printf '\n## An added section\n\nText of the added section here.\n' >>"$d/v2/01-one.md"
    sed 's/^\[page\]$/[page]\nchanges = yes/' styles/book.ini >"$d/changes.ini"
    run_folio "$d/v2" build "$d/v2" --pdf "$d/v2.pdf" -s "$d/changes.ini" --since "$d/small.epub"
    if [ "$rc" -ne 0 ]; then
        fail "tagged: a second edition builds" "exit $rc: $(first_lines "$d/v2.err")" "$d/v2.err"
    elif ! pdftotext "$d/v2.pdf" - 2>/dev/null | grep -q 'Changes in this edition'; then
        fail "tagged: a second edition has its changes page" "no \"Changes in this edition\" in the PDF" "$d/v2.pdf"
    else
        tagged_pdf "the changes page (--since)" "$d/v2.pdf"
        tagged_reading "the changes page (--since)" "$d/v2.pdf" "$d/v2/01-one.md"
        struct_lines "$d/v2.pdf" "$d/v2.lines"
        if awk -F '\t' '$1 ~ /H1$/ && $2 == "Changes in this edition" { h = 1 } h && $1 ~ /P$/ && $2 ~ /^Added: An added section/ { ok = 1 } END { exit !ok }' "$d/v2.lines"; then
            pass "tagged: the changes page (--since): its heading and entries in the tree"
        else
            fail "tagged: the changes page (--since): its heading and entries in the tree" "no H1 \"Changes in this edition\" followed by a P \"Added: An added section …\"" "$d/v2.lines"
        fi
    fi

    # the test book of every construct, and the corpus the suite built
    run_folio "$d/cases" build tests/cases/book --pdf "$d/cases.pdf" --epub "$d/cases.epub"
    if [ "$rc" -ne 0 ]; then
        fail "tagged: cases/book builds" "exit $rc: $(first_lines "$d/cases.err")" "$d/cases.err"
    else
        tagged_pdf "cases/book" "$d/cases.pdf"
        mapfile -t files < <(ls tests/cases/book/*.md)
        tagged_figures "cases/book" "$d/cases.pdf" "${files[@]}"
    fi
    n=0
    # (the same bytes under a sanitizer: judged once, in make check's
    # first run)
    for f in "$WORK"/corpus/out/*-{tabs,block-quotes,list-items,lists,fenced-code-blocks,links,images,html-blocks,hard-line-breaks}/book.pdf; do
        [ "${FOLIO_HEAVY:-}" = 1 ] || break
        [ -f "$f" ] || continue
        n=$((n + 1))
        name=${f%/book.pdf}
        tagged_pdf "corpus ${name##*/}" "$f"
    done
    if [ "${FOLIO_HEAVY:-}" != 1 ]; then
        skip "tagged: corpus PDFs" "judged in the first run (FOLIO_HEAVY=1)"
    elif [ "$n" -eq 0 ]; then
        skip "tagged: corpus PDFs" "the CommonMark corpus was not built"
    fi

    # a picture without a description: decoration, not a Figure without /Alt
    run_folio "$d/empty-alt" build tests/cases-meta/empty-alt --pdf "$d/empty-alt.pdf"
    if [ "$rc" -ne 0 ]; then
        fail "tagged: a picture without a description builds" "exit $rc: $(first_lines "$d/empty-alt.err")" "$d/empty-alt.err"
    else
        tagged_pdf "a picture without a description" "$d/empty-alt.pdf"
        n=$(python3 "$TESTS/tools/pdfua.py" --tree "$d/empty-alt.pdf" 2>&1 | grep -c '^ *Figure ')
        if [ "$n" -eq 1 ] && [ "$(pdfimages -list "$d/empty-alt.pdf" 2>/dev/null | awk 'NR > 2 && $3 == "image"' | wc -l)" -eq 2 ]; then
            pass "tagged: a picture without a description is drawn as an artifact"
        else
            fail "tagged: a picture without a description is drawn as an artifact" "$n Figure elements for 1 described picture of 2" "$d/empty-alt.pdf"
        fi
    fi

    # the booklet is not tagged, and the checker says so
    run_folio "$d/booklet" build "$src" --booklet -o "$d/booklet"
    pdf=$(ls "$d"/booklet/*-booklet.pdf 2>/dev/null | head -n 1)
    if [ "$rc" -ne 0 ] || [ -z "$pdf" ]; then
        fail "tagged: --booklet builds" "exit $rc: $(first_lines "$d/booklet.err")" "$d/booklet.err"
    else
        if pdfinfo "$pdf" 2>/dev/null | grep -Eq '^Tagged: +no$'; then
            pass "tagged: --booklet: Tagged: no"
        else
            fail "tagged: --booklet: Tagged: no" "pdfinfo: $(pdfinfo "$pdf" 2>&1 | grep '^Tagged' | tr -s ' ')" "$pdf"
        fi
        python3 "$TESTS/tools/pdfua.py" "$pdf" >"$d/booklet.pdfua" 2>&1
        rc=$?
        bad=""
        [ "$rc" -eq 1 ] || bad="$bad; exit $rc, not 1"
        for rule in marked structure content lang title metadata; do
            grep -q "^FAIL $rule " "$d/booklet.pdfua" || bad="$bad; no FAIL $rule"
        done
        if [ -z "$bad" ]; then pass "tagged: pdfua.py fails the untagged booklet"; else
            fail "tagged: pdfua.py fails the untagged booklet" "${bad#; }" "$d/booklet.pdfua"
        fi
        if grep -iq 'booklet' README.md && grep -Eiq 'untagged|not tagged' README.md; then
            pass "tagged: README says the booklet is untagged"
        else
            fail "tagged: README says the booklet is untagged" "README has no Accessibility section saying --booklet is untagged"
        fi
    fi

    # the checker fails what is damaged, and passes it undamaged
    if qpdf --qdf --object-streams=disable "$d/small.pdf" "$d/small.qdf" >/dev/null 2>&1 &&
        fix-qdf "$d/small.qdf" >"$d/control.pdf" 2>/dev/null &&
        python3 "$TESTS/tools/pdfua.py" -q "$d/control.pdf" >"$d/control.pdfua" 2>&1; then
        bad=""
        for f in marked title lang metadata figure heading scope link untagged emc twice type tabs note toci lbody tounicode notdef version artifact parents; do
            if ! rule=$(tagged_mutate "$d/small.qdf" "$d/m-$f.pdf" "$f" 2>"$d/m-$f.err"); then
                bad="$bad $f: ${rule:-$(first_lines "$d/m-$f.err" 1)};"
                continue
            fi
            python3 "$TESTS/tools/pdfua.py" "$d/m-$f.pdf" >"$d/m-$f.pdfua" 2>&1
            got=$?
            [ "$got" -eq 1 ] && grep -q "^FAIL $rule " "$d/m-$f.pdfua" ||
                bad="$bad $f: exit $got, $(grep '^FAIL' "$d/m-$f.pdfua" | cut -d' ' -f2 | tr '\n' ' ')(want FAIL $rule);"
        done
        if [ -z "$bad" ]; then pass "tagged: pdfua.py fails 21 kinds of damage, each on its rule"; else
            fail "tagged: pdfua.py fails 21 kinds of damage, each on its rule" "$(printf '%s' "$bad" | cut -c1-400)" "$d"/m-*.pdfua
        fi
    else
        fail "tagged: pdfua.py fails 21 kinds of damage, each on its rule" "the undamaged copy (qpdf --qdf, fix-qdf) does not pass: $(first_lines "$d/control.pdfua" 2)" "$d/control.pdfua"
    fi
}

# tagged_known DIR PDF: words on either side of a line break that is not
# a space (a hard line break, a line of code) read apart.
tagged_known() {
    local d=$1 pdf=$2 code
    struct_lines "$pdf" "$d/known.lines"
    code=$(awk -F '\t' '$1 ~ /(^| )Code$/ { printf "%s", $2 }' "$d/known.lines")
    if printf '%s' "$code" | grep -q 'int[[:space:]]\+main(void)'; then
        pass "tagged: code lines read apart in the tree's text"
    else
        fail "tagged: code lines read apart in the tree's text" "the lines of a code block are not separated: \"$(printf '%s' "$code" | cut -c1-40)\""
    fi
    if grep -q 'hard break,[[:space:]]\+and the line' "$d/known.lines"; then
        pass "tagged: a hard line break reads as a space in the tree's text"
    else
        fail "tagged: a hard line break reads as a space in the tree's text" "$(grep -o 'ends in a hard break,.\{0,12\}' "$d/known.lines" | head -n 1)"
    fi
}
