# shellcheck shell=bash
# Books as authors lay them out (tests/cases/structure/): chapters cut at
# top-level headings in one file, a folder whose files open with lower
# headings, several files and --metadata-file as pandoc takes them, parts,
# and an mdBook project (book.toml, SUMMARY.md, {{#include}} with ranges
# and anchors, {{#rustdoc_include}}, hidden lines, .html links and
# redirects); with ../shared/corpus/rust-book, the Rust book as it stands.
# Sourced by tests/run.sh, which calls test_structure; lines
# "structure: ...". See "Structure" in tests/README.md.

# st_openings TXT: the chapter openings of a book-style PDF (pdf_layout's
# text), "PAGE<TAB>FOLIO<TAB>TITLE" a line: the pages after the contents
# whose first line is flush left (every other body page starts with its
# running head, which is centred).
st_openings() {
    awk 'BEGIN { RS = "\f" }
        { n = split($0, l, "\n"); first = ""; last = ""
          for (i = 1; i <= n; i++) if (l[i] ~ /[^ ]/) { if (first == "") first = l[i]; last = l[i] }
          if (first == "Contents") { body = 1; next }
          gsub(/ /, "", last)
          if (body && first ~ /^[^ ]/) print NR "\t" last "\t" first }' "$1"
}

# st_nav EPUB: the e-book's contents, "DEPTH TITLE" a line (1 for the top).
st_nav() {
    unzip -p "$1" EPUB/nav.xhtml 2>/dev/null | python3 -c '
import re, sys
s = sys.stdin.read()
s = s[s.find("epub:type=\"toc\""):]
s = s[:s.find("</nav>")]
depth = 0
for m in re.finditer(r"<(/?)ol\b|<a [^>]*>([^<]*)</a>|<span>([^<]*)</span>", s):
    if m.group(2) is not None or m.group(3) is not None:
        print(depth, m.group(2) if m.group(2) is not None else m.group(3))
    elif m.group(1):
        depth -= 1
    else:
        depth += 1
'
}

# st_docs EPUB: the spine's content documents after the contents, with
# the text of their first heading (or "-" for none), "NAME<TAB>TEXT" a line.
st_docs() {
    python3 - "$1" <<'PY'
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
opf = z.read("EPUB/package.opf").decode()
items = dict(re.findall(r'<item id="([^"]*)" href="([^"]*)"', opf))
for idref in re.findall(r'<itemref idref="([^"]*)"', opf):
    if idref in ("titlepage", "nav") or idref.startswith("cover"):
        continue
    x = z.read("EPUB/" + items[idref]).decode()
    m = re.search(r"<h[1-6][^>]*>(.*?)</h[1-6]>", x, re.S)
    print("%s\t%s" % (items[idref], re.sub(r"<[^>]*>", "", m.group(1)) if m else "-"))
PY
}

# st_build NAME SRC... [OPTIONS]: builds into $WORK/structure/NAME/out.pdf
# and out.epub, with the layout text in out.txt; reports "NAME: build".
st_build() {
    local name=$1
    shift
    ST=$WORK/structure/$(printf '%s' "$name" | tr -c 'A-Za-z0-9._-' '_')
    mkdir -p "$ST"
    run_folio "$ST/build" build "$@" --pdf "$ST/out.pdf" --epub "$ST/out.epub"
    if [ "$rc" -ne 0 ] || [ ! -s "$ST/out.pdf" ] || [ ! -s "$ST/out.epub" ]; then
        fail "structure: $name: build" "exit $rc: $(first_lines "$ST/build.err")" "$ST/build.err"
        return 1
    fi
    pass "structure: $name: build"
    pdf_layout "$ST/out.pdf" "$ST/out.txt"
    return 0
}

