#!/bin/sh
# since_seeds.sh FOLIO DIR: fuzzing seeds for fuzz-since — e-books folio
# makes of tests/cases (with their print page markers), without their
# fonts and pictures, which --since never reads; their package documents
# and chapters alone ("OPF\n", "XHTML\n" first: the harness zips them);
# and the hostile ones of tests/tools/hostile_epub.py that are quick to
# read.
set -u
folio=$1
dir=$2
mkdir -p "$dir"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/folio-since-seeds.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0
for src in tests/cases/book tests/cases-single/*.md tests/cases-meta/*/ tests/handouts/*/; do
	[ -e "$src" ] || continue
	n=$((n + 1))
	"$folio" build "$src" --pdf "$tmp/$n.pdf" --epub "$tmp/$n.epub" \
	    >/dev/null 2>&1 || continue
	python3 - "$tmp/$n.epub" "$dir/case-$n" <<'PY'
import sys, zipfile
src, out = zipfile.ZipFile(sys.argv[1]), zipfile.ZipFile(sys.argv[2] + '.epub', 'w')
for info in src.infolist():
    name = info.filename
    if name.startswith(('EPUB/fonts/', 'EPUB/images/')):
        continue
    data = src.read(name)
    out.writestr(info, data)
    # the documents alone, for the harness to zip
    if name == 'EPUB/package.opf':
        open(sys.argv[2] + '-package.opf', 'wb').write(b'OPF\n' + data)
    elif name.startswith('EPUB/ch') and name.endswith('.xhtml'):
        open('%s-%s' % (sys.argv[2], name[5:]), 'wb').write(b'XHTML\n' + data)
out.close()
PY
done
for kind in removed controls controls-name; do
	python3 tests/tools/hostile_epub.py "$kind" "$dir/hostile-$kind.epub"
done
