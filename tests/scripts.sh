# shellcheck shell=bash
# Text in many scripts, in the PDF (sourced by tests/run.sh, which calls
# test_scripts): tests/cases/scripts/scripts.md holds Greek, Cyrillic,
# Devanagari, Chinese, Japanese, symbols and an emoji, and English words
# with fi, ffi and ffl. pdftotext must read back every character of it,
# none as U+FFFD; no word passes the text block; "fi" is set with the
# font's ligature glyph (its ToUnicode entry maps one glyph to "fi") and
# still reads back as "fi". Uses the runner's pass, fail, $WORK, $FOLIO.

# scripts_chars FILE: the characters of FILE's text, one a line, sorted
# and unique (spaces, Markdown marks and the front matter left out).
scripts_chars() {
    python3 -c '
import sys, unicodedata
t = open(sys.argv[1], encoding="utf-8").read()
if t.startswith("---"):
    t = t.split("---", 2)[2]
seen = set()
for c in unicodedata.normalize("NFC", t):
    if c.isspace() or c in "#-":
        continue
    seen.add(c)
for c in sorted(seen):
    print(c)' "$1"
}

test_scripts() {
    local d=$WORK/scripts src=$TESTS/cases/scripts/scripts.md missing
    mkdir -p "$d"
    if ! "$FOLIO" build "$src" -o "$d/out" >"$d/log" 2>&1; then
        fail "scripts: build" "$(first_lines "$d/log" 3)" "$d/log"
        return
    fi
    pdftotext "$d/out/many-scripts.pdf" "$d/text" 2>/dev/null
    scripts_chars "$src" >"$d/want"
    python3 -c '
import sys, unicodedata
t = unicodedata.normalize("NFC", open(sys.argv[1], encoding="utf-8").read())
print("\n".join(sorted(set(c for c in t if not c.isspace()))))' "$d/text" >"$d/have"
    missing=$(comm -23 "$d/want" "$d/have" | tr '\n' ' ')
    if [ -z "$missing" ] && ! grep -q $'\xef\xbf\xbd' "$d/text"; then
        pass "scripts: every character read back from the PDF, none replaced"
    else
        fail "scripts: every character read back from the PDF, none replaced" \
            "missing: $missing" "$d/text"
    fi
    if grep -q "warning" "$d/log"; then
        fail "scripts: every script drawn by an installed font" "$(first_lines "$d/log" 3)"
    else
        pass "scripts: every script drawn by an installed font"
    fi
    if bash "$TESTS/typography.sh" block "$d/out/many-scripts.pdf" 61.2 46.8 yes >"$d/block" 2>&1; then
        pass "scripts: no word past the text block"
    else
        fail "scripts: no word past the text block" "$(first_lines "$d/block" 3)"
    fi
    # the fi ligature: one glyph whose ToUnicode text is "fi"
    qpdf --qdf --object-streams=disable "$d/out/many-scripts.pdf" "$d/qdf.pdf" 2>/dev/null
    if grep -aq '<00660069>' "$d/qdf.pdf" && grep -q 'office found the' "$d/text" &&
        grep -q 'fine affluent fjords' "$d/text"; then
        pass "scripts: fi set as a ligature, read back as fi"
    else
        fail "scripts: fi set as a ligature, read back as fi" \
            "no glyph maps to 'fi', or the words do not read back" "$d/text"
    fi
}
