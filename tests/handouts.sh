# shellcheck shell=bash
# Handouts and booklets (sourced by tests/run.sh, which calls
# test_handouts): --split writes one complete PDF per chapter, --booklet
# imposes pages two to a landscape sheet in saddle-stitch order. Judged
# by qpdf, pdfinfo, pdffonts and pdftotext.

# page_text PDF PAGE [X W]: the words of a page (or of the strip X..X+W
# points of it), normalized, on one line; a word hyphenated at a line end
# is read whole, however the reader joins it.
page_text() {
    local pdf=$1 page=$2 h
    if [ $# -ge 4 ]; then
        h=$(pdfinfo -f "$page" -l "$page" "$pdf" | awk '/^Page +[0-9]+ size:/ { print int($6 + 0.5) }')
        pdftotext -q -r 72 -f "$page" -l "$page" -x "$3" -y 0 -W "$4" -H "$h" "$pdf" -
    else
        pdftotext -q -f "$page" -l "$page" "$pdf" -
    fi | tr -d '\f' | perl -CSD -0pe 's/\x{AD}\n//g' | normalize | tr '\n' ' ' | sed 's/ $//'
}

pages_of() { pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }'; }

# booklet_order NAME PAGES_PDF BOOKLET_PDF: every sheet side holds the
# pages saddle stitching asks for (8 pages: 8|1, 2|7, 6|3, 4|5), blank
# where the padding is, each half read back with pdftotext.
booklet_order() {
    local name=$1 pdf=$2 sheets=$3 n m faces w i l r want got bad=""
    n=$(pages_of "$pdf")
    m=$(((n + 3) / 4 * 4))
    faces=$(pages_of "$sheets")
    w=$(pdfinfo -f 1 -l 1 "$pdf" | awk '/^Page +1 size:/ { print $4 }')
    if [ "$faces" != $((m / 2)) ]; then
        fail "$name" "$n pages made $faces sheet sides, not $((m / 2))" "$sheets"
        return
    fi
    for ((i = 0; i < m / 2; i++)); do
        if ((i % 2 == 0)); then l=$((m - i)) r=$((i + 1)); else l=$((i + 1)) r=$((m - i)); fi
        for side in left right; do
            if [ $side = left ]; then p=$l x=0; else p=$r x=$w; fi
            want=""
            [ "$p" -le "$n" ] && want=$(page_text "$pdf" "$p")
            got=$(page_text "$sheets" $((i + 1)) "$x" "$w")
            [ "$want" = "$got" ] || bad="$bad side $((i + 1)) $side: want page $p;"
        done
    done
    if [ -z "$bad" ]; then
        pass "$name"
    else
        fail "$name" "$(printf '%s' "$bad" | cut -c1-300)" "$pdf" "$sheets"
    fi
}

test_handouts() {
    local d=$WORK/handouts src=manuscript name f n i pages text bad chapters
    mkdir -p "$d"
    need "handouts" pdfinfo pdftotext qpdf pdffonts pandoc || return

    # --split: one PDF per chapter, named NAME-NN-chapter.pdf
    name="--split: one handout per chapter"
    run_folio "$d/split" build "$src" --split -o "$d/split"
    mapfile -t chapters < <(ls "$src"/[0-9]*.md)
    mapfile -t files < <(cd "$d/split" 2>/dev/null && ls ./*.pdf | sed 's|^\./||')
    if [ "$rc" -ne 0 ]; then
        fail "$name" "exit $rc: $(first_lines "$d/split.err")" "$d/split.err"
        return
    elif [ "${#files[@]}" -ne "${#chapters[@]}" ]; then
        fail "$name" "${#files[@]} PDFs for ${#chapters[@]} chapters" "$d/split"
        return
    elif ls "$d/split" | grep -q '\.epub$'; then
        fail "$name" "--split without --epub wrote an EPUB too" "$d/split"
        return
    fi
    bad=""
    for ((i = 0; i < ${#files[@]}; i++)); do
        printf '%s\n' "${files[$i]}" | grep -Eq "^us-mexico-relations-$(printf %02d $((i + 1)))-[a-z0-9-]+\.pdf$" ||
            bad="$bad ${files[$i]}"
    done
    if [ -n "$bad" ]; then fail "$name" "badly named:$bad"; else pass "$name"; fi

    # each is a whole PDF: valid, fonts embedded, handout pages, and
    # "page N of M" counting its own pages
    name="--split: each handout is valid, letter size, page N of M"
    bad=""
    for f in "${files[@]}"; do
        f=$d/split/$f
        qpdf_ok "$f" "$d/qpdf.log" || bad="$bad qpdf:${f##*/}"
        fonts_ok "$f" "$d/fonts.log" || bad="$bad fonts:${f##*/}"
        bash "$TESTS/typography.sh" size "$f" 612 792 >/dev/null 2>&1 || bad="$bad size:${f##*/}"
        pages=$(pages_of "$f")
        for ((n = 1; n <= pages; n++)); do
            pdftotext -q -layout -f "$n" -l "$n" "$f" - | grep -q "page $n of $pages\$" ||
                bad="$bad folio:${f##*/}:$n"
        done
    done
    if [ -n "$bad" ]; then fail "$name" "$(printf '%s' "$bad" | cut -c1-300)"; else pass "$name"; fi

    # a title block: book title, chapter title, edition and date
    name="--split: title block with book, chapter, edition and date"
    text=$(pdftotext -q -f 1 -l 1 "$d/split/${files[2]}" - | head -n 8)
    if printf '%s' "$text" | grep -q 'US–Mexico Relations' &&
        printf '%s' "$text" | grep -q 'Edition 1 · 2026-11-24' &&
        printf '%s' "$text" | grep -q 'US Foreign Policy Toward Mexico'; then
        pass "$name"
    else
        fail "$name" "first lines: $(printf '%s' "$text" | tr '\n' '|')" "$d/split/${files[2]}"
    fi

    # a link into another chapter becomes text naming that chapter
    name="--split: links into other chapters name the chapter"
    text=$(pdftotext -q "$d/split/${files[4]}" - | tr '\n' ' ')
    if printf '%s' "$text" | grep -q 'official sources (see “Further Reading”)'; then
        pass "$name"
    else
        fail "$name" "no 'official sources (see “Further Reading”)' in ${files[4]}" "$d/split/${files[4]}"
    fi

    # together the handouts are the book's body: each has every word of
    # its own chapter
    bad=""
    for ((i = 0; i < ${#files[@]}; i++)); do
        pdftotext -q -raw -enc UTF-8 "$d/split/${files[$i]}" "$d/h$i.txt"
        source_text pdf "${chapters[$i]}" | normalize | tr ' ' '\n' | sort -u >"$d/h$i.words"
        normalize <"$d/h$i.txt" >"$d/h$i.norm"
        missing_words "$d/h$i.words" "$d/h$i.norm" >"$d/h$i.missing"
        [ -s "$d/h$i.missing" ] && bad="$bad ${files[$i]}: $(head -n 5 "$d/h$i.missing" | tr '\n' ' ')"
    done
    if [ -n "$bad" ]; then
        fail "--split: every word of each chapter in its handout" "$(printf '%s' "$bad" | cut -c1-300)"
    else
        pass "--split: every word of each chapter in its handout"
    fi

    # --booklet on a book of exactly 8 pages (title, colophon, six
    # one-page chapters): sheet 1 is page 8 | page 1
    name="--booklet: 8 pages, sheet 1 is 8|1"
    run_folio "$d/b8" build "$TESTS/handouts/eight-pages" -s handout --pdf "$d/eight.pdf"
    run_folio "$d/b8b" build "$TESTS/handouts/eight-pages" --booklet --pdf "$d/eight-booklet.pdf"
    if [ "$(pages_of "$d/eight.pdf")" != 8 ]; then
        fail "$name" "the fixture has $(pages_of "$d/eight.pdf") pages, not 8" "$d/eight.pdf"
    elif [ "$(page_text "$d/eight-booklet.pdf" 1 0 612)" = "$(page_text "$d/eight.pdf" 8)" ] &&
        page_text "$d/eight-booklet.pdf" 1 0 612 | grep -q zeta &&
        [ "$(page_text "$d/eight-booklet.pdf" 1 612 612)" = "$(page_text "$d/eight.pdf" 1)" ]; then
        pass "$name"
    else
        fail "$name" "left: '$(page_text "$d/eight-booklet.pdf" 1 0 612 | cut -c1-60)' right: '$(page_text "$d/eight-booklet.pdf" 1 612 612 | cut -c1-60)'" "$d/eight-booklet.pdf"
    fi
    booklet_order "--booklet: 8 pages in saddle-stitch order" "$d/eight.pdf" "$d/eight-booklet.pdf"

    # the book in the handout style (padded) and in the book style
    run_folio "$d/hp" build "$src" --pdf "$d/handout.pdf" -s handout
    run_folio "$d/hb" build "$src" --booklet -o "$d/booklet"
    name="--booklet: sheets are landscape, twice the page width"
    f=$d/booklet/us-mexico-relations-booklet.pdf
    if [ "$rc" -ne 0 ] || [ ! -f "$f" ]; then
        fail "$name" "exit $rc: $(first_lines "$d/hb.err")" "$d/hb.err"
    elif bash "$TESTS/typography.sh" size "$f" 1224 792 >"$d/size.log" 2>&1 &&
        [ $((2 * $(pages_of "$f") % 4)) -eq 0 ]; then
        pass "$name"
    else
        fail "$name" "$(first_lines "$d/size.log") ($(pages_of "$f") sides)" "$f"
    fi
    booklet_order "--booklet: the handout-style book, padded to a multiple of 4" "$d/handout.pdf" "$f"
    name="--booklet: the imposed book is a valid PDF with embedded fonts"
    if qpdf_ok "$f" "$d/qpdf.log" && fonts_ok "$f" "$d/fonts.log"; then
        pass "$name"
    else
        fail "$name" "$(first_lines "$d/qpdf.log") $(tail -n 1 "$d/fonts.log")" "$f"
    fi
    run_folio "$d/bk" build "$src" -s book --pdf "$d/book.pdf"
    run_folio "$d/bkb" build "$src" -s book --booklet --pdf "$d/book-booklet.pdf"
    booklet_order "--booklet: the book style (6 x 9 in pages, 12 x 9 in sheets)" "$d/book.pdf" "$d/book-booklet.pdf"

    # with --split: every handout imposed
    name="--split --booklet: each handout on sheets, a multiple of 4 pages"
    run_folio "$d/sb" build "$src" --split --booklet -o "$d/sb"
    bad=""
    n=0
    for f in "$d"/sb/*-booklet.pdf; do
        [ -f "$f" ] || continue
        n=$((n + 1))
        bash "$TESTS/typography.sh" size "$f" 1224 792 >/dev/null 2>&1 || bad="$bad size:${f##*/}"
        [ $((2 * $(pages_of "$f") % 4)) -eq 0 ] || bad="$bad count:${f##*/}"
        qpdf_ok "$f" "$d/qpdf.log" || bad="$bad qpdf:${f##*/}"
    done
    if [ "$rc" -ne 0 ] || [ "$n" -ne "${#chapters[@]}" ]; then
        fail "$name" "exit $rc, $n booklets for ${#chapters[@]} chapters" "$d/sb.err"
    elif [ -n "$bad" ]; then
        fail "$name" "$bad"
    else
        pass "$name"
    fi
    booklet_order "--split --booklet: chapter 3 in saddle-stitch order" \
        "$d/split/${files[2]}" "$d/sb/${files[2]%.pdf}-booklet.pdf"

    # same input, same bytes
    name="--booklet: same input, same bytes"
    SOURCE_DATE_EPOCH=$SDE run_folio "$d/d1" build "$TESTS/handouts/eight-pages" --booklet --pdf "$d/d1.pdf"
    SOURCE_DATE_EPOCH=$SDE run_folio "$d/d2" build "$TESTS/handouts/eight-pages" --booklet --pdf "$d/d2.pdf"
    if [ -s "$d/d1.pdf" ] && cmp -s "$d/d1.pdf" "$d/d2.pdf"; then
        pass "$name"
    else
        fail "$name" "two builds differ" "$d/d1.pdf" "$d/d2.pdf"
    fi
}
