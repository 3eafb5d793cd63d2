#!/usr/bin/env bash
# typography.sh CHECK PDF ARGS...: the print edition's rules, checked from
# outside the engine with poppler and qpdf. Prints what is wrong and exits
# 1, or exits 0.
#
#   size PDF W H               every page is W x H points
#   labels PDF                 page labels: roman, then arabic from 1
#   toc PDF                    each contents entry's number is the page
#                              where pdftotext finds that heading
#   block PDF INNER OUTER TWO  no word passes the text block's left or
#                              right edge (mirrored margins when TWO=yes)
#   hyphens PDF                at most two hyphenated lines in a row
#   heads PDF TOP BOTTOM MD... no page's last line of text is a heading
#                              of the Markdown files MD...
set -u
check=$1 pdf=$2
shift 2
work=$(mktemp -d "${TMPDIR:-/tmp}/typography.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT

pages=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
[ -n "$pages" ] || { echo "pdfinfo cannot read $pdf"; exit 1; }
norm() { LC_ALL=C.UTF-8 sed -e 's/.*/\L&/' -e 's/[^[:alnum:] ]//g' -e 's/  */ /g' -e 's/^ //; s/ $//'; }

# the physical index (0-based) where the arabic numbering starts
arabic_start() {
    qpdf --json --json-key=pagelabels "$pdf" 2>/dev/null |
        awk '/"index":/ { gsub(/[^0-9]/, "", $2); idx = $2 }
             /"\/S":/ && /\/D/ { print idx; exit }'
}

case $check in
size)
    pdfinfo -f 1 -l "$pages" "$pdf" 2>/dev/null | awk -v w="$1" -v h="$2" '
        /^Page +[0-9]+ size:/ { n++; if ($4 + 0 != w || $6 + 0 != h) { print "page " $2 " is " $4 " x " $6 " pt, not " w " x " h; bad = 1 } }
        END { if (n == 0) { print "no page sizes"; bad = 1 } exit bad }'
    ;;
labels)
    qpdf --json --json-key=pagelabels "$pdf" 2>/dev/null |
        awk '/"index":/ { gsub(/[^0-9]/, "", $2); idx[++n] = $2 }
             /"\/S":/ { s[n] = $2 } /"\/St":/ { st[n] = $2 + 0 }
             END {
                 if (n != 2 || idx[1] != 0 || s[1] !~ /\/r/ || s[2] !~ /\/D/ || st[2] != 1) {
                     print "page labels are not roman from the first page, then arabic from 1 (" n " ranges)"; exit 1
                 }
             }'
    ;;
