# shellcheck shell=bash
# EPUB accessibility: Ace by DAISY reports no violation in an e-book.
#
# Sourced by tests/run.sh, which calls test_ace NAME EPUB for each e-book
# it checks. Ace is looked for in ${ACE_DIR:-build/ace} (relative to the
# repository root), where tools/ace-install.sh puts it with the browser
# wrapper it runs; without it the test is skipped, and so it is with
# FOLIO_ACE=0 (make check-asan: the same e-books again). ACE_TIMEOUT is
# the time limit per book in seconds (300). Uses the runner's pass, fail, skip and
# have (tests/lib.sh) and $WORK. Defines only test_ace and ace_violations.
# See the "... ace" row of "What is checked" in tests/README.md.

ACE_TIMEOUT=${ACE_TIMEOUT:-300}

# ace_violations REPORT OUT: reads Ace's report.json; writes to OUT one
# line per violation (rule, impact, file, where, the markup Ace shows) and
# prints one line per rule: its id, its count, its impact and its first
# violation. Exits 0 when there is none, 1 when there are some, 2 when the
# report is unreadable.
ace_violations() {
    node -e '
const fs = require("fs");
const one = (s, n) => String(s || "").replace(/\s+/g, " ").trim().slice(0, n);
// (the start tag finds the element; Ace copies the namespaces onto it)
const tag = (s) => one(String(s || "").replace(/\s+xmlns(:\w+)?="[^"]*"/g, "").replace(/>[^]*$/, ">"), 120);
let r;
try {
    r = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
} catch (e) {
    console.log("cannot read " + process.argv[1] + ": " + one(e.message, 200));
    process.exit(2);
}
if (!r || !Array.isArray(r.assertions)) {
    console.log("no assertions in " + process.argv[1]);
    process.exit(2);
}
const rules = new Map(), all = [];
for (const doc of r.assertions) {
    const file = one(doc["earl:testSubject"] && doc["earl:testSubject"].url, 200) || "?";
    for (const a of doc.assertions || []) {
        const res = a["earl:result"] || {}, t = a["earl:test"] || {};
        if (res["earl:outcome"] !== "fail")
            continue;
        const id = one(t["dct:title"], 100) || "?";
        const css = res["earl:pointer"] && res["earl:pointer"].css;
        // the markup when Ace has it, else its message (page list, package)
        const where = res.html
            ? (css && css.length ? "[" + one(css.join(" "), 80) + "] " : "") + tag(res.html)
            : one(res["dct:description"], 160);
        all.push(id + "\t" + (t["earl:impact"] || "?") + "\t" + file + "\t" + where
            + (res.html ? "\t" + one(res.html, 2000) : ""));
        if (!rules.has(id))
            rules.set(id, { n: 0, impact: t["earl:impact"] || "?", first: file + ": " + where });
        rules.get(id).n++;
    }
}
fs.writeFileSync(process.argv[2], all.join("\n") + (all.length ? "\n" : ""));
for (const [id, v] of rules)
    console.log(id + " x" + v.n + " (" + v.impact + ") first at " + v.first);
const verdict = r["earl:result"] && r["earl:result"]["earl:outcome"];
if (all.length === 0 && verdict !== "pass") {
    console.log("no violation listed, but the verdict is " + JSON.stringify(verdict));
    process.exit(2);
}
process.exit(all.length ? 1 : 0);
' "$1" "$2"
}

# test_ace NAME EPUB: Ace checks EPUB; passes with 0 violations, else
# fails naming each rule violated, its count and where it first is, and
# keeps Ace's report (report.json, report.html), its log and the EPUB.
test_ace() {
    local name=$1 epub=$2 dir=${ACE_DIR:-build/ace} d home r list n
    if [ "${FOLIO_ACE:-1}" = 0 ]; then
        skip "$name" "FOLIO_ACE=0: Ace runs in the first pass of make check"
        return
    fi
    if [ ! -x "$dir/node_modules/.bin/ace-cli" ] || [ ! -x "$dir/chromium" ] || ! have node; then
        skip "$name" "Ace not installed: run tools/ace-install.sh $dir"
        return
    fi
    case $dir in /*) ;; *) dir=$PWD/$dir ;; esac
    d=$(mktemp -d "$WORK/ace.XXXXXX")
    # Ace keeps its logs and chromium its crash folders in $HOME: not ours.
    home=$d/home
    mkdir -p "$home"
    (
        export HOME=$home XDG_CONFIG_HOME=$home/.config XDG_CACHE_HOME=$home/.cache \
            XDG_DATA_HOME=$home/.local/share XDG_STATE_HOME=$home/.local/state \
            PUPPETEER_EXECUTABLE_PATH=$dir/chromium PUPPETEER_SKIP_DOWNLOAD=1
        timeout -k 10 "$ACE_TIMEOUT" "$dir/node_modules/.bin/ace-cli" -f -o "$d/report" "$epub" \
            >"$d/ace.log" 2>&1 </dev/null
    )
    r=$?
    if [ "$r" -eq 124 ] || [ "$r" -eq 137 ]; then
        fail "$name" "Ace killed after $ACE_TIMEOUT s" "$d/ace.log" "$epub"
        return
    fi
    if [ "$r" -ne 0 ] || [ ! -s "$d/report/report.json" ]; then
        fail "$name" "ace-cli exit $r, $([ -s "$d/report/report.json" ] || echo 'no report.json, ')log: $(sed 's/\x1b\[[0-9;]*m//g' "$d/ace.log" | grep -iE 'error|fail|exception' | head -n 3 | tr -s '\n ' '  ' | cut -c1-300)" \
            "$d/ace.log" "$epub"
        return
    fi
    list=$(ace_violations "$d/report/report.json" "$d/violations.txt" 2>&1)
    r=$?
    if [ "$r" -eq 0 ]; then
        pass "$name"
    elif [ "$r" -eq 1 ]; then
        n=$(wc -l <"$d/violations.txt")
        fail "$name" "$n violation(s): $(printf '%s\n' "$list" | sed '$!s/$/;/' | tr '\n' ' ' | sed 's/ $//')" \
            "$d/report" "$d/violations.txt" "$d/ace.log" "$epub"
    else
        fail "$name" "Ace's report: $(printf '%s' "$list" | head -n 2 | tr '\n' ' ' | cut -c1-300)" \
            "$d/report" "$d/ace.log" "$epub"
    fi
}
