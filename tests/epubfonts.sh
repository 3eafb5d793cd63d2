# shellcheck shell=bash
# The e-book's fonts: subsets of the style's fonts that still draw every
# character of the text in the face it is set in, and e-books of the
# size that buys.
#
# Sourced by tests/run.sh, which then calls test_epubfonts. Uses the
# runner's pass, fail, need, run_folio, epubcheck_ok, epubcheck_summary
# and first_lines (tests/lib.sh), and $WORK and $ROOT. Lines
# "epubfonts: ...". See "The e-book's fonts" in tests/README.md.

# epubfonts_style_fonts STYLE: the style's five font files, in folio's
# order, found as folio finds the shipped styles' (in fonts/).
epubfonts_style_fonts() {
    local key f
    for key in text italic bold bold-italic mono; do
        f=$(sed -n "s/^$key[[:space:]]*=[[:space:]]*//p" "$1" | head -n 1)
        case $f in
        /*) printf '%s\n' "$f" ;;
        *) printf '%s\n' "$ROOT/fonts/$f" ;;
        esac
    done
}

# epubfonts_scripts DIR: one file in many scripts and every face: a
# title and authors beyond Latin-1, entities, emphasis, strong, both, a
# heading, a table's header, code spans and a block, a note, figure
# captions (a title, and mdBook's caption paragraph), CJK and an emoji
# that the fonts lack.
epubfonts_scripts() {
    mkdir -p "$1/images"
    cp "$ROOT/tests/cases/book/images/figure.png" "$1/images/"
    cat >"$1/scripts.md" <<'EOF'
---
title: "Šrift — Ελληνικά"
subtitle: "Ǆ and ŋ"
author: "Zoë Ångström"
rights: "© 2026 Ŧeam"
lang: en
---

# Scripts and faces: Ω and *Ж*

Latin ŋ ɐ ʃ, Vietnamese Tiếng Việt, Greek αβγ, Cyrillic Жизнь, entities
&#x263A; &eacute; and&nbsp;more, CJK 漢字 and an emoji 😀, which the
fonts lack.

*Italic ǂ ő ű and ţ*, **bold Ħ ŧ and Œ**, ***bold italic ǅ ș***, and
`code λ → ≠`. Smart "quotes", 'apostrophes' -- dashes --- and ellipses...

| Head Ŋ *ĳ* | Other |
| --- | --- |
| cell ɐ | `ŉ` |

```
fn main() { println!("héllo → wörld ✓"); }
```

![A picture ʒ](images/figure.png "Caption with ȼ and ⱥ")

![Another picture](images/figure.png)

<span class="caption">A caption paragraph with ƀ and **ɓ**</span>

A note.[^n]

[^n]: The note's ɔ and *ɛ*.
EOF
}

# epubfonts_check NAME EPUB STYLE: every character in its face's subset.
epubfonts_check() {
    local name=$1 epub=$2 style=$3 out
    local -a fonts
    mapfile -t fonts < <(epubfonts_style_fonts "$style")
    out=$(python3 "$ROOT/tests/tools/epubfonts.py" "$epub" "${fonts[@]}" 2>&1)
    if [ $? -eq 0 ]; then
        pass "$name"
    else
        fail "$name" "$(printf '%s\n' "$out" | head -n 3 | tr '\n' ' ' | cut -c1-300)" "$epub"
    fi
}

# epubfonts_epubcheck NAME EPUB
epubfonts_epubcheck() {
    if epubcheck_ok "$2" "$2.epubcheck"; then
        pass "$1"
    else
        fail "$1" "$(epubcheck_summary "$2.epubcheck")" "$2" "$2.epubcheck"
    fi
}

test_epubfonts() {
    local d=$WORK/epubfonts book=$ROOT/styles/book.ini size lm f
    need "epubfonts" python3 epubcheck || return
    rm -rf "$d"
    mkdir -p "$d/scripts" "$d/article"

    # The repository's book: 2.2 MB with its fonts whole.
    run_folio "$d/manuscript" build "$ROOT/manuscript" --pdf "$d/manuscript.pdf" --epub "$d/manuscript.epub"
    if [ "$rc" -ne 0 ]; then
        fail "epubfonts: manuscript: build" "exit $rc: $(first_lines "$d/manuscript.err")" "$d/manuscript.err"
    else
        epubfonts_check "epubfonts: manuscript: every character in its face's subset" "$d/manuscript.epub" "$book"
        size=$(wc -c <"$d/manuscript.epub")
        if [ "$size" -le 716800 ]; then
            pass "epubfonts: manuscript: the e-book within 700 KB"
        else
            fail "epubfonts: manuscript: the e-book within 700 KB" "$size bytes" "$d/manuscript.epub"
        fi
    fi

    # A 2,000-word article, three chapters without figures: 1.8 MB whole.
    {
        printf -- '---\ntitle: "Policy, Security and Politics"\nauthor: "The folio Project"\n---\n\n'
        cat "$ROOT"/manuscript/0[345]-*.md | sed 's/\](\([0-9][0-9]-[a-z-]*\.md\)\{0,1\}#[^)]*)/]/g'
    } >"$d/article/article.md"
    run_folio "$d/article" build "$d/article/article.md" --epub "$d/article.epub"
    if [ "$rc" -ne 0 ]; then
        fail "epubfonts: article: build" "exit $rc: $(first_lines "$d/article.err")" "$d/article.err"
    else
        size=$(wc -c <"$d/article.epub")
        if [ "$size" -le 307200 ]; then
            pass "epubfonts: a 2,000-word article: the e-book within 300 KB"
        else
            fail "epubfonts: a 2,000-word article: the e-book within 300 KB" "$size bytes" "$d/article.epub"
        fi
    fi

    # Many scripts, every face; built with its PDF (three threads), twice.
    epubfonts_scripts "$d/scripts"
    run_folio "$d/scripts1" build "$d/scripts/scripts.md" --pdf "$d/scripts1.pdf" --epub "$d/scripts1.epub"
    if [ "$rc" -ne 0 ]; then
        fail "epubfonts: many scripts: build" "exit $rc: $(first_lines "$d/scripts1.err")" "$d/scripts1.err"
        return
    fi
    epubfonts_check "epubfonts: many scripts: every character in its face's subset" "$d/scripts1.epub" "$book"
    epubfonts_epubcheck "epubfonts: many scripts: epubcheck" "$d/scripts1.epub"
    SOURCE_DATE_EPOCH=$SDE run_folio "$d/scripts2" build "$d/scripts/scripts.md" --pdf "$d/scripts2.pdf" --epub "$d/scripts2.epub"
    SOURCE_DATE_EPOCH=$SDE run_folio "$d/scripts3" build "$d/scripts/scripts.md" --pdf "$d/scripts3.pdf" --epub "$d/scripts3.epub"
    if [ -f "$d/scripts2.epub" ] && cmp -s "$d/scripts2.epub" "$d/scripts3.epub"; then
        pass "epubfonts: many scripts: the same bytes twice"
    else
        fail "epubfonts: many scripts: the same bytes twice" "the e-books differ" "$d/scripts2.epub" "$d/scripts3.epub"
    fi

    # A changes page: a removed section's title is set nowhere else.
    mkdir -p "$d/since"
    printf 'title: "Edïtions"\nedition: "1"\n' >"$d/since/metadata.yaml"
    printf '# Ōne\n\n## Ǻlpha ŧ\n\nSome words here.\n\n## Ɍemoved ȹ\n\nGone soon.\n' >"$d/since/01-one.md"
    run_folio "$d/old" build "$d/since" --epub "$d/old.epub"
    printf '# Ōne\n\n## Ǻlpha ŧ\n\nSome words here.\n\n## Ɠamma ǂ\n\nA new section.\n' >"$d/since/01-one.md"
    sed 's/^\[page\]$/[page]\nchanges = yes/' "$book" >"$d/changes.ini"
    run_folio "$d/new" build "$d/since" -s "$d/changes.ini" --since "$d/old.epub" --epub "$d/new.epub"
    if [ "$rc" -ne 0 ] || ! unzip -p "$d/new.epub" EPUB/changes.xhtml 2>/dev/null | grep -q 'Ɍemoved ȹ'; then
        fail "epubfonts: a changes page: build" "exit $rc, or no changes page naming the removed section: $(first_lines "$d/new.err")" "$d/new.err"
    else
        epubfonts_check "epubfonts: a changes page: every character in its face's subset" "$d/new.epub" "$book"
    fi

    # A style with CFF fonts (Latin Modern, when TeX Live is installed):
    # .otf files, font/otf, cut down like the others.
    lm=/usr/share/texmf/fonts/opentype/public/lm
    if [ ! -f "$lm/lmroman10-regular.otf" ] || [ ! -f "$lm/lmroman10-italic.otf" ]; then
        skip "epubfonts: CFF fonts" "no Latin Modern in $lm"
        return
    fi
    sed -e "s|^text = .*|text = $lm/lmroman10-regular.otf|" \
        -e "s|^italic = .*|italic = $lm/lmroman10-italic.otf|" "$book" >"$d/lm.ini"
    run_folio "$d/lm" build "$d/scripts/scripts.md" -s "$d/lm.ini" --epub "$d/lm.epub"
    if [ "$rc" -ne 0 ]; then
        fail "epubfonts: CFF fonts: build" "exit $rc: $(first_lines "$d/lm.err")" "$d/lm.err"
        return
    fi
    f=$(unzip -Z1 "$d/lm.epub" 2>/dev/null | grep '^EPUB/fonts/' | tr '\n' ' ')
    if [ "$f" = "EPUB/fonts/text.otf EPUB/fonts/italic.otf EPUB/fonts/bold.ttf EPUB/fonts/bold-italic.ttf EPUB/fonts/mono.otf " ]; then
        pass "epubfonts: CFF fonts: named .otf"
    else
        fail "epubfonts: CFF fonts: named .otf" "fonts: $f" "$d/lm.epub"
    fi
    epubfonts_check "epubfonts: CFF fonts: every character in its face's subset" "$d/lm.epub" "$d/lm.ini"
    epubfonts_epubcheck "epubfonts: CFF fonts: epubcheck" "$d/lm.epub"
}