# st_valid NAME: qpdf --check and EPUBCheck (0/0) on the last build.
st_valid() {
    local bad=""
    qpdf_ok "$ST/out.pdf" "$ST/qpdf.log" || bad="; qpdf: $(first_lines "$ST/qpdf.log" 2)"
    if need "structure: $1: qpdf and epubcheck" epubcheck; then
        epubcheck_ok "$ST/out.epub" "$ST/epubcheck.log" || bad="$bad; $(epubcheck_summary "$ST/epubcheck.log")"
        verdict "structure: $1: qpdf and epubcheck" "$bad" "$ST/out.epub" "$ST/epubcheck.log" "$ST/qpdf.log"
    fi
}

# st_expect NAME GOT WANT [FILE...]: GOT and WANT (texts) are the same.
st_expect() {
    if [ "$2" = "$3" ]; then
        pass "$1"
    else
        fail "$1" "got [$(printf '%s' "$2" | tr '\n\t' '| ' | cut -c1-250)], expected [$(printf '%s' "$3" | tr '\n\t' '| ' | cut -c1-200)]" "${@:4}"
    fi
}

test_structure() {
    local s=tests/cases/structure got bad p q f i x
    local look="python3 $TESTS/tools/pdflook.py"
    need "structure" pdftotext pdfinfo qpdf pandoc python3 unzip || return

    # ---------------------------------------------------- one file
    # Three "#" chapters in one file: three chapter openings on right-hand
    # pages, each with its own running head; three documents in the
    # e-book; three handouts.
    if st_build "one file" "$s/one-file.md"; then
        st_valid "one file"
        got=$(st_openings "$ST/out.txt")
        st_expect "structure: one file: three chapter openings in the PDF" \
            "$(cut -f3 <<<"$got")" "$(printf 'Alpha Chapter\nBeta Chapter\nGamma Chapter')" "$ST/out.pdf"
        bad=""
        while IFS=$'\t' read -r p f x; do
            [ $((f % 2)) -eq 1 ] || bad="$bad; $x opens on page $f, a left-hand page"
            grep -Eq "^ +$x\$" <(page_text_of "$ST/out.txt" $((p + 2))) || bad="$bad; no running head '$x' two pages after its opening"
        done <<<"$got"
        verdict "structure: one file: chapters open on right-hand pages, with their own running heads" "$bad" "$ST/out.pdf"
        st_expect "structure: one file: three chapter documents in the e-book" \
            "$(st_docs "$ST/out.epub" | cut -f2)" "$(printf 'Alpha Chapter\nBeta Chapter\nGamma Chapter')" "$ST/out.epub"
        st_expect "structure: one file: the e-book's contents" "$(st_nav "$ST/out.epub")" \
            "$(printf '1 Alpha Chapter\n2 Alpha Chapter Section\n1 Beta Chapter\n2 Beta Chapter Section\n1 Gamma Chapter\n2 Gamma Chapter Section')" "$ST/out.epub"
        pagelist_verdict "structure: one file: the e-book's page-list matches the print pages" "$ST/out.pdf" "$ST/out.epub"
        qpdf --json --json-key=outlines "$ST/out.pdf" 2>/dev/null |
            python3 -c 'import json, sys; print("\n".join(o["title"] for o in json.load(sys.stdin)["outlines"]))' >"$ST/outline.txt" 2>/dev/null
        st_expect "structure: one file: three top-level bookmarks" "$(cat "$ST/outline.txt")" \
            "$(printf 'Alpha Chapter\nBeta Chapter\nGamma Chapter')" "$ST/out.pdf"

        run_folio "$ST/split" build "$s/one-file.md" --split -o "$ST/split"
        mapfile -t f < <(cd "$ST/split" 2>/dev/null && ls ./*.pdf | sed 's|^\./||')
        bad=""
        [ "$rc" -eq 0 ] || bad="; exit $rc: $(first_lines "$ST/split.err")"
        [ "${#f[@]}" -eq 3 ] || bad="$bad; ${#f[@]} handouts: ${f[*]}"
        i=0
        for x in alpha beta gamma; do
            [ -f "$ST/split/${f[$i]:-none}" ] || { i=$((i + 1)); continue; }
            pdftotext -q "$ST/split/${f[$i]}" "$ST/h$i.txt"
            grep -q "${x}word" "$ST/h$i.txt" && grep -q "${x}end" "$ST/h$i.txt" || bad="$bad; ${f[$i]} lacks chapter $x"
            [ "$(grep -Eo '(alpha|beta|gamma)(word|end)' "$ST/h$i.txt" | grep -vc "^$x")" -eq 0 ] || bad="$bad; ${f[$i]} holds another chapter's text"
            i=$((i + 1))
        done
        verdict "structure: one file: --split gives three handouts, one a chapter" "$bad" "$ST/split"
    fi

    # ---------------------------------------------------- a folder
    # 02-more.md opens with "##" and 03-aside.md with a paragraph: both
    # continue chapter One (no new page); 04-two.md opens chapter Two.
    if st_build "folder" "$s/folder"; then
        st_expect "structure: folder: a file that opens lower continues the chapter before" \
            "$(st_openings "$ST/out.txt" | cut -f3)" "$(printf 'One\nTwo')" "$ST/out.pdf"
        p=$(page_with "$ST/out.txt" oneword)
        bad=""
        for x in moreword asideword; do
            [ "$(page_with "$ST/out.txt" $x)" = "$p" ] || bad="$bad; $x is not on One's page ($p)"
        done
        verdict "structure: folder: no new page for a file that continues a chapter" "$bad" "$ST/out.pdf"
        st_expect "structure: folder: the e-book nests the continuing file under its chapter" "$(st_nav "$ST/out.epub")" \
            "$(printf '1 One\n2 More of One\n1 Two')" "$ST/out.epub"
        # 04-two.md opens with an anchor, then "# Two": the anchor is Two's
        x=$(st_docs "$ST/out.epub" | awk -F'\t' '$2 == "Two" { print $1 }')
        p=$(page_with "$ST/out.txt" oneword) q=$(page_with "$ST/out.txt" twoword)
        bad=""
        unzip -p "$ST/out.epub" "EPUB/${x:-none}" | grep -q 'id="two-old"' || bad="; the anchor is not in Two's document (${x:-none})"
        unzip -p "$ST/out.epub" 'EPUB/*.xhtml' | grep -q "<a href=\"${x:-none}#two-old\">" || bad="$bad; no e-book link to ${x:-none}#two-old"
        $look links "$ST/out.pdf" "${p:-1}" | grep -q "	page ${q:-none}\$" || bad="$bad; the PDF link does not go to Two's page (${q:-none})"
        verdict "structure: folder: an anchor before a chapter's heading goes with the chapter" "$bad" "$ST/out.epub" "$ST/out.pdf"
        run_folio "$ST/split" build "$s/folder" --split -o "$ST/split"
        mapfile -t f < <(cd "$ST/split" 2>/dev/null && ls ./*.pdf | sed 's|^\./||')
        bad=""
        [ "${#f[@]}" -eq 2 ] || bad="; ${#f[@]} handouts, not 2: ${f[*]}"
        pdftotext -q "$ST/split/${f[0]:-none}" "$ST/h0.txt" 2>/dev/null
        grep -q moreword "$ST/h0.txt" 2>/dev/null && grep -q asideword "$ST/h0.txt" || bad="$bad; the first handout lacks the continuing files"
        verdict "structure: folder: --split gives one handout a chapter" "$bad" "$ST/split"
    fi

    # ---------------------------------------------------- pandoc's way
    # Files in the order given, not by name; --metadata-file under the
    # files' own front matter (pandoc's rule: the document's wins).
    if st_build "several files" "$s/files/c.md" "$s/files/a.md" "$s/files/b.md" --metadata-file "$s/files/meta.yaml"; then
        st_valid "several files"
        st_expect "structure: several files: chapters in the order given" \
            "$(st_openings "$ST/out.txt" | cut -f3)" "$(printf 'From C\nFrom A\nFrom B')" "$ST/out.pdf"
        bad=""
        pdfinfo -enc UTF-8 "$ST/out.pdf" >"$ST/info.txt"
        grep -q "^Title: *The File's Own Title\$" "$ST/info.txt" || bad="$bad; PDF title: $(grep '^Title' "$ST/info.txt")"
        grep -q '^Author: *Meta Author$' "$ST/info.txt" || bad="$bad; PDF author: $(grep '^Author' "$ST/info.txt")"
        unzip -p "$ST/out.epub" EPUB/package.opf >"$ST/package.opf"
        sed "s/&#39;/'/g; s/&apos;/'/g" "$ST/package.opf" | grep -q "<dc:title[^>]*>The File's Own Title<" || bad="$bad; no dc:title from the front matter"
        grep -q '<dc:creator[^>]*>Meta Author<' "$ST/package.opf" || bad="$bad; no dc:creator from the metadata file"
        verdict "structure: several files: --metadata-file, under the front matter" "$bad" "$ST/info.txt" "$ST/package.opf"
        # b.md links to a.md#from-a: the chapter from A, in both editions
        p=$(page_with_line "$ST/out.txt" 'From B') q=$(page_with_line "$ST/out.txt" 'From A')
        bad=""
        $look links "$ST/out.pdf" "${p:-1}" | grep -q "chapter from A.*page ${q:-x}\$" || bad="; the PDF link does not go to page ${q:-?}"
        x=$(st_docs "$ST/out.epub" | awk -F'\t' '$2 == "From A" { print $1 }')
        unzip -p "$ST/out.epub" EPUB/*.xhtml | grep -q "<a href=\"${x:-none}#from-a\">the chapter from A</a>" || bad="$bad; no e-book link to ${x:-?}#from-a"
        verdict "structure: several files: a link to another file's heading" "$bad" "$ST/out.pdf"
    fi

    # ---------------------------------------------------- top level
    # The top level is the highest level the book uses: "##" here.
    if st_build "sections only" "$s/sections-only.md"; then
        st_expect "structure: sections only: the highest level used opens chapters" \
            "$(st_openings "$ST/out.txt" | cut -f3)" "$(printf 'First Of Two\nSecond Of Two')" "$ST/out.pdf"
    fi
    # top-level: part: "#" opens a part (a title page), "##" a chapter.
    if st_build "parts" "$s/parts.md"; then
        st_valid "parts"
        st_expect "structure: parts: part title pages, then chapters" \
            "$(st_openings "$ST/out.txt" | cut -f3)" \
            "$(printf 'Part Alpha\nChapter In Alpha\nAnother In Alpha\nPart Beta\nChapter In Beta')" "$ST/out.pdf"
        st_expect "structure: parts: the e-book nests chapters under their parts" "$(st_nav "$ST/out.epub")" \
            "$(printf '1 Part Alpha\n2 Chapter In Alpha\n2 Another In Alpha\n1 Part Beta\n2 Chapter In Beta')" "$ST/out.epub"
        bash "$TESTS/typography.sh" toc "$ST/out.pdf" >"$ST/toc.log" 2>&1
        verdict "structure: parts: the contents give the part pages' numbers" "$(first_lines "$ST/toc.log" 2)" "$ST/toc.log"
        pagelist_verdict "structure: parts: the e-book's page-list matches the print pages" "$ST/out.pdf" "$ST/out.epub"
    fi

    # ---------------------------------------------------- mdBook
    test_structure_mdbook
    test_structure_rust_book
}

test_structure_mdbook() {
    local s=tests/cases/structure bad got p q x w
    local look="python3 $TESTS/tools/pdflook.py"

    # Built as it stands, with no option: book.toml's metadata,
    # SUMMARY.md's order and nesting.
    st_build "mdbook" "$s/mdbook" || return
    st_valid mdbook
    bad=$(grep -E 'warning|error' "$ST/build.err")
    grep -Eq "SUMMARY\.md:8:3: note: draft chapter 'A Draft Chapter' has no file; left out" "$ST/build.err" ||
        bad="$bad; no note for the draft chapter at SUMMARY.md:8:3"
    verdict "structure: mdbook: no warning; a note for the draft chapter" "${bad:+; $bad}" "$ST/build.err"

    bad=""
    pdfinfo -enc UTF-8 "$ST/out.pdf" >"$ST/info.txt"
    grep -q '^Title: *Structure by mdBook$' "$ST/info.txt" || bad="$bad; PDF title: $(grep '^Title' "$ST/info.txt")"
    grep '^Author:' "$ST/info.txt" | grep -q 'Ada Tester.*Grace Hopper' || bad="$bad; PDF author: $(grep '^Author' "$ST/info.txt")"
    unzip -p "$ST/out.epub" EPUB/package.opf >"$ST/package.opf"
    grep -q '<dc:description>A small mdBook project laid out as mdBook lays it out.</dc:description>' "$ST/package.opf" || bad="$bad; no dc:description"
    grep -q '<dc:language>en</dc:language>' "$ST/package.opf" || bad="$bad; no dc:language en"
    [ "$(grep -c '<dc:creator' "$ST/package.opf")" -eq 2 ] || bad="$bad; not two dc:creator"
    verdict "structure: mdbook: title, authors, description, language from book.toml" "$bad" "$ST/info.txt" "$ST/package.opf"

    pagelist_verdict "structure: mdbook: the e-book's page-list matches the print pages" "$ST/out.pdf" "$ST/out.epub"

    # Prefix chapter, numbered chapters with their sections, a part, a
    # suffix chapter; a nested entry is a section, not a chapter.
    st_expect "structure: mdbook: chapter openings follow SUMMARY.md" \
        "$(st_openings "$ST/out.txt" | cut -f3)" \
        "$(printf 'Preface\nGetting Going\nPart Two\nSections Nest\nAfterword')" "$ST/out.pdf"
    st_expect "structure: mdbook: the e-book's contents follow SUMMARY.md" "$(st_nav "$ST/out.epub")" \
        "$(printf '1 Preface\n1 Getting Going\n2 Includes\n2 Hidden Lines\n1 Part Two\n2 Sections Nest\n3 A Heading\n3 A Nested Entry\n1 Afterword')" "$ST/out.epub"
    pdftotext -q -raw -f 1 -l 4 "$ST/out.pdf" - | grep -E '\. ?\.' | sed -E 's/ *\.( ?\.)+ *[0-9ivx]+$//' >"$ST/contents.txt"
    st_expect "structure: mdbook: the printed contents follow SUMMARY.md" "$(cat "$ST/contents.txt")" \
        "$(printf 'Preface\nGetting Going\nIncludes\nHidden Lines\nPart Two\nSections Nest\nA Heading\nA Nested Entry\nAfterword')" "$ST/out.pdf"

    # Anchors and a comment before a chapter's heading go with it: one
    # chapter, one document, not an empty one before it (the part named
    # in SUMMARY.md has a document of its own, holding its title).
    got=$(st_docs "$ST/out.epub" | cut -f2 | tr '\n' '|')
    st_expect "structure: mdbook: anchors before a chapter's heading make no chapter of their own" \
        "$got" "Preface|Getting Going|Includes|Hidden Lines|Part Two|Sections Nest|A Nested Entry|Afterword|" "$ST/out.epub"

    # Includes: lines 2-4, an anchor's lines (its ANCHOR comments gone),
    # rustdoc_include's lines outside the anchor hidden; no directive left.
    unzip -p "$ST/out.epub" 'EPUB/*.xhtml' | sed 's/<[^>]*>//g' >"$ST/epub.txt"
    bad=""
    for x in numline2 numline3 numline4 'pub fn adder(a: i32, b: i32) -> i32 {' 'let visible_total = 40 + 2;' 'println!("{visible_total}");'; do
        grep -Fq -- "$x" "$ST/out.txt" || bad="$bad; PDF lacks '$x'"
        sed 's/&quot;/"/g; s/&gt;/>/g; s/&lt;/</g; s/&amp;/\&/g' "$ST/epub.txt" | grep -Fq -- "$x" || bad="$bad; e-book lacks '$x'"
    done
    for x in numline1 numline5 numline6 before_anchor after_anchor ANCHOR HashMap 'fn main' hidden_tail '{{#'; do
        grep -Fq -- "$x" "$ST/out.txt" && bad="$bad; PDF has '$x'"
        grep -Fq -- "$x" "$ST/epub.txt" && bad="$bad; e-book has '$x'"
    done
    verdict "structure: mdbook: includes with a line range and anchors, rustdoc_include" "$bad" "$ST/out.txt" "$ST/epub.txt"

    # Hidden lines: "# " lines of Rust blocks, in neither edition; #[...]
    # and other languages' "#" kept.
    bad=""
    for x in hidden_setup hidden_inner; do
        grep -Fq -- "$x" "$ST/out.txt" && bad="$bad; PDF has '$x'"
        grep -Fq -- "$x" "$ST/epub.txt" && bad="$bad; e-book has '$x'"
    done
    for x in '#[derive(Debug)]' 'struct ShownStruct;' 'let shown_inner = 2;' '# a python comment stays'; do
        grep -Fq -- "$x" "$ST/out.txt" || bad="$bad; PDF lacks '$x'"
        grep -Fq -- "$x" "$ST/epub.txt" || bad="$bad; e-book lacks '$x'"
    done
    verdict "structure: mdbook: hidden lines hidden in both editions" "$bad" "$ST/out.txt" "$ST/epub.txt"

    # Links to NAME.html#id, NAME.md, a redirected page and an old anchor.
    p=$(page_with_line "$ST/out.txt" 'Getting Going')
    q=$(page_with_line "$ST/out.txt" 'A Heading')
    x=$(page_with_line "$ST/out.txt" 'Sections Nest')
    w=$(page_with_line "$ST/out.txt" 'A Nested Entry')
    $look links "$ST/out.pdf" "${p:-1}" >"$ST/links.txt"
    bad=""
    [ -n "$q" ] && [ -n "$x" ] && [ "$q" -gt "$x" ] || bad="; the fixture does not put A Heading (page ${q:-?}) after Sections Nest (page ${x:-?})"
    grep -q "^a heading of the next part,*	page $q\$" "$ST/links.txt" || bad="$bad; .html#id does not go to page $q"
    # (a link's words on each line it is set on: "nested" and "entry,"
    # may fall on two)
    grep -Eq "(^|[ ])entry,*	page $w\$" "$ST/links.txt" || bad="$bad; .md does not go to page $w"
    grep -q "^a renamed page	page $x\$" "$ST/links.txt" || bad="$bad; the redirect does not go to page $x"
    grep -Eq "^an old an(-|chor)	page $x\$" "$ST/links.txt" || bad="$bad; the old anchor does not go to page $x"
    st_docs "$ST/out.epub" >"$ST/docs.txt"
    p=$(awk -F'\t' '$2 == "Getting Going" { print $1 }' "$ST/docs.txt")
    q=$(awk -F'\t' '$2 == "Sections Nest" { print $1 }' "$ST/docs.txt")
    w=$(awk -F'\t' '$2 == "A Nested Entry" { print $1 }' "$ST/docs.txt")
    got=$(unzip -p "$ST/out.epub" "EPUB/${p:-none}" | grep -o '<a href="[^"]*">' | tr '\n' ' ')
    [ "$got" = "<a href=\"$q#a-heading\"> <a href=\"$w\"> <a href=\"$q\"> <a href=\"$q#old-sections-name\"> " ] ||
        bad="$bad; e-book links: $got"
    unzip -p "$ST/out.epub" "EPUB/${q:-none}" | grep -q 'id="old-sections-name"' || bad="$bad; the old anchor is not in ${q:-?}"
    verdict "structure: mdbook: .html and .md links, redirects and old anchors resolved" "$bad" "$ST/links.txt" "$ST/out.pdf"

    # A directive that names a file outside the book's folder, a missing
    # file, a missing anchor, or lines past the end: an error at its
    # position each, exit 1, nothing written.
    local b=$WORK/structure/bad-includes
    mkdir -p "$b/out"
    run_folio "$b/run" build "$s/bad-includes" -o "$b/out"
    bad=""
    [ "$rc" -eq 1 ] || bad="; exit $rc, not 1"
    for x in "bad-includes/src/chapter\.md:5:1: error: cannot include '\.\./\.\./outside\.txt': it is outside the book's folder" \
        "bad-includes/src/chapter\.md:9:1: error: cannot include 'missing\.rs': not found" \
        "bad-includes/src/chapter\.md:13:1: error: .*nosuch.*: no such anchor" \
        "bad-includes/src/chapter\.md:17:1: error: .*(line|range)"; do
        grep -Eq "$x" "$b/run.err" || bad="$bad; no /$x/"
    done
    grep -q 'SECRET' "$b/run.err" && bad="$bad; the outside file was read"
    [ -z "$(find "$b/out" -type f)" ] || bad="$bad; files written: $(find "$b/out" -type f | tr '\n' ' ')"
    verdict "structure: mdbook: bad includes are errors at their positions" "$bad" "$b/run.err"
}

# The Rust book from ../shared/corpus/rust-book, with no option: its
# outline follows SUMMARY.md (front matter, 21 numbered chapters, back
# matter), no directive left in either edition, no link to a chapter
# left unresolved, EPUBCheck 0/0.
test_structure_rust_book() {
    local rb=../shared/corpus/rust-book bad got
    if [ ! -f "$rb/book.toml" ]; then
        skip "structure: rust book" "no $rb"
        return
    fi
    FOLIO_TIMEOUT=300 st_build "rust book" "$rb" || return
    bad=""
    grep -E 'error:' "$ST/build.err" | head -n 2 | grep -q . && bad="; $(grep -E 'error:' "$ST/build.err" | head -n 2)"
    # every warning about a link names a page outside the book (../std/...)
    got=$(grep -E "warning: link to '" "$ST/build.err" | grep -Ev "link to '(\.\./|https?:)" | head -n 3)
    [ -z "$got" ] || bad="$bad; unresolved: $got"
    unzip -p "$ST/out.epub" 'EPUB/*.xhtml' >"$ST/all.xhtml"
    grep -Fq '{{#' "$ST/out.txt" && bad="$bad; '{{#' in the PDF"
    grep -Fq '{{#' "$ST/all.xhtml" && bad="$bad; '{{#' in the e-book"
    got=$(grep -Eo 'href="[^":#]*\.(html|md)[^"]*"' "$ST/all.xhtml" | head -n 3 | tr '\n' ' ')
    [ -z "$got" ] || bad="$bad; links to .html or .md left: $got"
    verdict "structure: rust book: no directive or chapter link left, no error" "$bad" "$ST/build.err"
    got=$(st_nav "$ST/out.epub" | awk '$1 == 1' | cut -d' ' -f2-)
    st_expect "structure: rust book: its contents follow SUMMARY.md" "$(sed -n '1,3p;$p' <<<"$got"; grep -c . <<<"$got")" \
        "$(printf 'The Rust Programming Language\nForeword\nIntroduction\nAppendix\n24')" "$ST/out.epub"
    st_valid "rust book"
}
