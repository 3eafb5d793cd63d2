#!/usr/bin/env bash
# pagelist.sh PDF EPUB: the e-book's print page markers against the PDF.
#
# Every page of the PDF has exactly one marker (epub:type="pagebreak",
# id="page-N"), in reading order, listed in the page-list nav; and the
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
    sed -e 's/<span epub:type="pagebreak"[^>]*id="page-\([^"]*\)"[^>]*><\/span>/ @@page \1 /g' \
        -e 's/<nav[^>]*page-list.*<\/nav>//' \
        -e 's/<[^>]*>/ /g' \
        -e 's/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&#39;/'"'"'/g; s/&amp;/\&/g' |
    tr -s ' \t' '\n\n' | sed '/^$/d' >"$work/epub.words"

# markers: each page once, in order
grep -A1 -x '@@page' "$work/epub.words" | grep -v -e '^--$' -e '^@@page$' >"$work/labels"
seq 1 "$pages" >"$work/want"
if ! cmp -s "$work/labels" "$work/want"; then
    echo "markers are not 1..$pages in order: $(tr '\n' ' ' <"$work/labels" | cut -c1-200)"
    exit 1
fi
# the page-list nav names each page
navcount=$(unzip -p "$epub" "$dir/nav.xhtml" | tr '\n' ' ' | grep -o 'page-list.*</nav>' |
    grep -o '#page-[0-9]*"' | sort -u | wc -l)
if [ "$navcount" -ne "$pages" ]; then
    echo "page-list nav lists $navcount pages, the PDF has $pages"
    exit 1
fi

norm() { LC_ALL=C.UTF-8 sed -e 's/.*/\L&/' -e 's/[^[:alnum:]]//g' -e '/^$/d'; }
bad=0
for n in $(seq 1 "$pages"); do
    # the first word of the page, skipping list numbers and bullets
    first=$(pdftotext -raw -f "$n" -l "$n" "$pdf" - 2>/dev/null | tr -s ' \t\f' '\n\n' |
        norm | grep -v -x '[0-9ivxlc]*' | head -1)
    [ -n "$first" ] || continue     # a blank page
    after=$(awk -v n="$n" '
        $0 == "@@page" { getline lab; on = (lab == n); if (!on && seen) exit; seen = seen || on; next }
        on { print }' "$work/epub.words" | norm | head -4)
    if ! printf '%s\n' "$after" | grep -q -x -F -- "$first"; then
        echo "page $n begins with '$first' in the PDF; after its marker the e-book has: $(echo $after)"
        bad=1
    fi
done
exit $bad
