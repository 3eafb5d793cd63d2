#!/bin/sh
# Install pdf.js (npm pdfjs-dist), the second reader of tagged PDFs for
# tests/tagged.sh:
#   tools/pdfjs-install.sh DIR      (the tests look in build/pdfjs)
# Only the library: no canvas (an optional dependency with a prebuilt
# binary), no install scripts; reading structure and text needs neither.
# Does nothing when this version is in place; silent when it succeeds;
# otherwise one line on stderr and exit 1.
set -u
# The newest pdf.js that runs on Node.js 20 (Debian's machines here).
PDFJS_VERSION=5.4.624

if [ $# -ne 1 ] || [ -z "$1" ]; then
	echo "usage: $0 DIR" >&2
	exit 2
fi
dir=$1
log=$dir/install.log

die() {
	echo "pdfjs-install: $*" >&2
	exit 1
}

command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 ||
    die "pdf.js needs Node.js 20 and npm (apt-get install -y nodejs npm)"
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)
[ "${major:-0}" -ge 20 ] 2>/dev/null ||
    die "pdf.js $PDFJS_VERSION needs Node.js 20 or later, not $(node --version 2>/dev/null)"
have=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' \
    "$dir/node_modules/pdfjs-dist/package.json" 2>/dev/null | head -n 1)
[ "$have" = "$PDFJS_VERSION" ] && exit 0
mkdir -p "$dir" || die "cannot create $dir"
: >"$log" || die "cannot write in $dir"
npm install --prefix "$dir" --ignore-scripts --omit=optional --no-audit \
    --no-fund --save-exact "pdfjs-dist@$PDFJS_VERSION" >>"$log" 2>&1 ||
    die "npm could not install pdfjs-dist@$PDFJS_VERSION (see $log)"
node -e 'require(require("path").resolve(process.argv[1]))' "$dir/node_modules/pdfjs-dist/package.json" \
    >>"$log" 2>&1 || die "pdfjs-dist is not readable (see $log)"
rm -f "$log"
exit 0
