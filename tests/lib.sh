# shellcheck shell=bash
# Shared helpers of tests/run.sh and tests/corpus.sh (sourced, not run).
#
# Expects: TESTS (the tests/ folder), WORK (a scratch folder), FOLIO (the
# binary, absolute), KEEP (where the files of a failing test are kept) and
# FOLIO_RESULTS (a file that gets one line per test: ok, FAIL or skip).

FOLIO_TIMEOUT=${FOLIO_TIMEOUT:-60}

# ------------------------------------------------------------- reporting

pass() {
    printf 'ok %s\n' "$1"
    echo ok >>"$FOLIO_RESULTS"
}

# fail NAME REASON [FILE...]: the files are copied to $KEEP/<name>/.
fail() {
    local name=$1 reason=$2 dir f
    shift 2
    if [ $# -gt 0 ]; then
        dir="$KEEP/$(printf '%s' "$name" | tr -c 'A-Za-z0-9._-' '_')"
        mkdir -p "$dir"
        for f in "$@"; do
            [ -e "$f" ] && cp -R "$f" "$dir/" 2>/dev/null
        done
        printf 'FAIL %s: %s (kept: %s)\n' "$name" "$reason" "$dir"
    else
        printf 'FAIL %s: %s\n' "$name" "$reason"
    fi
    echo FAIL >>"$FOLIO_RESULTS"
}

skip() {
    printf 'skip %s (%s)\n' "$1" "$2"
    echo skip >>"$FOLIO_RESULTS"
}

# first_lines FILE [N]: the first N (3) non-empty lines of FILE, on one line.
first_lines() {
    grep -v '^[[:space:]]*$' "$1" 2>/dev/null | head -n "${2:-3}" | tr '\n' ' ' | cut -c1-300
}

# ------------------------------------------------------------- tools

have() { command -v "$1" >/dev/null 2>&1; }

EPUBCHECK_JAR=${EPUBCHECK_JAR:-}
if [ -z "$EPUBCHECK_JAR" ]; then
    for f in /usr/bin/epubcheck /usr/share/java/epubcheck.jar; do
        if [ -f "$f" ]; then EPUBCHECK_JAR=$f; break; fi
    done
fi

# run_folio LOG ARGS...: runs the binary with a time limit; stdout and
# stderr go to LOG.out and LOG.err; the exit code is left in $rc.
run_folio() {
    local log=$1
    shift
    # (in a subshell: a crash is reported in the test line, not by bash)
    (timeout "$FOLIO_TIMEOUT" "$FOLIO" "$@" >"$log.out" 2>"$log.err" </dev/null; exit $?) 2>/dev/null
    # shellcheck disable=SC2034 # read by the callers
    rc=$?
    if [ "$rc" -eq 124 ]; then
        echo "(test runner: killed after $FOLIO_TIMEOUT s)" >>"$log.err"
    elif [ "$rc" -gt 128 ]; then
        echo "(test runner: killed by signal $((rc - 128)))" >>"$log.err"
    fi
}

# epubcheck_ok EPUB LOG: EPUBCheck reports no fatal, error or warning.
epubcheck_ok() {
    java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto \
        -jar "$EPUBCHECK_JAR" "$1" >"$2" 2>&1
    local r=$?
    [ "$r" -eq 0 ] || return 1
    grep -Eq '^(FATAL|ERROR|WARNING)' "$2" && return 1
    grep -Eq 'Messages: 0 fatals / 0 errors / 0 warnings' "$2" || return 1
    return 0
}

# epubcheck_summary LOG: the counts line and the first problems.
epubcheck_summary() {
    {
        grep -E '^Messages:' "$1"
        grep -E '^(FATAL|ERROR|WARNING)' "$1" | head -n 3
    } | tr '\n' ' ' | cut -c1-400
}

# qpdf_ok PDF LOG: qpdf --check exits 0 (no error, no warning).
qpdf_ok() {
    qpdf --check "$1" >"$2" 2>&1
}

# fonts_ok PDF LOG: pdffonts lists at least one font and every font is
# embedded. On failure LOG ends with the reason.
fonts_ok() {
    local verdict
    pdffonts "$1" >"$2" 2>"$2.stderr" || { echo "pdffonts failed: $(first_lines "$2.stderr" 1)" >>"$2"; return 1; }
    verdict=$(awk 'started && NF >= 6 {
            n++
            if ($(NF-4) != "yes") bad = bad " " $1
         }
         /^-----/ { started = 1 }
         END {
            if (n == 0) { print "no font listed"; exit 1 }
            if (bad != "") { print "not embedded:" bad; exit 1 }
         }' "$2") && return 0
    echo "$verdict" >>"$2"
    return 1
}

# epub_mimetype_ok EPUB: first entry is mimetype, stored, with the right content.
# Prints the reason on failure.
epub_mimetype_ok() {
    local first method content
    first=$(unzip -Z1 "$1" 2>/dev/null | head -n 1)
    if [ "$first" != mimetype ]; then
        echo "first zip entry is '$first', not mimetype"
        return 1
    fi
    method=$(unzip -v "$1" 2>/dev/null | awk '/^--------/ { if (!seen) { seen = 1; getline; print $2; exit } }')
    if [ "$method" != Stored ]; then
        echo "mimetype entry method is '$method', not Stored"
        return 1
    fi
    content=$(unzip -p "$1" mimetype 2>/dev/null; printf x)
    if [ "$content" != "application/epub+zipx" ]; then
        echo "mimetype content is '${content%x}'"
        return 1
    fi
    return 0
}

# epub_alt_texts EPUB: the alt attributes of the EPUB's pictures, one a
# line (pandoc's EPUB reader shows a figure's caption, not its alt text).
epub_alt_texts() {
    unzip -p "$1" '*.xhtml' '*.html' '*.htm' 2>/dev/null | tr '\n' ' ' |
        grep -o 'alt="[^"]*"' | sed -e 's/^alt="//' -e 's/"$//' \
        -e 's/&lt;/</g; s/&gt;/>/g; s/&quot;/"/g; s/&apos;/'"'"'/g; s/&#39;/'"'"'/g; s/&amp;/\&/g'
}

# ------------------------------------------------------------- words
#
# normalize: text on stdin -> the same lines as words: lowercased, all
# punctuation and symbols removed; spaces, dashes, slashes and ellipses
# separate words; invisible characters (soft hyphen, zero-width space, ...)
# vanish; empty lines go. A form feed (pdftotext's page break) becomes a
# line holding only $PAGE_MARK.
#
# A word that a line break cut in two (hyphenated or not) is not joined
# here: missing_words looks for it over line ends, and over a page break
# past the running head and folio.

PAGE_MARK=xxpagebreakxx
_c() { printf '%b' "$1"; }
_INVISIBLE="$(_c '\0302\0255')$(_c '\0342\0200\0213')$(_c '\0342\0200\0214')$(_c '\0342\0200\0215')$(_c '\0342\0201\0240')$(_c '\0357\0273\0277')"
_SPACES="$(_c '\0302\0240')$(_c '\0342\0200\0200')$(_c '\0342\0200\0201')$(_c '\0342\0200\0202')$(_c '\0342\0200\0203')$(_c '\0342\0200\0204')$(_c '\0342\0200\0205')$(_c '\0342\0200\0206')$(_c '\0342\0200\0207')$(_c '\0342\0200\0210')$(_c '\0342\0200\0211')$(_c '\0342\0200\0212')$(_c '\0342\0200\0257')$(_c '\0342\0201\0237')$(_c '\0343\0200\0200')"
_DASHES="$(_c '\0342\0200\0222')$(_c '\0342\0200\0223')$(_c '\0342\0200\0224')$(_c '\0342\0200\0225')$(_c '\0342\0200\0246')/"

normalize() {
    sed "s/\\f/\\n$PAGE_MARK\\n/g" | tr '\r\t' '\n\040' |
        LC_ALL=C.UTF-8 sed \
            -e "s/[$_INVISIBLE]//g" \
            -e "s#[$_SPACES$_DASHES]# #g" \
            -e 's/.*/\L&/' \
            -e 's/[^[:alnum:][:space:]]//g' \
            -e 's/[[:space:]][[:space:]]*/ /g' \
            -e 's/^ //' -e 's/ $//' \
            -e '/^$/d'
}

# strip_front_matter FILE: the file without a leading --- ... --- block.
strip_front_matter() {
    awk 'NR == 1 && $0 ~ /^---[ \t]*$/ { fm = 1; next }
         fm && ($0 ~ /^(---|\.\.\.)[ \t]*$/) { fm = 0; next }
         !fm' "$1"
}

# source_text MODE FILE...: what pandoc renders of the Markdown files as
# plain text, with raw HTML removed. MODE pdf also removes the alt text of
# images that exist; MODE epub keeps it.
source_text() {
    local mode=$1 f drop=0
    shift
    [ "$mode" = pdf ] && drop=1
    for f in "$@"; do
        strip_front_matter "$f" |
            FOLIO_DROP_IMAGES=$drop FOLIO_SRC_DIR=$(dirname "$f") \
                pandoc -f commonmark -t plain --wrap=none \
                --lua-filter "$TESTS/tools/visible.lua" || return 1
        echo
    done
}

# missing_words EXPECTED_WORDS OUTPUT_NORMALIZED: prints each word of the
# first file (one a line) that the second lacks. A word also counts as
# found when it is cut over line ends: its first part ends a line, its
# next part starts the next line, or one of the first lines after a page
# break that comes within the next lines (the lines between are the
# running head and the folio); a part that is a whole line may go on.
missing_words() {
    awk -v mark="$PAGE_MARK" '
    # try(acc, l, depth): can w be completed from acc after line l?
    function try(acc, l, depth,    c, m, k, t, lim) {
        if (depth > 8) return 0
        # the next line
        if (l + 1 <= nl && !ispage[l + 1] && cont(acc, l + 1, depth)) return 1
        # over a page break within the next 4 lines
        for (m = l + 1; m <= l + 4 && m <= nl; m++) {
            if (!ispage[m]) continue
            lim = m + 4
            for (c = m + 1; c <= lim && c <= nl; c++) {
                if (ispage[c]) break
                if (cont(acc, c, depth)) return 1
            }
            break
        }
        return 0
    }
    function cont(acc, c, depth,    t) {
        t = acc first[c]
        if (t == w) return 1
        if (length(t) >= lw || substr(w, 1, length(t)) != t) return 0
        if (ntok[c] != 1) return 0
        return try(t, c, depth + 1)
    }
    NR == FNR {
        nl++
        if ($0 == mark) { ispage[nl] = 1; next }
        n = split($0, a, " ")
        ntok[nl] = n
        first[nl] = a[1]
        last[nl] = a[n]
        for (i = 1; i <= n; i++) have[a[i]] = 1
        next
    }
    $0 != "" && !($0 in have) && !($0 in seen) { seen[$0] = 1; miss[++nm] = $0 }
    END {
        for (m = 1; m <= nm; m++) {
            w = miss[m]
            lw = length(w)
            found = 0
            for (l = 1; m <= 300 && l <= nl && !found; l++) {
                if (ispage[l]) continue
                t = last[l]
                if (length(t) >= lw || substr(w, 1, length(t)) != t) continue
                if (try(t, l, 0)) found = 1
            }
            if (!found) print w
        }
    }' "$2" "$1"
}

# check_words NAME KIND OUTPUT_TEXT MODE SOURCE...: every word of the
# sources is in the output text (pdftotext or pandoc's reading of the EPUB).
check_words() {
    local name=$1 kind=$2 out=$3 mode=$4 d
    shift 4
    d=$(mktemp -d "$WORK/words.XXXXXX")
    if ! source_text "$mode" "$@" >"$d/source.txt" 2>"$d/pandoc.err"; then
        fail "$name" "pandoc could not read the sources: $(first_lines "$d/pandoc.err" 2)" "$d/pandoc.err"
        return
    fi
    normalize <"$d/source.txt" | tr ' ' '\n' | sort -u >"$d/source.words"
    normalize <"$out" >"$d/$kind.norm"
    missing_words "$d/source.words" "$d/$kind.norm" >"$d/missing.txt"
    if [ ! -s "$d/source.words" ]; then
        fail "$name" "no words found in the sources" "$d/source.txt"
    elif [ -s "$d/missing.txt" ]; then
        fail "$name" "$(wc -l <"$d/missing.txt") word(s) missing from the $kind: $(head -n 25 "$d/missing.txt" | tr '\n' ' ' | cut -c1-400)" \
            "$d/missing.txt" "$d/source.txt" "$out"
    else
        pass "$name"
    fi
}

# need NAME TOOL...: skip NAME (and return 1) when a tool is missing.
need() {
    local name=$1 t miss=""
    shift
    for t in "$@"; do
        case $t in
        epubcheck) { [ -n "${EPUBCHECK_JAR:-}" ] && have java; } || miss="$miss epubcheck" ;;
        *) have "$t" || miss="$miss $t" ;;
        esac
    done
    if [ -n "$miss" ]; then
        skip "$name" "missing:$miss"
        return 1
    fi
    return 0
}

