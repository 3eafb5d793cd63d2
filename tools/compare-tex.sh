#!/usr/bin/env bash
# compare-tex.sh SOURCE [STYLE]: set one text with folio and with pandoc +
# pdflatex on the same page, and print tools/pdfstats.py's measurements of
# both side by side as a Markdown table.
#
# SOURCE is a folio manuscript folder, a single .md file, or an mdBook
# project (a folder with book.toml: its chapters in src/SUMMARY.md order).
# STYLE is a folio style (default styles/book.ini): TeX gets its page
# size, margins, body size and leading, paragraph indent and space,
# alignment, one- or two-sided layout and contents page; the text face is
# Bitstream Charter (psnfss), the design Charis SIL extends, so that both
# set nearly the same glyph widths. Headings keep LaTeX's own sizes.
#
# Three columns: folio; pandoc's default LaTeX (book class, microtype's
# font expansion and protrusion, \emergencystretch 3em); and the same
# without microtype and with folio's word space (stretch 1/2 and shrink
# 1/3 of its width, where Charter's are 0.6 and 0.24), so that spaces
# alone justify the line under the same limits, and what differs is the
# breaking. Both TeX columns use \frenchspacing: folio sets one space
# width after a sentence too.
#
# Environment: FOLIO (the binary, default ./folio of this repository),
# COMPARE_TEX_KEEP=DIR keeps the PDFs, the pdfstats JSON and the TeX
# sources in DIR.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
FOLIO=${FOLIO:-$root/folio}
usage() { echo "usage: $0 SOURCE [STYLE]" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
src=${1%/}
style=${2:-$root/styles/book.ini}
[ -e "$src" ] || { echo "compare-tex: $src: no such file or folder" >&2; exit 2; }
[ -f "$style" ] || { echo "compare-tex: $style: no such style" >&2; exit 2; }
abs() { (cd "$(dirname "$1")" && printf '%s/%s\n' "$(pwd)" "$(basename "$1")"); }
src=$(abs "$src")
style=$(abs "$style")

# Every outside tool, and the Debian package it comes from.
missing=0
need() { # need COMMAND PACKAGE
    command -v "$1" >/dev/null 2>&1 && return 0
    echo "compare-tex: $1 is missing: install the Debian package $2 (apt-get install -y $2)" >&2
    missing=1
}
need python3 python3
need pandoc pandoc
need pdftotext poppler-utils
need pdfimages poppler-utils
need pdftoppm poppler-utils
need pdflatex texlive-latex-base
need kpsewhich texlive-base
[ "$missing" = 0 ] || exit 2
for f in geometry.sty:texlive-latex-base babel.sty:texlive-latex-base \
    microtype.sty:texlive-latex-recommended lmodern.sty:lmodern \
    bchr8t.tfm:texlive-fonts-recommended; do
    if [ -z "$(kpsewhich "${f%%:*}")" ]; then
        echo "compare-tex: LaTeX file ${f%%:*} is missing: install the Debian package ${f#*:} (apt-get install -y ${f#*:})" >&2
        missing=1
    fi
done
[ "$missing" = 0 ] || exit 2

work=$(mktemp -d "${TMPDIR:-/tmp}/compare-tex.XXXXXX") || exit 2
trap 'rm -rf "$work"' EXIT
keep=${COMPARE_TEX_KEEP:-}

# ini SECTION KEY DEFAULT: a value of the style
ini() {
    awk -v s="[$1]" -v k="$2" -v d="$3" '
        { sub(/[;#].*/, ""); gsub(/^[ \t]+|[ \t]+$/, "") }
        /^\[/ { in_s = ($0 == s); next }
        in_s && index($0, "=") {
            key = substr($0, 1, index($0, "=") - 1); gsub(/[ \t]+$/, "", key)
            if (key == k) { v = substr($0, index($0, "=") + 1); gsub(/^[ \t]+/, "", v); found = v }
        }
        END { print (found != "" ? found : d) }' "$style"
}
# folio's points are PostScript points, TeX's are not: 1 bp = 1/72 in
texlen() { printf '%s\n' "$1" | sed 's/pt$/bp/'; }
width=$(texlen "$(ini page width 6in)")
height=$(texlen "$(ini page height 9in)")
mtop=$(texlen "$(ini page margin-top 0.75in)")
mbottom=$(texlen "$(ini page margin-bottom 0.85in)")
minner=$(texlen "$(ini page margin-inner 0.85in)")
mouter=$(texlen "$(ini page margin-outer 0.65in)")
two=$(ini page two-sided yes)
rhead=$(ini page running-head alternate)
contents=$(ini page contents yes)
size=$(texlen "$(ini text size 10.5pt)")
leading=$(texlen "$(ini text leading 14pt)")
indent=$(texlen "$(ini text indent 14pt)")
pspace=$(texlen "$(ini text paragraph-space 0pt)")
align=$(ini text align justify)

# The Markdown for pandoc, in folio's order, and its metadata.
inputs=()
meta=()
respath=
if [ -f "$src" ]; then
    inputs=("$src")
    respath=$(dirname "$src")
elif [ -f "$src/book.toml" ]; then
    book=$src/src
    [ -f "$book/SUMMARY.md" ] || { echo "compare-tex: $book/SUMMARY.md not found" >&2; exit 2; }
    # [Title](path.md) links in order, each once; drafts have no path
    while IFS= read -r f; do
        [ -f "$book/$f" ] && inputs+=("$book/$f")
    done < <(grep -o '\]([^)]*\.md)' "$book/SUMMARY.md" | sed 's/^](//; s/)$//' | awk '!seen[$0]++')
    title=$(sed -n 's/^title *= *"\(.*\)".*/\1/p' "$src/book.toml" | head -1)
    author=$(sed -n 's/^authors *= *\[ *"\([^"]*\)".*/\1/p' "$src/book.toml" | head -1)
    {
        [ -n "$title" ] && printf 'title: "%s"\n' "$title"
        [ -n "$author" ] && printf 'author: "%s"\n' "$author"
        printf 'lang: en-US\n'
    } >"$work/meta.yaml"
    meta=(--metadata-file="$work/meta.yaml")
    respath=$book$(for f in "${inputs[@]}"; do printf ':%s' "$(dirname "$f")"; done | tr ':' '\n' | sort -u | tr '\n' ':')
else
    [ -f "$src/metadata.yaml" ] && meta=(--metadata-file="$src/metadata.yaml")
    # the metadata's chapters list, else every .md by name (as folio)
    chapters=
    if [ -f "$src/metadata.yaml" ]; then
        chapters=$(pandoc -f markdown -t json "${meta[@]}" </dev/null | python3 -c '
import json, sys
def text(v):
    if v.get("t") in ("MetaString",):
        return v["c"]
    if v.get("t") in ("MetaInlines", "MetaBlocks"):
        out = []
        def walk(x):
            if isinstance(x, dict):
                if x.get("t") == "Str": out.append(x["c"])
                elif x.get("t") == "Space": out.append(" ")
                else: walk(x.get("c"))
            elif isinstance(x, list):
                for y in x: walk(y)
        walk(v["c"])
        return "".join(out)
    return ""
m = json.load(sys.stdin).get("meta", {}).get("chapters")
if m and m.get("t") == "MetaList":
    for v in m["c"]: print(text(v))
')
    fi
    if [ -n "$chapters" ]; then
        while IFS= read -r f; do inputs+=("$src/$f"); done <<<"$chapters"
    else
        while IFS= read -r f; do inputs+=("$f"); done < <(LC_ALL=C ls "$src"/*.md 2>/dev/null)
    fi
    respath=$src
fi
[ ${#inputs[@]} -gt 0 ] || { echo "compare-tex: $src: no Markdown chapters" >&2; exit 2; }
lang=$(pandoc -f commonmark+yaml_metadata_block -t json "${meta[@]}" "${inputs[0]}" 2>/dev/null |
    python3 -c 'import json,sys
m = json.load(sys.stdin).get("meta", {}).get("lang", {})
c = m.get("c")
print(c if isinstance(c, str) else "".join(x.get("c", "") for x in c if x.get("t") == "Str") if c else "en-US")' 2>/dev/null)
[ -n "$lang" ] || lang=en-US

# The headings, for pdfstats.
pandoc -f commonmark -t plain --wrap=none --lua-filter "$root/tools/headings.lua" \
    "${inputs[@]}" >"$work/headings.txt" 2>/dev/null

# folio
folio_ok=0
if [ ! -x "$FOLIO" ]; then
    echo "compare-tex: $FOLIO is not built (make folio): the TeX columns alone" >&2
elif "$FOLIO" build "$src" -s "$style" --pdf "$work/folio.pdf" >"$work/folio.log" 2>&1; then
    folio_ok=1
else
    echo "compare-tex: folio failed on $src:" >&2
    sed 's/^/  /' "$work/folio.log" >&2
    echo "(the TeX columns alone)" >&2
fi

# pandoc + pdflatex: the style's page and type
{
    printf '%s\n' '\makeatletter' \
        "\\renewcommand\\normalsize{\\@setfontsize\\normalsize{$size}{$leading}}" \
        '% a character no font has: a ? rather than a fatal error' \
        '\def\UTFviii@undefined@err#1{?}' \
        '\makeatother' \
        '\normalsize' \
        '\renewcommand{\rmdefault}{bch}' \
        "\\setlength{\\parindent}{$indent}" \
        "\\setlength{\\parskip}{$pspace}" \
        '\frenchspacing'
    [ "$align" = left ] && printf '%s\n' '\AtBeginDocument{\raggedright}'
    [ "$rhead" = none ] && printf '%s\n' '\pagestyle{plain}'
} >"$work/head.tex"
# pictures pdflatex cannot include (SVG, GIF, ...) become their alt text,
# as in folio
cat >"$work/images.lua" <<'LUA'
function Image(el)
  local ext = el.src:lower():match("%.(%w+)$") or ""
  if ext == "png" or ext == "jpg" or ext == "jpeg" or ext == "pdf" then
    return nil
  end
  return el.caption
end
LUA
texargs=(-f commonmark+yaml_metadata_block --lua-filter "$work/images.lua" "${meta[@]}" -s --no-highlight
    --top-level-division=chapter -V documentclass=book -V indent=true
    -V lang="$lang" -V "geometry:paperwidth=$width,paperheight=$height,top=$mtop,bottom=$mbottom,inner=$minner,outer=$mouter"
    -H "$work/head.tex" --resource-path="$respath" --pdf-engine=pdflatex)
[ "$two" = yes ] || texargs+=(-V classoption=oneside -V classoption=openany)
[ "$contents" = yes ] && texargs+=(--toc)
tex_ok=0 plain_ok=0
tex() { # tex NAME EXTRA...: NAME.pdf (and NAME.tex when kept), NAME.log
    local name=$1
    shift
    [ -n "$keep" ] && pandoc "${texargs[@]}" "$@" -o "$work/$name.tex" "${inputs[@]}" 2>/dev/null
    pandoc --verbose "${texargs[@]}" "$@" -o "$work/$name.pdf" "${inputs[@]}" >"$work/$name.log" 2>&1 || return 1
    # the pages TeX stretched past their glue to reach the text block's
    # foot (\flushbottom): its last run's underfull \vbox warnings
    awk '/^\[makePDF\] Run #/ { n = 0; s = "" }
        /^Underfull \\vbox .* while \\output is active/ {
            match($0, /\[[^]]*\]/); n++; s = s (s ? " " : "") substr($0, RSTART + 1, RLENGTH - 2) }
        END { print n; sub(/ +$/, "", s); print s }' "$work/$name.log" >"$work/$name.vbox"
}
if tex tex; then tex_ok=1; else
    echo "compare-tex: pandoc + pdflatex failed:" >&2
    tail -20 "$work/tex.log" | sed 's/^/  /' >&2
fi
# folio's word space: stretch 1/2 and shrink 1/3 of its width, in every
# font as it is selected
printf '%s\n' '\AddToHook{selectfont}{\fontdimen3\font=0.5\fontdimen2\font' \
    '  \fontdimen4\font=0.3333\fontdimen2\font\relax}' >"$work/glue.tex"
if tex plain -V microtypeoptions=protrusion=false -V microtypeoptions=expansion=false -H "$work/glue.tex"; then
    plain_ok=1
else
    echo "compare-tex: pandoc + pdflatex without microtype failed:" >&2
    tail -20 "$work/plain.log" | sed 's/^/  /' >&2
fi

cols=()
for c in folio tex plain; do
    eval "ok=\$${c}_ok"
    [ "$ok" = 1 ] || continue
    python3 "$root/tools/pdfstats.py" --json --headings "$work/headings.txt" \
        "$work/$c.pdf" >"$work/$c.json" || { echo "compare-tex: pdfstats failed on $c.pdf" >&2; continue; }
    cols+=("$c")
done
[ "$folio_ok" = 1 ] && printf '\n\n' >"$work/folio.vbox"
[ ${#cols[@]} -gt 0 ] || exit 1

echo "$src, style $(basename "$style"): ${width} x ${height}, margins $mtop/$mbottom, inner $minner, outer $mouter; $size on $leading; $align; lang $lang"
echo
python3 - "$work" "${cols[@]}" <<'EOF'
import json, os, sys
work, cols = sys.argv[1], sys.argv[2:]
names = {"folio": "folio", "tex": "pandoc + pdflatex",
         "plain": "pdflatex, no microtype, folio's glue"}
r = {c: json.load(open(os.path.join(work, c + ".json"))) for c in cols}
vbox = {}
for c in cols:
    try:
        with open(os.path.join(work, c + ".vbox")) as fh:
            n, labels = (fh.read().split("\n") + ["", ""])[:2]
        vbox[c] = (int(n), labels) if n.strip() else None
    except (OSError, ValueError):
        vbox[c] = None

def f(v, fmt="%.2f"):
    return "–" if v is None else fmt % v

rows = [
    ("word space p50 / p95 / max (× natural)", lambda x: "%s / %s / %s" % (
        f(x["word_space"]["p50"]), f(x["word_space"]["p95"]),
        f(x["word_space"]["max"]))),
    ("natural space (pt)", lambda x: f(x["natural_space"])),
    ("justified lines", lambda x: str(x["word_space"]["lines"])),
    ("loose lines (> 1.5 × natural)", lambda x: "%.1f %% (%d)" % (
        x["loose_pct"], x["loose_lines"])),
    ("tight lines (< 0.67 × natural)", lambda x: "%.1f %% (%d)" % (
        x["tight_pct"], x["tight_lines"])),
    ("hyphenated lines", lambda x: "%.1f %% (%d of %d)" % (
        x["hyphenated_pct"], x["hyphenated_lines"], x["body_lines"])),
    ("longest hyphen run", lambda x: str(x["hyphen_max_run"])),
    ("hyphen runs > 2", lambda x: str(x["hyphen_runs_over_2"])),
    ("hyphen on a paragraph's last full line",
     lambda x: str(x["hyphen_last_full_line"])),
    ("hyphen over a page break", lambda x: str(len(x["hyphen_page_breaks"]))),
    ("stranded headings", lambda x: str(len(x["stranded_headings"]))),
    ("short pages", lambda x: str(len(x["short_pages"]))),
    ("pages stretched to the foot (TeX: underfull \\vbox)",
     lambda x: "–" if vbox[x["_col"]] is None else str(vbox[x["_col"]][0])),
    ("blank pages", lambda x: str(len(x["blank_pages"]))),
    ("pages", lambda x: str(x["page_count"])),
]
for c in cols:
    r[c]["_col"] = c
print("| measure | " + " | ".join(names[c] for c in cols) + " |")
print("|---|" + "---|" * len(cols))
for label, fn in rows:
    print("| %s | %s |" % (label, " | ".join(fn(r[c]) for c in cols)))
print()
for c in cols:
    x = r[c]
    out = []
    if x["stranded_headings"]:
        out.append("stranded headings on " + ", ".join(
            "%d (%s)" % (h["page"], h["heading"])
            for h in x["stranded_headings"]))
    if x["short"]:
        out.append("short pages " + ", ".join(
            "%d (%.1f lines)" % (s["page"], s["lines"]) for s in x["short"]))
    if vbox[c] and vbox[c][0]:
        out.append("underfull \\vbox on the pages numbered " + vbox[c][1])
    if x["blank_pages"]:
        out.append("blank pages " + ", ".join(map(str, x["blank_pages"])))
    if x["hyphen_page_breaks"]:
        out.append("hyphen over the break after page " +
                   ", ".join(map(str, x["hyphen_page_breaks"])))
    print("- %s: %s" % (names[c], "; ".join(out) if out else "nothing to list"))
print()
print("Pages are physical (the PDF's first page is 1); the body starts at "
      + ", ".join("page %d (%s)" % (r[c]["body_pages"][0], names[c])
                  for c in cols) + ".")
EOF
if [ -n "$keep" ]; then
    mkdir -p "$keep" && cp "$work"/*.pdf "$work"/*.json "$work"/*.tex "$work"/headings.txt "$keep"/ 2>/dev/null
    echo
    echo "PDFs and measurements kept in $keep"
fi
