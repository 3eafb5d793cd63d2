# shellcheck shell=bash
# Editions: `folio build --since OLD.epub` and the "Changes in this
# edition" page; edition and date on the title pages.
#
# Sourced by tests/run.sh, which then calls test_since. Uses the runner's
# pass, fail, skip, need, run_folio, epubcheck_ok, epubcheck_summary and
# first_lines (tests/lib.sh), and $WORK, $TESTS and $ROOT. Lines
# "since: ...". See "Editions" in tests/README.md.

# since_book DIR EDITION DATE: a three-chapter manuscript, the first
# edition's text.
since_book() {
    mkdir -p "$1"
    printf 'title: "Two Editions"\nauthor: "A. Writer"\nedition: "%s"\ndate: %s\n' "$2" "$3" >"$1/metadata.yaml"
    cat >"$1/01-one.md" <<'EOF'
# One

Opening words of chapter one stand here.

## Alpha

Alpha paragraph has some words in it. Second sentence here.

Another alpha paragraph stays the same.
EOF
    cat >"$1/02-two.md" <<'EOF'
# Two

## Beta

Beta text is not touched by the second edition.
EOF
    cat >"$1/03-three.md" <<'EOF'
# Three

## Delta

Delta text goes away now.

## Epsilon

Epsilon text stays where it is.
EOF
}

# since_style FILE: the book style with changes = yes.
since_style() {
    sed 's/^\[page\]$/[page]\nchanges = yes/' "$ROOT/styles/book.ini" >"$1"
}

# since_lines LOG: the report's lines on stdout, in order.
since_lines() { grep '^folio: since ' "$1.out"; }

