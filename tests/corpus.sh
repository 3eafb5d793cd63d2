#!/usr/bin/env bash
# Every example of the CommonMark spec must build to a valid PDF and a
# valid EPUB. The spec is not part of the project: it is read from
# ${SHARED:-../shared}/corpus/commonmark-spec.txt when that file exists, and
# the test is counted as skipped when it does not.
#
# The examples are grouped by the spec's "## " section: one manuscript folder
# per section (metadata.yaml + one chapter per example, 0001-example.md, ...),
# one test per section: exit 0, qpdf --check clean, EPUBCheck 0 errors and
# 0 warnings.
#
# Called by tests/run.sh; can also run alone from the repository root:
#     bash tests/corpus.sh

set -u

ORIG_PWD=$PWD
TESTS=${TESTS:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
ROOT=$(dirname "$TESTS")
cd "$ROOT" || exit 1

STANDALONE=0
if [ -z "${FOLIO_RESULTS:-}" ]; then
    STANDALONE=1
    FOLIO=${FOLIO:-$ROOT/folio}
    case $FOLIO in
    /*) ;;
    */*) FOLIO=$ORIG_PWD/$FOLIO ;;
    *) FOLIO=$(command -v "$FOLIO" 2>/dev/null || printf '%s' "$ORIG_PWD/$FOLIO") ;;
    esac
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/folio-corpus.XXXXXX") || exit 1
    trap 'rm -rf "$WORK"' EXIT
    trap 'exit 130' INT TERM
    KEEP=${FOLIO_KEEP:-$TESTS/failures}
    FOLIO_RESULTS=$WORK/results
    : >"$FOLIO_RESULTS"
fi

# shellcheck source=tests/lib.sh
. "$TESTS/lib.sh"

SHARED=${SHARED:-../shared}
SPEC=$SHARED/corpus/commonmark-spec.txt

summary() {
    if [ "$STANDALONE" -eq 1 ]; then
        echo "$(grep -cx ok "$FOLIO_RESULTS") passed, $(grep -cx FAIL "$FOLIO_RESULTS") failed, $(grep -cx skip "$FOLIO_RESULTS") skipped"
        ! grep -qx FAIL "$FOLIO_RESULTS"
    fi
}

# (one function, called on the last line: see run.sh)
main() {
    local C d sec name o msg found
    if [ ! -f "$SPEC" ]; then
        skip corpus "$SPEC missing"
        summary
        return
    fi

    C=$WORK/corpus
    mkdir -p "$C/src" "$C/out"

    # Extract the examples. A section folder is named NN-slug; its metadata.yaml
    # holds the section's title, quoted for YAML; "→" in an example is a tab.
    awk -v out="$C/src" '
    function q(s) { gsub(/\047/, "\047\\\047\047", s); return "\047" s "\047" }
    function yaml_quote(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
    BEGIN { fence = "````````````````````````````````"; state = 0; n = 0; nsec = 0; sec = "" }
    state == 0 && $0 == fence " example" {
        state = 1
        n++
        md = ""
        if (sec != cursec || dir == "") {
            cursec = sec
            nsec++
            slug = tolower(sec)
            gsub(/[^a-z0-9]+/, "-", slug)
            gsub(/^-+|-+$/, "", slug)
            dir = out "/" sprintf("%02d", nsec) "-" slug
            system("mkdir -p " q(dir))
            printf "title: %s\nlang: en\n", yaml_quote("CommonMark " sec) > (dir "/metadata.yaml")
            close(dir "/metadata.yaml")
            print sec > (dir "/.section")
            close(dir "/.section")
        }
        next
    }
    state == 0 && /^## / { sec = substr($0, 4); sub(/[ \t]+$/, "", sec); next }
    state == 0 { next }
    state == 1 && $0 == "." {
        state = 2
        f = dir "/" sprintf("%04d", n) "-example.md"
        printf "%s", md > f
        close(f)
        next
    }
    state == 1 { line = $0; gsub(/→/, "\t", line); md = md line "\n"; next }
    state == 2 && $0 == fence { state = 0; next }
    ' "$SPEC"

    # culprits DIR OUT CHECK: the examples of section DIR that fail CHECK
    # (build or qpdf) when built alone, as "0042 0043 ...".
    culprits() {
        local dir=$1 o=$2/alone check=$3 f n list=""
        mkdir -p "$o"
        for f in "$dir"/*.md; do
            n=${f##*/}
            n=${n%%-*}
            rm -rf "$o/src"
            mkdir -p "$o/src"
            cp "$dir/metadata.yaml" "$f" "$o/src/"
            run_folio "$o/build" build "$o/src" --pdf "$o/book.pdf" --epub "$o/book.epub"
            if [ "$rc" -ne 0 ]; then
                [ "$check" = build ] && list="$list $n"
            elif [ "$check" = qpdf ] && ! qpdf_ok "$o/book.pdf" "$o/qpdf.log"; then
                list="$list $n"
            fi
        done
        printf '%s' "${list# }" | cut -c1-120
    }

    found=0
    for d in "$C"/src/*/; do
        d=${d%/}
        [ -f "$d/metadata.yaml" ] || continue
        found=1
        sec=$(cat "$d/.section")
        rm -f "$d/.section"
        name="corpus: $sec ($(find "$d" -name '*.md' | wc -l) examples)"
        o=$C/out/${d##*/}
        mkdir -p "$o"
        run_folio "$o/build" build "$d" --pdf "$o/book.pdf" --epub "$o/book.epub"
        if [ "$rc" -ne 0 ]; then
            msg=$(grep -E 'error: ' "$o/build.err" | head -n 2 | tr '\n' ' ' | cut -c1-300)
            [ -n "$msg" ] || msg=$(first_lines "$o/build.err" 2)
            if [ "$rc" -ne 124 ]; then
                msg="$msg; failing alone: example $(FOLIO_TIMEOUT=20 culprits "$d" "$o" build)"
            fi
            fail "$name" "exit $rc: $msg" "$d" "$o/build.err"
        elif [ ! -s "$o/book.pdf" ] || [ ! -s "$o/book.epub" ]; then
            fail "$name" "exit 0 but an output is missing or empty" "$d" "$o/build.err"
        elif ! qpdf_ok "$o/book.pdf" "$o/qpdf.log"; then
            fail "$name" "qpdf --check: $(first_lines "$o/qpdf.log" 2); failing alone: example $(culprits "$d" "$o" qpdf)" "$d" "$o/book.pdf" "$o/qpdf.log"
        elif ! epubcheck_ok "$o/book.epub" "$o/epubcheck.log"; then
            fail "$name" "epubcheck: $(epubcheck_summary "$o/epubcheck.log")" "$d" "$o/book.epub" "$o/epubcheck.log"
        else
            pass "$name"
        fi
    done
    [ "$found" -eq 1 ] || fail corpus "no example found in $SPEC"
    summary
}

main "$@"; exit $?
