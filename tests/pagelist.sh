#!/usr/bin/env bash
# pagelist.sh PDF EPUB: the e-book's print page markers against the PDF.
#
# Every page of the PDF has exactly one marker (epub:type="pagebreak",
# id="page.N"), in reading order, listed in the page-list nav; and the
# first word that `pdftotext -f N -l N` finds on page N comes right after
# marker N (among the first words after it, before marker N+1).
# Prints what is wrong and exits 1, or exits 0.
set -u
pdf=$1 epub=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/pagelist.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT

pages=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ { print $2 }')
[ -n "$pages" ] || { echo "pdfinfo cannot read $pdf"; exit 1; }

# the spine, in order: href of each itemref, from the package document
opf=$(unzip -Z1 "$epub" | grep '\.opf$' | head -1)
dir=$(dirname "$opf")
unzip -p "$epub" "$opf" | tr '\n' ' ' | sed 's/<item /\n<item /g; s/<itemref /\n<itemref /g' >"$work/opf"
for id in $(sed -n 's/.*<itemref idref="\([^"]*\)".*/\1/p' "$work/opf"); do
    sed -n "s/.*<item id=\"$id\" href=\"\([^\"]*\)\".*/\1/p" "$work/opf"
done >"$work/spine"

# the text of the spine in order, a word a line; a marker is "@@page N"
while read -r href; do
    unzip -p "$epub" "$dir/$href"
done <"$work/spine" |
    tr '\n' ' ' |
    sed -e 's/<span epub:type="pagebreak"[^>]*id="page\.\([^"]*\)"[^>]*><\/span>/ @@page \1 /g' \
        -e 's/<aside [^>]*doc-\(foot\|end\)note[^>]*>/ @@note /g' -e 's/<\/aside>/ @@end /g' \
        -e 's/<nav[^>]*page-list.*<\/nav>//' \
        -e 's/<[^>]*>/ /g' \
        -e 's/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&#39;/'"'"'/g; s/&amp;/\&/g' |
    tr -s ' \t' '\n\n' | sed '/^$/d' >"$work/epub.words"

# the printed label of every page, from the PDF's page labels (roman /r
# or decimal /D ranges); pages without labels are numbered from 1
qpdf --json --json-key=pagelabels "$pdf" 2>/dev/null |
    awk '/"index":/ { gsub(/[^0-9]/, "", $2); idx = $2 }
         /"\/S":/ { s = $2; gsub(/[",\/]/, "", s) }
         /"\/St":/ { st = $2; gsub(/[^0-9]/, "", st); print idx, s, st }' >"$work/ranges"
awk -v pages="$pages" '
    function roman(n,   r, i, v, s) {
        split("1000 900 500 400 100 90 50 40 10 9 5 4 1", v, " ")
        split("m cm d cd c xc l xl x ix v iv i", s, " ")
        r = ""
        for (i = 1; i <= 13; i++) while (n >= v[i]) { r = r s[i]; n -= v[i] }
        return r
    }
    { idx[NR] = $1; sty[NR] = $2; start[NR] = $3; n = NR }
    END {
        for (p = 0; p < pages; p++) {
            k = 0
            for (i = 1; i <= n; i++) if (idx[i] <= p) k = i
            if (k == 0) { print p + 1; continue }
            v = start[k] + p - idx[k]
            print (sty[k] == "r" ? roman(v) : v)
        }
    }' "$work/ranges" >"$work/want"

# markers: each page once, in order
grep -A1 -x '@@page' "$work/epub.words" | grep -v -e '^--$' -e '^@@page$' >"$work/labels"
if ! cmp -s "$work/labels" "$work/want"; then
    echo "markers are not the $pages page labels in order: $(tr '\n' ' ' <"$work/labels" | cut -c1-200)"
    exit 1
fi
# the page-list nav names each page
navcount=$(unzip -p "$epub" "$dir/nav.xhtml" | tr '\n' ' ' | grep -o 'page-list.*</nav>' |
    grep -o '#page\.[^"]*"' | sort -u | wc -l)
if [ "$navcount" -ne "$pages" ]; then
    echo "page-list nav lists $navcount pages, the PDF has $pages"
    exit 1
fi

# each page's width and height, to read its text block without the
# running head above or the folio below (a page of empty code lines
# has only those)
pdfinfo -f 1 -l "$pages" "$pdf" 2>/dev/null |
    awk '/^Page +[0-9]+ size:/ { print $4, $6 }' >"$work/sizes"
norm() { LC_ALL=C.UTF-8 sed -e 's/.*/\L&/' -e 's/[^[:alnum:]]//g' -e '/^$/d'; }
bad=0
n=0
while read -r label; do
    n=$((n + 1))
    # the first words of the page, skipping list numbers and bullets
    read -r pw ph < <(sed -n "${n}p" "$work/sizes")
    pdfwords=$(pdftotext -raw -f "$n" -l "$n" -x 0 -y "$(awk -v h="${ph:-792}" 'BEGIN { print int(h * 0.06) }')" \
        -W "${pw:-612}" -H "$(awk -v h="${ph:-792}" 'BEGIN { print int(h * 0.87) }')" "$pdf" - 2>/dev/null | tr -s ' \t\f' '\n\n' |
        norm | grep -v -x '[0-9ivxlc]*' | head -8)
    first=$(printf '%s\n' "$pdfwords" | head -1)
    [ -n "$first" ] || continue     # a blank page
    after=$(awk -v n="$label" '
        $0 == "@@page" { getline lab; on = (lab == n); if (!on && seen) exit; seen = seen || on; next }
        $0 == "@@note" || $0 == "@@end" { next }
        on { print }' "$work/epub.words" | norm | head -4)
    if printf '%s\n' "$after" | grep -q -x -F -- "$first"; then
        continue
    fi
    # a table's header row again at the top of the page: the e-book's
    # first word after the marker is the first of its next row
    if [ -n "$after" ] && printf '%s\n' "$pdfwords" | grep -q -x -F -- "$(printf '%s\n' "$after" | head -1)"; then
        continue
    fi
    # a page that begins with a note carried over to its foot: its
    # marker goes just before the next page's, the word in a note before
    if [ -z "$after" ] && awk -v n="$label" '
        $0 == "@@page" { getline lab; if (lab == n) exit; next }
        $0 == "@@note" { note = 1; next }
        $0 == "@@end" { note = 0; next }
        note { print }' "$work/epub.words" | norm | grep -q -x -F -- "$first"; then
        continue
    fi
    echo "page $n begins with '$first' in the PDF; after its marker the e-book has: $(echo $after)"
    bad=1
done <"$work/want"
exit $bad
