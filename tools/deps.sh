#!/bin/sh
# Install the Debian packages folio needs, if any are missing.
#   tools/deps.sh build   libraries and fonts to build and publish
#   tools/deps.sh check   the outside tools the tests use as oracles
# As root (or with sudo) it runs apt-get; otherwise it prints the one
# command to run and fails.
set -u
build="gcc g++ make pkg-config libhpdf-dev libzip-dev libcmark-gfm-dev libcmark-gfm-extensions-dev libyaml-dev libinih-dev libhyphen-dev hyphen-en-us libpng-dev libxml2-dev zlib1g-dev libsource-highlight-dev libjpeg-dev librsvg2-dev libharfbuzz-dev libfontconfig-dev libunibreak-dev libgs-common fonts-urw-base35 fonts-noto-core fonts-noto-cjk fonts-symbola"
check="epubcheck default-jre-headless qpdf poppler-utils pandoc unzip valgrind clang libclang-rt-14-dev fonts-dejavu-core"
case "${1:-build}" in
build) want=$build ;;
check) want=$check ;;
*) echo "usage: $0 build|check" >&2; exit 2 ;;
esac
missing=
for p in $want; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
	    missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
	sudo=
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	sudo=sudo
else
	echo "folio needs these Debian packages; run:" >&2
	echo "  sudo apt-get install -y$missing" >&2
	exit 1
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get install -y --no-install-recommends $missing ||
    { $sudo apt-get update && $sudo apt-get install -y --no-install-recommends $missing; }