# check_edition_words NAME DIR PDF EPUB MD...: every word of the Markdown
# comes back from the PDF (pdftotext -raw: the text in the order it is
# drawn; the default layout joins a word hyphenated over a page break with
# the folio between) and from the EPUB (pandoc, plus the alt texts).
check_edition_words() {
    local name=$1 d=$2 pdf=$3 epub=$4
    shift 4
    if need "$name: words in pdf" pdftotext pandoc; then
        if pdftotext -raw -enc UTF-8 "$pdf" "$d/pdf.txt" 2>"$d/pdftotext.err"; then
            check_words "$name: words in pdf" pdf "$d/pdf.txt" pdf "$@"
        else
            fail "$name: words in pdf" "pdftotext failed: $(first_lines "$d/pdftotext.err")" "$pdf"
        fi
    fi
    if need "$name: words in epub" pandoc; then
        if pandoc -f epub -t plain --wrap=none "$epub" -o "$d/epub.txt" 2>"$d/pandoc-epub.err"; then
            epub_alt_texts "$epub" >>"$d/epub.txt"
            check_words "$name: words in epub" epub "$d/epub.txt" epub "$@"
        else
            fail "$name: words in epub" "pandoc could not read the EPUB: $(first_lines "$d/pandoc-epub.err")" "$epub"
        fi
    fi
}

