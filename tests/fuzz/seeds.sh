#!/bin/sh
# seeds.sh DIR [N]: fuzzing seeds — the test cases, the bad inputs, the
# book's chapters, and (when ../shared is beside the checkout) every
# example of the CommonMark spec, one file each; with N, every Nth of
# those (make check's short run), the others removed from DIR.
set -u
dir=$1
every=${2:-1}
mkdir -p "$dir"
n=0
for f in tests/cases*/*.md tests/cases*/*/*.md tests/bad/*.md manuscript/*.md; do
	[ -f "$f" ] || continue
	n=$((n + 1))
	cp "$f" "$dir/case-$n.md"
done
spec=${SHARED:-../shared}/corpus/commonmark-spec.txt
[ -f "$spec" ] || exit 0
awk -v dir="$dir" '
	/^```````````````````````````````` example/ { inex = 1; md = 1; k++; f = sprintf("%s/spec-%04d.md", dir, k); printf "" > f; next }
	/^````````````````````````````````$/ { if (inex) close(f); inex = 0; next }
	inex && md && $0 == "." { md = 0; next }
	inex && md { gsub(/→/, "\t"); print >> f }
' "$spec"
[ "$every" -gt 1 ] || exit 0
k=0
for f in "$dir"/*; do
	k=$((k + 1))
	[ $((k % every)) -eq 0 ] || rm -f "$f"
done