test_since() {
    local d=$WORK/since old new want got style bad f
    rm -rf "$d"
    mkdir -p "$d"
    old=$d/old.epub

    # the first edition, with its PDF, so the EPUB carries page markers
    since_book "$d/v1" 1 2025-06-01
    run_folio "$d/v1" build "$d/v1" --pdf "$d/old.pdf" --epub "$old"
    if [ "$rc" -ne 0 ]; then
        fail "since: first edition builds" "exit $rc: $(first_lines "$d/v1.err")" "$d/v1.err"
        return
    fi

    # unchanged: one line, no changes
    run_folio "$d/same" build "$d/v1" -o "$d/same-out" --since "$old"
    got=$(since_lines "$d/same")
    if [ "$rc" -ne 0 ] || [ "$got" != "folio: since $old: no changes" ]; then
        fail "since: an unchanged manuscript reports no changes" "exit $rc; report: $(printf '%s' "$got" | tr '\n' '|')" "$d/same.out" "$d/same.err"
    else
        pass "since: an unchanged manuscript reports no changes"
    fi

    # every construct, figures and print page markers: still no change
    run_folio "$d/book1" build tests/cases/book --pdf "$d/book.pdf" --epub "$d/book.epub"
    run_folio "$d/book2" build tests/cases/book --epub "$d/book2.epub" --since "$d/book.epub"
    got=$(since_lines "$d/book2")
    if [ "$rc" -ne 0 ] || [ "$got" != "folio: since $d/book.epub: no changes" ]; then
        fail "since: cases/book against itself reports no changes" "exit $rc; report: $(printf '%s' "$got" | tr '\n' '|' | cut -c1-400)" "$d/book2.out" "$d/book2.err"
    else
        pass "since: cases/book against itself reports no changes"
    fi

    # the second edition: one paragraph changed, a section added, one removed
    since_book "$d/v2" 2 2026-01-15
    sed -i 's/has some words/has many more words/' "$d/v2/01-one.md"
    printf '\n## Gamma\n\nGamma is new in this edition.\n' >>"$d/v2/02-two.md"
    perl -0 -i -pe 's/## Delta\n\nDelta text goes away now\.\n\n//' "$d/v2/03-three.md"
    run_folio "$d/v2" build "$d/v2" -o "$d/v2-out" --since "$old" --deps "$d/v2.d"
    want="folio: since $old: changed \"Alpha\" (01-one.md): 1 word removed, 2 added
folio: since $old: added \"Gamma\" (02-two.md): 7 words
folio: since $old: removed \"Delta\": 6 words
folio: since $old: 1 changed, 1 added, 1 removed"
    got=$(since_lines "$d/v2")
    if [ "$rc" -ne 0 ]; then
        fail "since: a changed paragraph, an added and a removed section" "exit $rc: $(first_lines "$d/v2.err")" "$d/v2.err"
    elif [ "$got" != "$want" ]; then
        fail "since: a changed paragraph, an added and a removed section" "report: $(printf '%s' "$got" | tr '\n' '|')" "$d/v2.out" "$d/v2"
    else
        pass "since: a changed paragraph, an added and a removed section"
    fi
    if grep -Fq "  $old" "$d/v2.d" && grep -qx "$old:" "$d/v2.d"; then
        pass "since: the --deps rule names the previous edition"
    else
        fail "since: the --deps rule names the previous edition" "not in $d/v2.d" "$d/v2.d"
    fi

    # the changes page, in both editions
    style=$d/changes.ini
    since_style "$style"
    run_folio "$d/v2p" build "$d/v2" --pdf "$d/v2.pdf" --epub "$d/v2.epub" -s "$style" --since "$old"
    if [ "$rc" -ne 0 ]; then
        fail "since: changes = yes builds" "exit $rc: $(first_lines "$d/v2p.err")" "$d/v2p.err"
        return
    fi
    bad=""
    pdftotext -raw -enc UTF-8 "$d/v2.pdf" "$d/v2.txt" 2>/dev/null
    for f in "Changes in this edition" "Since edition 1 (2025-06-01): 1 section changed, 1 added, 1 removed." \
        "Changed: Alpha (in “One”): 1 word removed, 2 added." "Added: Gamma (in “Two”): 7 words." \
        "Removed: Delta (in “Three”): 6 words."; do
        grep -qF -- "$f" "$d/v2.txt" || bad="$bad; no \"$f\""
    done
    grep -Eq '^Changes in this edition \.[. ]* iv$' "$d/v2.txt" || bad="$bad; not in the printed contents (page iv)"
    # front matter: before the body's page 1, after the contents (page iii)
    f=$(awk -v RS='\f' 'index($0, "Changes in this edition\nSince") == 1 { print NR; exit }' "$d/v2.txt")
    [ -n "$f" ] && [ "$f" -gt 3 ] && [ "$f" -lt "$(awk -v RS='\f' '/Opening words of chapter one/ { print NR; exit }' "$d/v2.txt")" ] ||
        bad="$bad; the page is not between the contents and the body (page ${f:-none})"
    qpdf --check "$d/v2.pdf" >"$d/qpdf.log" 2>&1 || bad="$bad; qpdf --check: $(first_lines "$d/qpdf.log" 2)"
    qpdf --qdf --object-streams=disable "$d/v2.pdf" - 2>/dev/null | grep -aq '/Title <feff004300680061006e0067006500730020' ||
        bad="$bad; no outline entry"
    if [ -n "$bad" ]; then
        fail "since: the PDF has a Changes in this edition page" "${bad#; }" "$d/v2.pdf" "$d/v2.txt"
    else
        pass "since: the PDF has a Changes in this edition page"
    fi

    bad=""
    unzip -p "$d/v2.epub" EPUB/changes.xhtml >"$d/changes.xhtml" 2>/dev/null || bad="$bad; no EPUB/changes.xhtml"
    grep -q '<h1>Changes in this edition</h1>' "$d/changes.xhtml" || bad="$bad; no heading"
    grep -q '<a href="ch002.xhtml#gamma">Gamma</a>' "$d/changes.xhtml" || bad="$bad; the added section is not linked"
    unzip -p "$d/v2.epub" EPUB/package.opf | tr '\n' ' ' | grep -q '<itemref idref="nav"/> <itemref idref="changes"/>' ||
        bad="$bad; not in the spine after the contents"
    unzip -p "$d/v2.epub" EPUB/nav.xhtml | grep -q 'href="changes.xhtml">Changes in this edition' || bad="$bad; not in nav.xhtml"
    unzip -p "$d/v2.epub" EPUB/toc.ncx | grep -q 'src="changes.xhtml"' || bad="$bad; not in toc.ncx"
    if have pandoc; then
        pandoc -f epub -t plain "$d/v2.epub" 2>/dev/null | tr '\n' ' ' | tr -s ' ' >"$d/v2.plain"
        grep -q 'Removed: Delta (in “Three”): 6 words' "$d/v2.plain" || bad="$bad; pandoc -f epub does not read the list back"
    fi
    if ! epubcheck_ok "$d/v2.epub" "$d/epubcheck.log"; then
        bad="$bad; EPUBCheck: $(epubcheck_summary "$d/epubcheck.log")"
    fi
    if [ -n "$bad" ]; then
        fail "since: the EPUB has a changes document" "${bad#; }" "$d/v2.epub" "$d/epubcheck.log"
    else
        pass "since: the EPUB has a changes document"
    fi

    if bash "$TESTS/pagelist.sh" "$d/v2.pdf" "$d/v2.epub" >"$d/pagelist.log" 2>&1; then
        pass "since: the changes page's print page markers"
    else
        fail "since: the changes page's print page markers" "$(first_lines "$d/pagelist.log" 2)" "$d/pagelist.log"
    fi

    # changes = yes without --since: no page
    run_folio "$d/nosince" build "$d/v2" --pdf "$d/nos.pdf" --epub "$d/nos.epub" -s "$style"
    if [ "$rc" -ne 0 ] || pdftotext "$d/nos.pdf" - 2>/dev/null | grep -q 'Changes in this edition' ||
        unzip -l "$d/nos.epub" 2>/dev/null | grep -q changes.xhtml; then
        fail "since: changes = yes without --since adds no page" "exit $rc, or a changes page" "$d/nos.pdf" "$d/nos.epub"
    else
        pass "since: changes = yes without --since adds no page"
    fi

    # edition and date: the title pages and the PDF information
    bad=""
    pdftotext -f 1 -l 1 "$d/v2.pdf" - 2>/dev/null | tr '\n' ' ' >"$d/p1.txt"
    grep -q 'Edition 2' "$d/p1.txt" || bad="$bad; no edition on the PDF title page"
    grep -q '2026-01-15' "$d/p1.txt" || bad="$bad; no date on the PDF title page"
    unzip -p "$d/v2.epub" EPUB/title.xhtml | tr '\n' ' ' | sed -e 's/.*epub:type="titlepage"//' -e 's/epub:type="colophon".*//' >"$d/tp.xhtml"
    grep -q '<p class="edition">Edition 2</p>' "$d/tp.xhtml" || bad="$bad; no edition on the EPUB title page"
    grep -q '<p class="date">2026-01-15</p>' "$d/tp.xhtml" || bad="$bad; no date on the EPUB title page"
    pdfinfo -custom "$d/v2.pdf" 2>/dev/null | grep -Eq '^Edition: +2$' || bad="$bad; no /Edition in the PDF information"
    if [ -n "$bad" ]; then
        fail "since: edition and date on the title pages, /Edition" "${bad#; }" "$d/v2.pdf" "$d/p1.txt" "$d/tp.xhtml"
    else
        pass "since: edition and date on the title pages, /Edition"
    fi

    since_damaged "$d"
}