# ------------------------------------------------------------- pages
#
# For the tests of gfm.sh, structure.sh and listings.sh.

# pdf_layout PDF OUT: pdftotext -layout of the whole PDF into OUT, pages
# separated by form feeds (page N is the Nth record of page_with).
pdf_layout() { pdftotext -q -layout -enc UTF-8 "$1" "$2"; }

# page_with TXT STRING: the first page of TXT (pdf_layout's) that holds
# STRING, or nothing.
page_with() {
    awk -v s="$2" 'BEGIN { RS = "\f" } index($0, s) { print NR; exit }' "$1"
}

# page_with_line TXT LINE: the first page of TXT with a line that is
# exactly LINE, flush left (a heading; not a running head, which is
# centred, nor a contents entry, which has its leaders and number).
page_with_line() {
    awk -v s="$2" 'BEGIN { RS = "\f" }
        { n = split($0, l, "\n")
          for (i = 1; i <= n; i++) { t = l[i]; sub(/[ \t]+$/, "", t)
              if (t == s) { print NR; exit } } }' "$1"
}

# page_text_of TXT N: the text of page N of TXT.
page_text_of() {
    awk -v n="$2" 'BEGIN { RS = "\f" } NR == n { print; exit }' "$1"
}

# verdict NAME BAD [FILE...]: pass NAME when BAD (a list of "; reason")
# is empty, else fail it with BAD and keep the files.
verdict() {
    local name=$1 bad=$2
    shift 2
    if [ -n "$bad" ]; then
        fail "$name" "$(printf '%s' "${bad#; }" | cut -c1-500)" "$@"
    else
        pass "$name"
    fi
}

# known NAME WHY BAD: a rule the engine is known to break (WHY says how):
# pass when BAD is empty, else skip with "KNOWN: WHY", so that the suite
# stays green until it is fixed and the test then passes.
known() {
    if [ -n "$3" ]; then
        skip "$1" "KNOWN: $2 -- $(printf '%s' "${3#; }" | cut -c1-200)"
    else
        pass "$1"
    fi
}

# pagelist_verdict NAME PDF EPUB: tests/pagelist.sh on an edition pair.
pagelist_verdict() {
    local log
    log=$(mktemp "$WORK/pagelist.XXXXXX")
    if bash "$TESTS/pagelist.sh" "$2" "$3" >"$log" 2>&1; then
        pass "$1"
    else
        fail "$1" "$(first_lines "$log" 3)" "$log" "$2" "$3"
    fi
}

