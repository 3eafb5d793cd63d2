#!/usr/bin/env bash
# bench.sh: build a long book (about 800 pages) with folio 5 times after a
# warm-up and print the medians (wall, user+sys CPU, peak RSS); then the
# same at a tenth of the length (cost should grow linearly), a short
# article (three chapters in one file), a rebuild after one chapter
# changed, and pandoc (EPUB, and PDF through pdflatex) and Typst on the
# same manuscript when they are installed.
# A benchmark, not a test: it never fails on time.
set -eu
cd "$(dirname "$0")/.."
export LC_NUMERIC=C	# EPOCHREALTIME's decimal point
FOLIO=${FOLIO:-./folio}
N=${BENCH_CHAPTERS:-100}
RUNS=${BENCH_RUNS:-5}
SMALL=$(((N + 9) / 10))
dir=build/bench
rm -rf "$dir"

# The long manuscript: N chapters, each three of the book's chapters in a
# rotating order with their headings numbered, so that no two chapters
# are alike; links between the book's files become plain text.
# make_book DIR N
mapfile -t src < <(ls manuscript/[0-9]*.md)
make_book() {
    local b=$1 n=$2 i k f out
    mkdir -p "$b/images"
    cp manuscript/images/*.png "$b/images/"
    printf 'title: "The Long Book"\nauthor: Bench\nlang: en-US\ndate: 2026-01-01\n' >"$b/metadata.yaml"
    for ((i = 1; i <= n; i++)); do
        out=$(printf '%s/%03d-part.md' "$b" "$i")
        {
            printf '# Part %d\n\n' "$i"
            for k in 0 1 2; do
                f=${src[$(((i * 7 + k * 5) % ${#src[@]}))]}
                sed -e "s/^#\\( .*\\)/##\\1, part $i.$k/" -e 's/^##\(#*\) /###\1 /' \
                    -e 's/\](\([0-9][0-9]-[a-z-]*\.md\)\{0,1\}#[^)]*)/]/g' "$f"
                printf '\n'
            done
        } >"$out"
    done
}
make_book "$dir/book" "$N"
make_book "$dir/small" "$SMALL"
words=$(cat "$dir"/book/*.md | wc -w)

# median of stdin
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# run LABEL CMD...: warm-up, then RUNS timed runs; prints the medians
run() {
    local label=$1 i
    shift
    "$@" >/dev/null 2>&1 || { echo "$label: failed"; return 1; }
    : >"$dir/times"
    for ((i = 0; i < RUNS; i++)); do
        /usr/bin/time -f '%e %U %S %M' -o "$dir/t" "$@" >/dev/null 2>&1
        cat "$dir/t" >>"$dir/times"
    done
    wall=$(awk '{ print $1 }' "$dir/times" | median)
    cpu=$(awk '{ print $2 + $3 }' "$dir/times" | median)
    rss=$(awk '{ print $4 }' "$dir/times" | median)
    printf '%-34s wall %6.3f s   cpu %6.3f s   peak RSS %5d MB\n' "$label" "$wall" "$cpu" $((rss / 1024))
}

# pages of a PDF: pdfinfo, else folio's own report
pages_of() {
    if command -v pdfinfo >/dev/null 2>&1; then
        pdfinfo "$1" 2>/dev/null | awk '/^Pages:/ { print $2 }'
    else
        "$FOLIO" build "$2" --pdf "$1" 2>&1 | sed -n 's/.*: \([0-9]*\) pages,.*/\1/p'
    fi
}

echo "folio bench: $N chapters, $words words, $RUNS runs after a warm-up (medians)"
run "folio (PDF + EPUB)" "$FOLIO" build "$dir/book" --pdf "$dir/book.pdf" --epub "$dir/book.epub"
fwall=$wall
frss=$rss
pages=$(pages_of "$dir/book.pdf" "$dir/book")
awk -v p="$pages" -v w="$fwall" 'BEGIN { printf "  %d pages, %.0f pages per second\n", p, p / w }'
run "folio (PDF only)" "$FOLIO" build "$dir/book" --pdf "$dir/only.pdf"
run "folio (EPUB only)" "$FOLIO" build "$dir/book" --epub "$dir/only.epub"