toc)
    start=$(arabic_start)
    [ -n "$start" ] || { echo "no arabic page labels"; exit 1; }
    pdftotext -raw -f 1 -l "$start" "$pdf" - 2>/dev/null |
        grep -E '\. ?\.+ *[0-9]+$' >"$work/entries"
    [ -s "$work/entries" ] || { echo "no contents entries with dot leaders in pages 1-$start"; exit 1; }
    bad=0 n=0
    while IFS= read -r line; do
        num=${line##* }
        title=$(printf '%s\n' "$line" | sed -E 's/ *\.( ?\.)+ *[0-9]+$//' | norm)
        [ -n "$title" ] || continue
        n=$((n + 1))
        phys=$((start + num))
        if ! pdftotext -raw -f "$phys" -l "$phys" "$pdf" - 2>/dev/null | norm | tr '\n' ' ' |
            grep -q -F -- "$title"; then
            echo "contents: '$title' says page $num (physical $phys), but it is not there"
            bad=1
        fi
    done <"$work/entries"
    [ "$n" -gt 0 ] || { echo "no contents entries"; exit 1; }
    exit $bad
    ;;
block)
    pdftotext -bbox "$pdf" "$work/bbox.html" 2>/dev/null
    awk -v inner="$1" -v outer="$2" -v two="$3" '
        /<page / { p++; match($0, /width="[0-9.]+"/); w = substr($0, RSTART + 7, RLENGTH - 8) + 0 }
        /<word / {
            match($0, /xMin="[0-9.]+"/); x0 = substr($0, RSTART + 6, RLENGTH - 7) + 0
            match($0, /xMax="[0-9.]+"/); x1 = substr($0, RSTART + 6, RLENGTH - 7) + 0
            recto = two != "yes" || p % 2 == 1
            l = recto ? inner : outer; r = w - (recto ? outer : inner)
            t = $0; gsub(/<[^>]*>/, "", t); gsub(/^[ \t]+|[ \t]+$/, "", t)
            # stops, commas, hyphens and quotes hang into the margin
            # (protrusion), by less than 3 pt; nothing else does
            hangl = t ~ /^(\(|"|\047|\302\253|\342\200[\230\234])/ ? 3 : 0.5
            hangr = t ~ /([.,:;!?)"\047-]|\302\255|\302\273|\342\200[\231\235\223\224\246])$/ ? 3 : 0.5
            if (x0 < l - hangl || x1 > r + hangr) {
                if (bad < 10) print "page " p ": \"" t "\" spans " x0 "-" x1 ", the block is " l "-" r
                bad++
            }
        }
        END { if (bad) print bad " word(s) outside the text block"; exit bad > 0 }' "$work/bbox.html"
    ;;
hyphens)
    pdftotext -raw "$pdf" - 2>/dev/null | awk '
        # (a fragment longer than 30 letters is an emergency break of a
        # word wider than the line, not hyphenation)
        /[[:alpha:]]-$/ && length($NF) <= 31 { if (++run == 3) { print "three hyphenated lines in a row, ending: " $0; bad = 1 } next }
        { run = 0 }
        END { exit bad }'
    ;;
heads)
    top=$1 bottom=$2
    shift 2
    sed -n 's/^#\{1,6\} \{1,\}//p' "$@" | sed 's/ *#* *$//' | norm | sort -u >"$work/headings"
    pdftotext -bbox "$pdf" "$work/bbox.html" 2>/dev/null
    # the last line of text above the bottom margin, page by page
    # (with the height of its words: a heading is set larger than the text)
    awk -v top="$top" -v bottom="$bottom" '
        function flush() { if (p) print p "\t" size[maxy] "\t" line[maxy] }
        /<page / { flush(); p++; delete line; delete size; maxy = -1
                   match($0, /height="[0-9.]+"/); h = substr($0, RSTART + 8, RLENGTH - 9) + 0 }
        /<word / {
            match($0, /yMin="[0-9.]+"/); y0 = substr($0, RSTART + 6, RLENGTH - 7) + 0
            match($0, /yMax="[0-9.]+"/); y1 = substr($0, RSTART + 6, RLENGTH - 7) + 0
            y = int(y0 + 0.5)
            if (y < top * 0.9 || y > h - bottom * 0.9) next
            t = $0; gsub(/<[^>]*>/, "", t); gsub(/^[ \t]+|[ \t]+$/, "", t)
            line[y] = line[y] " " t
            if (y1 - y0 > size[y]) size[y] = y1 - y0
            if (y > maxy) maxy = y
        }
        END { flush() }' "$work/bbox.html" >"$work/last"
    # the body text size: the commonest word height
    body=$(grep -o 'yMin="[0-9.]*" xMax="[0-9.]*" yMax="[0-9.]*"' "$work/bbox.html" |
        awk -F'"' '{ h = sprintf("%.1f", $6 - $2); c[h]++ } END { for (h in c) if (c[h] > m) { m = c[h]; b = h } print b }')
    bad=0
    while IFS=$'\t' read -r page height text; do
        t=$(printf '%s\n' "$text" | norm)
        [ -n "$t" ] || continue
        if grep -q -x -F -- "$t" "$work/headings" &&
            awk -v a="$height" -v b="$body" 'BEGIN { exit !(a > b * 1.1) }'; then
            echo "page $page ends with the heading '$t'"
            bad=1
        fi
    done <"$work/last"
    exit $bad
    ;;
*)
    echo "unknown check $check"
    exit 2
    ;;
esac