# since_damaged DIR: an old e-book folio cannot read is an error naming
# it, exit 1, nothing written, no crash.
since_damaged() {
    local d=$1 name file out size bad
    mkdir -p "$d/bad"
    size=$(stat -c %s "$d/old.epub")
    head -c $((size / 2)) "$d/old.epub" >"$d/bad/truncated.epub"
    # a chapter's compressed bytes overwritten: its CRC cannot match
    cp "$d/old.epub" "$d/bad/corrupt.epub"
    perl -e '
        open my $f, "+<", $ARGV[0] or die; binmode $f; local $/; my $z = <$f>;
        my $i = index($z, "EPUB/ch001.xhtml"); die "no chapter" if $i < 0;
        seek $f, $i + 16 + 8, 0; print $f "\xff" x 24; close $f' "$d/bad/corrupt.epub"
    (
        cd "$d/bad" && mkdir -p x && cd x && unzip -q ../../old.epub &&
            rm META-INF/container.xml && zip -q -X -r ../nocontainer.epub mimetype META-INF EPUB &&
            sed -i 's/version="3.0"/version="2.0"/' EPUB/package.opf &&
            printf '<?xml version="1.0"?>\n<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/></rootfiles></container>\n' >META-INF/container.xml &&
            zip -q -X -r ../epub2.epub mimetype META-INF EPUB
    ) >/dev/null 2>&1
    for name in truncated corrupt nocontainer epub2; do
        file=$d/bad/$name.epub
        if [ ! -s "$file" ]; then
            skip "since: a damaged old e-book: $name" "could not make it (zip?)"
            continue
        fi
        out=$d/bad/out-$name
        run_folio "$d/bad/$name" build "$d/v1" -o "$out" --since "$file"
        if [ "$rc" -ne 1 ]; then
            fail "since: a damaged old e-book: $name" "exit $rc, expected 1: $(first_lines "$d/bad/$name.err" 2)" "$d/bad/$name.err" "$file"
        elif ! grep -q "^$file: error: " "$d/bad/$name.err"; then
            fail "since: a damaged old e-book: $name" "no error naming it: $(first_lines "$d/bad/$name.err" 2)" "$d/bad/$name.err"
        elif [ -e "$out" ] && [ -n "$(find "$out" -type f)" ]; then
            fail "since: a damaged old e-book: $name" "files written: $(find "$out" -type f | tr '\n' ' ')"
        else
            pass "since: a damaged old e-book: $name"
        fi
    done

    # damaged at random: an error or a report, never a crash or a hang
    if ! have python3; then
        skip "since: 60 randomly damaged old e-books" "no python3"
        skip "since: an e-book laid out otherwise (../, %20 in hrefs)" "no python3"
        skip "since: external entities are never loaded" "no python3"
        return
    fi
    # read as another tool lays it out, or with entities it must not load:
    # the same text, no changes
    for name in moved entities; do
        file=$d/bad/$name.epub
        python3 "$TESTS/tools/repack_epub.py" "$d/old.epub" "$name" "$file"
        run_folio "$d/bad/$name" build "$d/v1" -o "$d/bad/out-$name" --since "$file"
        f="since: an e-book laid out otherwise (../, %20 in hrefs)"
        [ "$name" = entities ] && f="since: external entities are never loaded"
        if [ "$rc" -ne 0 ] || [ "$(since_lines "$d/bad/$name")" != "folio: since $file: no changes" ] ||
            [ -n "$(grep -v '^folio: ' "$d/bad/$name.err")" ]; then
            fail "$f" "exit $rc: $(first_lines "$d/bad/$name.err" 2)" "$d/bad/$name.out" "$d/bad/$name.err" "$file"
        else
            pass "$f"
        fi
    done
    mkdir -p "$d/mut"
    python3 "$TESTS/tools/mutate_epub.py" "$d/old.epub" "$d/mut" 30
    bad=""
    for file in "$d"/mut/*.epub; do
        run_folio "$d/mut/run" build "$d/v1" --epub "$d/mut/out.epub" --since "$file"
        if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
            bad="$bad; ${file##*/}: exit $rc: $(first_lines "$d/mut/run.err" 2)"
            cp "$file" "$d/mut/run.err" "$d/" 2>/dev/null
        fi
    done
    if [ -n "$bad" ]; then
        fail "since: 60 randomly damaged old e-books" "${bad#; }" "$d/mut"
    else
        pass "since: 60 randomly damaged old e-books"
    fi
}
