#!/bin/sh
# Install Ace by DAISY, the EPUB accessibility checker, for tests/ace.sh:
#   tools/ace-install.sh DIR      (the tests look in build/ace)
# Debian's chromium (apt, as root or with sudo), then @daisy/ace-cli from
# npm into DIR without puppeteer's browser download, and DIR/chromium: a
# wrapper that runs Debian's browser headless, as root, and off the
# network. Does nothing when all is in place; silent when it succeeds;
# otherwise one line on stderr and exit 1.
set -u
# The versions tried here: Ace 1.4.6 drives chromium 156 (Debian 12)
# through puppeteer 24.43.1; a newer puppeteer may expect another browser.
ACE_VERSION=1.4.6
PUPPETEER_VERSION=24.43.1
BROWSER=/usr/lib/chromium/chromium

if [ $# -ne 1 ] || [ -z "$1" ]; then
	echo "usage: $0 DIR" >&2
	exit 2
fi
dir=$1
log=$dir/install.log

die() {
	echo "ace-install: $*" >&2
	exit 1
}

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
	die "Ace needs Node.js 20 or later and npm (apt-get install -y nodejs npm)"
fi
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null)
[ "${major:-0}" -ge 20 ] 2>/dev/null ||
    die "Ace $ACE_VERSION needs Node.js 20 or later, not $(node --version 2>/dev/null)"
mkdir -p "$dir" || die "cannot create $dir"
: >"$log" || die "cannot write in $dir"

# The browser: the package's own binary, not /usr/bin/chromium, whose
# launcher loads Debian's extensions and enables their remote updates.
if [ ! -x "$BROWSER" ]; then
	if [ "$(id -u)" = 0 ]; then
		sudo=
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		sudo=sudo
	else
		die "chromium is missing; run: sudo apt-get install -y chromium"
	fi
	# (another apt-get may hold the lock for a while: wait for it)
	apt="$sudo env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600"
	$apt install -y --no-install-recommends chromium >>"$log" 2>&1 ||
	    { $apt update >>"$log" 2>&1 &&
	      $apt install -y --no-install-recommends chromium >>"$log" 2>&1; } ||
	    die "apt-get could not install chromium (see $log)"
	[ -x "$BROWSER" ] || die "chromium installed but $BROWSER is missing (see $log)"
fi

# Ace, unless this version is there already. Its install scripts only
# download puppeteer's own browser: they are skipped.
have=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' \
    "$dir/node_modules/@daisy/ace-cli/package.json" 2>/dev/null | head -n 1)
if [ "$have" != "$ACE_VERSION" ] || [ ! -x "$dir/node_modules/.bin/ace-cli" ]; then
	PUPPETEER_SKIP_DOWNLOAD=1 npm install --prefix "$dir" --ignore-scripts \
	    --no-audit --no-fund --save-exact \
	    "@daisy/ace-cli@$ACE_VERSION" "puppeteer@$PUPPETEER_VERSION" >>"$log" 2>&1 ||
	    die "npm could not install @daisy/ace-cli@$ACE_VERSION (see $log)"
fi

# Chromium as root needs --no-sandbox; the other flags keep it from
# calling Google (updates, sign-in, DNS lookups): Ace reads local files
# only. Puppeteer adds its own flags after these.
tmp=$dir/chromium.tmp
cat >"$tmp" <<EOF || die "cannot write $tmp"
#!/bin/sh
# Written by tools/ace-install.sh: the browser Ace runs (through puppeteer).
exec $BROWSER --headless --no-sandbox --disable-gpu --disable-quic \\
    --no-first-run --disable-background-networking --disable-component-update \\
    --disable-sync --disable-domain-reliability --no-pings --disable-breakpad \\
    '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost' "\$@"
EOF
chmod 755 "$tmp"
if cmp -s "$tmp" "$dir/chromium"; then rm -f "$tmp"; else mv -f "$tmp" "$dir/chromium"; fi

# Both run once, with a scratch $HOME: Ace makes its config folder there,
# chromium its profile.
h=$dir/home.tmp
mkdir -p "$h"
scratch() {
	env HOME="$h" XDG_CONFIG_HOME="$h/.config" XDG_CACHE_HOME="$h/.cache" \
	    XDG_DATA_HOME="$h/.local/share" XDG_STATE_HOME="$h/.local/state" "$@"
}
v=$(scratch "$dir/node_modules/.bin/ace-cli" --version 2>>"$log")
[ "$v" = "$ACE_VERSION" ] || die "ace-cli does not run (version '$v'; see $log)"
scratch "$dir/chromium" --version >>"$log" 2>&1 || die "chromium does not start (see $log)"
rm -rf "$log" "$h"
exit 0