# Linear growth: the same book at a tenth of the length.
run "folio, $SMALL chapters (PDF + EPUB)" "$FOLIO" build "$dir/small" --pdf "$dir/small.pdf" --epub "$dir/small.epub"
spages=$(pages_of "$dir/small.pdf" "$dir/small")
awk -v a="$wall" -v b="$fwall" -v sp="$spages" -v p="$pages" -v sr="$rss" -v r="$frss" -v n="$N" -v s="$SMALL" \
    'BEGIN { printf "  growth: %d -> %d chapters (%d -> %d pages): time x%.1f, peak RSS x%.1f\n", s, n, sp, p, b / a, r / sr }'

# A short article: chapters 3 to 5 of the book in one file.  Its fixed
# costs (starting, reading the fonts) are most of its time, which
# /usr/bin/time's hundredths cannot tell apart: it is timed to the
# microsecond (bash's EPOCHREALTIME), 21 runs after a warm-up.
art=$dir/article.md
{
    printf -- '---\ntitle: US Policy Toward Mexico\nlang: en-US\n---\n\n'
    for f in manuscript/03-*.md manuscript/04-*.md manuscript/05-*.md; do
        cat "$f"
        printf '\n'
    done
} >"$art"
if "$FOLIO" build "$art" --pdf "$dir/article.pdf" --epub "$dir/article.epub" >/dev/null 2>&1; then
    for ((i = 0; i < 21; i++)); do
        t0=$EPOCHREALTIME
        "$FOLIO" build "$art" --pdf "$dir/article.pdf" --epub "$dir/article.epub" >/dev/null 2>&1
        echo "$t0 $EPOCHREALTIME"
    done | awk '{ print ($2 - $1) * 1000 }' | median |
        awk -v w="$(wc -w <"$art")" '{ printf "%-34s wall %6.1f ms (median of 21)\n", "folio, a " w "-word article", $1 }'
else
    echo "folio, article: failed"
fi

# One chapter edited: folio sets the whole book again.
mid=$(printf '%s/book/%03d-part.md' "$dir" $(((N + 1) / 2)))
printf '\nOne more sentence, added for the rebuild.\n' >>"$mid"
run "folio, one chapter edited" "$FOLIO" build "$dir/book" --pdf "$dir/book.pdf" --epub "$dir/book.epub"

cat "$dir"/book/*.md | sed '/^---$/d' >"$dir/all.md"
if command -v pandoc >/dev/null 2>&1; then
    run "pandoc (EPUB)" pandoc -f commonmark "$dir/all.md" --resource-path="$dir/book" -o "$dir/pandoc.epub" &&
        awk -v a="$wall" -v b="$fwall" 'BEGIN { printf "  folio PDF+EPUB is %.1fx faster than pandoc EPUB alone\n", a / b }'
    if command -v pdflatex >/dev/null 2>&1; then
        run "pandoc + pdflatex (PDF)" pandoc -f commonmark "$dir/all.md" --resource-path="$dir/book" --pdf-engine=pdflatex -o "$dir/pandoc.pdf" &&
            awk -v a="$wall" -v b="$fwall" 'BEGIN { printf "  folio PDF+EPUB is %.1fx faster than pandoc+pdflatex PDF alone\n", a / b }'
    else
        echo "pdflatex: not installed, skipped"
    fi
fi
# Typst, through its Node.js compiler (the peer the goal was set against),
# on the same text made Typst markup by tools/md2typst.pl with the book
# style's page and type. BENCH_TYPST=1 installs the compiler from npm
# into $TYPST_DIR first.
TYPST_DIR=${TYPST_DIR:-$PWD/build/typst}
export TYPST_DIR
typst_pkg=$TYPST_DIR/node_modules/@myriaddreamin/typst-ts-node-compiler
if [ "${BENCH_TYPST:-0}" = 1 ] && [ ! -d "$typst_pkg" ] && command -v npm >/dev/null 2>&1; then
    npm install --silent --prefix "$TYPST_DIR" @myriaddreamin/typst-ts-node-compiler@0.7.0 >/dev/null 2>&1 ||
        echo "typst: npm could not install the compiler"
fi
if [ -d "$typst_pkg" ] && command -v node >/dev/null 2>&1; then
    perl tools/md2typst.pl "$dir/all.md" >"$dir/book/all.typ"
    run "typst 0.7 node compiler (PDF)" node tools/typst.js "$dir/book" all.typ "$dir/typst.pdf" &&
        awk -v a="$wall" -v b="$fwall" -v p="$(pages_of "$dir/typst.pdf" "$dir/book")" \
            'BEGIN { printf "  %d pages; folio PDF+EPUB is %.1fx faster than Typst PDF alone\n", p, a / b }'
else
    echo "typst: not installed, skipped (BENCH_TYPST=1 installs its Node.js compiler from npm)"
fi
