# shellcheck shell=bash
# EPUB metadata edge cases: the manuscripts of tests/cases-meta/.
#
# Sourced by tests/run.sh, which then calls test_meta. Uses the runner's
# pass, fail, skip, run_folio, epubcheck_ok, epubcheck_summary, check_words,
# epub_alt_texts and first_lines (tests/lib.sh), and $FOLIO, $WORK, $TESTS
# and $KEEP. Defines only functions: test_meta and meta_* helpers.
# See "Metadata edge cases" in tests/README.md.

# ------------------------------------------------------------- helpers

# meta_need NAME TOOL...: skip NAME (and return 1) if a tool is missing.
meta_need() { need "$@"; }

# meta_report NAME BAD [FILE...]: pass NAME if BAD is empty, else fail it
# with BAD (a list of "; reason") and keep the files.
meta_report() {
    local name=$1 bad=$2
    shift 2
    if [ -n "$bad" ]; then
        fail "$name" "$(printf '%s' "${bad#; }" | cut -c1-600)" "$@"
    else
        pass "$name"
    fi
}

# meta_build NAME SRC [SDE]: builds SRC to $WORK/meta/NAME/out.pdf and
# out.epub with SOURCE_DATE_EPOCH=SDE (unset when empty) and unpacks the
# EPUB; reports "meta: NAME: build". Sets META_DIR, META_PDF, META_EPUB,
# META_X (the unpacked EPUB), META_OPF, META_NAV and META_NCX (paths of
# the package, the navigation document and the NCX, empty when missing).
# Returns 1 if there is nothing to check.
meta_build() {
    local name=$1 src=$2 sde=${3:-} full
    META_DIR=$WORK/meta/$(printf '%s' "$name" | tr -c 'A-Za-z0-9._-' '_')
    rm -rf "$META_DIR"
    mkdir -p "$META_DIR"
    META_PDF=$META_DIR/out.pdf
    META_EPUB=$META_DIR/out.epub
    META_X=$META_DIR/x
    META_OPF="" META_NAV="" META_NCX=""
    (
        if [ -n "$sde" ]; then export SOURCE_DATE_EPOCH=$sde; else unset SOURCE_DATE_EPOCH; fi
        run_folio "$META_DIR/build" build "$src" --pdf "$META_PDF" --epub "$META_EPUB"
        exit "$rc"
    )
    rc=$?
    if [ "$rc" -ne 0 ]; then
        fail "meta: $name: build" "exit $rc: $(first_lines "$META_DIR/build.err")" "$META_DIR/build.err"
        return 1
    fi
    if [ ! -s "$META_PDF" ] || [ ! -s "$META_EPUB" ]; then
        fail "meta: $name: build" "exit 0 but the PDF or the EPUB is missing or empty" "$META_DIR/build.err"
        return 1
    fi
    if ! unzip -q -o "$META_EPUB" -d "$META_X" >"$META_DIR/unzip.log" 2>&1; then
        fail "meta: $name: build" "unzip cannot read the EPUB: $(first_lines "$META_DIR/unzip.log")" "$META_EPUB"
        return 1
    fi
    full=$(perl -0777 -ne 'print $1 if /<rootfile\b[^>]*\bfull-path="([^"]*)"/' "$META_X/META-INF/container.xml" 2>/dev/null)
    if [ -z "$full" ] || [ ! -f "$META_X/$full" ]; then
        fail "meta: $name: build" "no package document named by META-INF/container.xml ('$full')" "$META_EPUB"
        return 1
    fi
    META_OPF=$META_X/$full
    local nav ncx
    nav=$(meta_items "$META_OPF" | awk -F'\t' '$4 ~ /(^| )nav( |$)/ { print $2; exit }')
    ncx=$(meta_items "$META_OPF" | awk -F'\t' '$3 == "application/x-dtbncx+xml" { print $2; exit }')
    [ -n "$nav" ] && [ -f "$(dirname "$META_OPF")/$nav" ] && META_NAV=$(dirname "$META_OPF")/$nav
    [ -n "$ncx" ] && [ -f "$(dirname "$META_OPF")/$ncx" ] && META_NCX=$(dirname "$META_OPF")/$ncx
    pass "meta: $name: build"
    return 0
}

# meta_epubcheck NAME: EPUBCheck on $META_EPUB: 0 fatals, errors, warnings.
meta_epubcheck() {
    local name="meta: $1: epubcheck"
    meta_need "$name" epubcheck || return
    if epubcheck_ok "$META_EPUB" "$META_DIR/epubcheck.log"; then
        pass "$name"
    else
        fail "$name" "$(epubcheck_summary "$META_DIR/epubcheck.log")" "$META_DIR/epubcheck.log" "$META_EPUB"
    fi
}

# meta_pl: perl subs for the helpers below, which read UTF-8 and print XML
# text unescaped (u: the five named entities and numeric character
# references; flat: tags dropped, unescaped, spaces collapsed).
meta_pl() {
    # shellcheck disable=SC2016 # perl code
    printf '%s\n' '
sub u {
    my $s = shift;
    $s =~ s/&#x([0-9a-fA-F]+);/chr(hex($1))/ge;
    $s =~ s/&#([0-9]+);/chr($1)/ge;
    $s =~ s/&lt;/</g; $s =~ s/&gt;/>/g; $s =~ s/&quot;/"/g; $s =~ s/&apos;/\x27/g;
    $s =~ s/&amp;/&/g;
    return $s;
}
sub flat { my $s = shift; $s =~ s/<[^>]*>//g; $s = u($s); $s =~ s/\s+/ /g; $s =~ s/^ | $//g; return $s; }
'
}

# meta_elements FILE QNAME: the text of every QNAME element (dc:title ...).
meta_elements() {
    Q=$2 perl -CSD -0777 -ne "$(meta_pl)"'
        my $q = quotemeta $ENV{Q};
        while (/<$q\b[^>]*>(.*?)<\/$q>/sg) { print u($1), "\n" }' "$1"
}

# meta_props FILE PROPERTY: the text of every <meta property="PROPERTY">.
meta_props() {
    P=$2 perl -CSD -0777 -ne "$(meta_pl)"'
        my $p = quotemeta $ENV{P};
        while (/<meta\b[^>]*\bproperty="$p"[^>]*>(.*?)<\/meta>/sg) { print u($1), "\n" }' "$1"
}

# meta_items OPF: the manifest, one item a line: id, href, media-type,
# properties (tab-separated, hrefs unescaped).
meta_items() {
    perl -CSD -0777 -ne "$(meta_pl)"'
        while (/<item\b([^>]*)>/g) {
            my $a = $1; my %h;
            while ($a =~ /([\w:.-]+)\s*=\s*"([^"]*)"/g) { $h{$1} = u($2) }
            print join("\t", map { $h{$_} // "" } qw(id href media-type properties)), "\n";
        }' "$1"
}

# meta_spine OPF: "toc<TAB>VALUE" (the spine's toc attribute), then one line
# a spine entry: "itemref<TAB>IDREF<TAB>LINEAR".
meta_spine() {
    perl -CSD -0777 -ne '
        if (/<spine\b([^>]*)>(.*?)<\/spine>/s) {
            my ($a, $body) = ($1, $2);
            my $toc = $a =~ /\btoc="([^"]*)"/ ? $1 : "";
            print "toc\t$toc\n";
            while ($body =~ /<itemref\b([^>]*)>/g) {
                my $r = $1;
                my $idref = $r =~ /\bidref="([^"]*)"/ ? $1 : "";
                my $linear = $r =~ /\blinear="([^"]*)"/ ? $1 : "";
                print "itemref\t$idref\t$linear\n";
            }
        }' "$1"
}

# meta_nav_entries NAV TYPE: the links of the <nav epub:type="TYPE"> in
# order: "LABEL<TAB>HREF" (the label as text: tags dropped, unescaped,
# spaces collapsed). For landmarks, the label is the link's epub:type.
meta_nav_entries() {
    T=$2 perl -CSD -0777 -ne "$(meta_pl)"'
        my $t = quotemeta $ENV{T};
        while (/<nav\b([^>]*)>(.*?)<\/nav>/sg) {
            my ($a, $body) = ($1, $2);
            next unless $a =~ /\bepub:type="(?:[^"]*\s)?$t(?:\s[^"]*)?"/;
            while ($body =~ /<a\b([^>]*)>(.*?)<\/a>/sg) {
                my ($la, $label) = ($1, $2);
                my $href = $la =~ /\bhref="([^"]*)"/ ? u($1) : "";
                if ($ENV{T} eq "landmarks") { $label = $la =~ /\bepub:type="([^"]*)"/ ? $1 : "" }
                print flat($label), "\t", $href, "\n";
            }
        }' "$1"
}

# meta_ncx_entries NCX: the navPoints of the navMap in document order:
# "LABEL<TAB>SRC".
meta_ncx_entries() {
    perl -CSD -0777 -ne "$(meta_pl)"'
        if (/<navMap\b[^>]*>(.*)<\/navMap>/s) {
            my $m = $1;
            while ($m =~ /<navPoint\b[^>]*>\s*<navLabel\b[^>]*>\s*<text>(.*?)<\/text>\s*<\/navLabel>\s*<content\b[^>]*\bsrc="([^"]*)"/sg) {
                print flat($1), "\t", u($2), "\n";
            }
        }' "$1"
}

# meta_markup_problems FILE...: prints, for each file, what is not markup
# nor escaped text: a "<" that opens no tag, comment, declaration or
# processing instruction; an "&" that starts no reference; a <script> or a
# <b> element (the cases only have such text escaped).
meta_markup_problems() {
    perl -CSD -0777 -ne '
        my $f = $ARGV; $f =~ s{.*/}{};
        my $s = $_;
        print "$f: a <script element\n" if $s =~ /<script\b/i;
        print "$f: a <b> element\n" if $s =~ /<b\b[^>]*>/;
        $s =~ s/<!--.*?-->//sg;
        $s =~ s/<\?.*?\?>//sg;
        $s =~ s/<!DOCTYPE[^>]*>//sg;
        $s =~ s{</?[A-Za-z_][\w:.-]*(?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|\x27[^\x27<]*\x27))*\s*/?>}{}g;
        while ($s =~ /(.{0,30})<(.{0,30})/sg) { my $c = "$1<$2"; $c =~ s/\s+/ /g; print "$f: unescaped < in \"$c\"\n" }
        while ($s =~ /(.{0,20})&(?!(?:#[0-9]+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);)(.{0,20})/sg) {
            my $c = "$1&$2"; $c =~ s/\s+/ /g; print "$f: unescaped & in \"$c\"\n";
        }' "$@"
}

# meta_pdf_field PDF FIELD: the value of FIELD in pdfinfo (UTF-8).
meta_pdf_field() {
    pdfinfo -enc UTF-8 "$1" 2>/dev/null | sed -n "s/^$2: *//p"
}

# meta_xhtml_items OPF: "ID<TAB>PATH" of each XHTML item of the manifest.
meta_xhtml_items() {
    local dir
    dir=$(dirname "$1")
    meta_items "$1" | awk -F'\t' -v d="$dir" '$3 == "application/xhtml+xml" { print $1 "\t" d "/" $2 }'
}

# meta_pages OPF TYPE...: the XHTML items whose <body> or a <section>
# has one of the epub:types, one path a line, in manifest order.
meta_pages() {
    local opf=$1 f
    shift
    meta_xhtml_items "$opf" | cut -f2 | while IFS= read -r f; do
        T="$*" perl -0777 -ne '
            for my $t (split / /, $ENV{T}) {
                $ok = 1 if /<(?:body|section)\b[^>]*\bepub:type="(?:[^"]*\s)?\Q$t\E(?:\s[^"]*)?"/;
            }
            END { exit !$ok }' "$f" && printf '%s\n' "$f"
    done
}

# meta_a11y NAME ALT: the accessibility metadata of $META_OPF. ALT is
# "yes" (every image has alt text: alternativeText is claimed), "no"
# (it must not be claimed, nor every image said to be described) or "any"
# (no image: either way).
meta_a11y() {
    local name="meta: $1: accessibility metadata" alt=$2 bad="" p feats
    for p in accessMode accessModeSufficient accessibilityHazard accessibilitySummary; do
        [ -n "$(meta_props "$META_OPF" "schema:$p" | tr -d '[:space:]')" ] || bad="$bad; no schema:$p"
    done
    meta_props "$META_OPF" schema:accessMode | grep -qx textual || bad="$bad; no schema:accessMode textual"
    feats=$(meta_props "$META_OPF" schema:accessibilityFeature)
    for p in structuralNavigation tableOfContents; do
        printf '%s\n' "$feats" | grep -qx "$p" || bad="$bad; no schema:accessibilityFeature $p"
    done
    if [ "$alt" = yes ]; then
        printf '%s\n' "$feats" | grep -qx alternativeText || bad="$bad; every image has alt text but no schema:accessibilityFeature alternativeText"
    elif [ "$alt" = no ]; then
        printf '%s\n' "$feats" | grep -qx alternativeText && bad="$bad; schema:accessibilityFeature alternativeText claimed though an image has no alt text"
        meta_props "$META_OPF" schema:accessibilitySummary | grep -Eiq '(every|all) (image|picture|illustration)s?' &&
            bad="$bad; schema:accessibilitySummary says every image is described: '$(meta_props "$META_OPF" schema:accessibilitySummary)'"
    fi
    meta_report "$name" "$bad" "$META_OPF"
}

# meta_no_cover NAME: no cover image nor cover page in $META_EPUB.
meta_no_cover() {
    local name="meta: $1: no cover-image, no cover page" bad="" id path
    meta_items "$META_OPF" | awk -F'\t' '$4 ~ /(^| )cover-image( |$)/' | grep -q . &&
        bad="$bad; a manifest item has properties cover-image"
    [ -n "$META_NAV" ] && meta_nav_entries "$META_NAV" landmarks | cut -f1 | grep -Eqw cover &&
        bad="$bad; the landmarks have a cover entry"
    while IFS= read -r path; do
        bad="$bad; ${path##*/} is a cover page"
    done < <(meta_pages "$META_OPF" cover)
    meta_report "$name" "$bad" "$META_OPF" "$META_NAV"
}

# meta_ncx NAME: toc.ncx is in the manifest with its media type, the spine
# points at it, and its navPoints match the nav's toc entries (labels, and
# targets) in order.
meta_ncx() {
    local name=$1 bad="" id
    if [ -z "$META_NCX" ]; then
        bad="; no manifest item of media-type application/x-dtbncx+xml (items: $(meta_items "$META_OPF" | cut -f2,3 | tr '\t\n' ' ,'))"
    else
        [ "${META_NCX##*/}" = toc.ncx ] || bad="$bad; the NCX is ${META_NCX##*/}, not toc.ncx"
        id=$(meta_items "$META_OPF" | awk -F'\t' '$3 == "application/x-dtbncx+xml" { print $1; exit }')
        local toc
        toc=$(meta_spine "$META_OPF" | awk -F'\t' '$1 == "toc" { print $2 }')
        [ "$toc" = ncx ] || bad="$bad; spine toc=\"$toc\", not \"ncx\""
        [ "$toc" = "$id" ] || bad="$bad; spine toc=\"$toc\" but the NCX item's id is \"$id\""
    fi
    meta_report "meta: $name: toc.ncx in manifest and spine" "$bad" "$META_OPF"
    [ -n "$META_NCX" ] || return

    if [ -z "$META_NAV" ]; then
        fail "meta: $name: ncx labels equal the nav toc" "no navigation document" "$META_OPF"
        return
    fi
    meta_nav_entries "$META_NAV" toc >"$META_DIR/nav-toc.tsv"
    meta_ncx_entries "$META_NCX" >"$META_DIR/ncx.tsv"
    cut -f1 "$META_DIR/nav-toc.tsv" >"$META_DIR/nav-labels"
    cut -f1 "$META_DIR/ncx.tsv" >"$META_DIR/ncx-labels"
    if [ ! -s "$META_DIR/nav-labels" ]; then
        fail "meta: $name: ncx labels equal the nav toc" "no entries in the nav's toc" "$META_NAV"
    elif ! cmp -s "$META_DIR/nav-labels" "$META_DIR/ncx-labels"; then
        fail "meta: $name: ncx labels equal the nav toc" "nav: [$(tr '\n' '|' <"$META_DIR/nav-labels" | cut -c1-250)] ncx: [$(tr '\n' '|' <"$META_DIR/ncx-labels" | cut -c1-250)]" \
            "$META_NAV" "$META_NCX"
    else
        pass "meta: $name: ncx labels equal the nav toc"
    fi
    # (both are relative to their own folder; folio keeps them side by side)
    cut -f2 "$META_DIR/nav-toc.tsv" >"$META_DIR/nav-hrefs"
    cut -f2 "$META_DIR/ncx.tsv" >"$META_DIR/ncx-srcs"
    if [ -s "$META_DIR/nav-hrefs" ] && [ "$(dirname "$META_NAV")" = "$(dirname "$META_NCX")" ] &&
        ! cmp -s "$META_DIR/nav-hrefs" "$META_DIR/ncx-srcs"; then
        fail "meta: $name: ncx targets equal the nav toc" "nav: [$(tr '\n' '|' <"$META_DIR/nav-hrefs" | cut -c1-250)] ncx: [$(tr '\n' '|' <"$META_DIR/ncx-srcs" | cut -c1-250)]" \
            "$META_NAV" "$META_NCX"
    else
        pass "meta: $name: ncx targets equal the nav toc"
    fi
}

# meta_words NAME SRC...: every word of the sources comes back from both
# editions (the oracle of run.sh's check_outputs).
meta_words() {
    local name=$1
    shift
    check_edition_words "meta: $name" "$META_DIR" "$META_PDF" "$META_EPUB" "$@"
}

# ------------------------------------------------------------- the cases

# 1. A title (and an author, a heading, an alt text) with & < > " ' and
# would-be elements: escaped everywhere, given back exactly.
meta_specials() {
    local c="$TESTS/cases-meta/specials" n=specials bad="" t
    local title="Fish & Chips <script>alert(1)</script> \"Quoted\" 'Single' <b>x</b> > end"
    local author="Sam O'Neil & <Co>"
    local heading="Fish & Chips <script> \"Quoted\" 'Single' > end"
    local heading2="Second & <last> \"section\" 'here'"
    local alt="Dot & dash <b>x</b> \"quoted\" 'single' > end"
    meta_build "$n" "$c" || return
    meta_epubcheck "$n"

    t=$(meta_elements "$META_OPF" dc:title | head -n 1)
    [ "$t" = "$title" ] || bad="$bad; dc:title is '$t'"
    t=$(meta_elements "$META_OPF" dc:creator)
    [ "$t" = "$author" ] || bad="$bad; dc:creator is '$t'"
    meta_report "meta: $n: dc:title and dc:creator unescape to the metadata" "$bad" "$META_OPF"

    bad=""
    local f files=("$META_OPF")
    [ -n "$META_NAV" ] && files+=("$META_NAV")
    [ -n "$META_NCX" ] && files+=("$META_NCX")
    while IFS=$'\t' read -r _ f; do
        [ "$f" = "$META_NAV" ] || files+=("$f")
    done < <(meta_xhtml_items "$META_OPF")
    meta_markup_problems "${files[@]}" >"$META_DIR/markup.txt"
    [ -s "$META_DIR/markup.txt" ] && bad="; $(head -n 4 "$META_DIR/markup.txt" | tr '\n' ';')"
    meta_report "meta: $n: no raw <script, <b> or unescaped < & in the OPF, nav, NCX, XHTML" "$bad" "$META_DIR/markup.txt" "$META_EPUB"

    # the title page, the NCX's docTitle, the chapter's heading and picture
    bad=""
    local page
    page=$(meta_pages "$META_OPF" titlepage | head -n 1)
    if [ -z "$page" ]; then
        bad="$bad; no XHTML item with epub:type titlepage"
    else
        t=$(meta_elements "$page" h1 | head -n 1)
        [ "$t" = "$title" ] || bad="$bad; the title page's h1 is '$t'"
    fi
    if [ -n "$META_NCX" ]; then
        t=$(perl -0777 -ne 'print $1 if /<docTitle\b[^>]*>\s*<text>(.*?)<\/text>/s' "$META_NCX" | perl -CSD -ne "$(meta_pl)"'print u($_)')
        [ "$t" = "$title" ] || bad="$bad; the NCX docTitle is '$t'"
    fi
    unzip -p "$META_EPUB" '*.xhtml' >"$META_DIR/all.xhtml" 2>/dev/null
    perl -CSD -0777 -ne "$(meta_pl)"'while (/<h[1-6]\b[^>]*>(.*?)<\/h[1-6]>/sg) { print flat($1), "\n" }' "$META_DIR/all.xhtml" >"$META_DIR/headings"
    grep -Fxq -- "$heading" "$META_DIR/headings" || bad="$bad; no heading '$heading' (headings: $(tr '\n' '|' <"$META_DIR/headings" | cut -c1-200))"
    grep -Fxq -- "$heading2" "$META_DIR/headings" || bad="$bad; no heading '$heading2'"
    perl -CSD -0777 -ne "$(meta_pl)"'while (/<img\b[^>]*\balt="([^"]*)"/sg) { print u($1), "\n" }' "$META_DIR/all.xhtml" >"$META_DIR/alts"
    grep -Fxq -- "$alt" "$META_DIR/alts" || bad="$bad; no <img> with alt '$alt' (alts: $(tr '\n' '|' <"$META_DIR/alts" | cut -c1-200))"
    meta_report "meta: $n: title page, NCX title, heading and alt text unescape exactly" "$bad" "$META_DIR/all.xhtml" "$META_NCX"

    if meta_need "meta: $n: pandoc reads the title back" pandoc; then
        if pandoc -f epub -t plain --wrap=none "$META_EPUB" -o "$META_DIR/epub.txt" 2>"$META_DIR/pandoc.err"; then
            bad=""
            grep -Fq -- "$title" "$META_DIR/epub.txt" || bad="$bad; the title is not in pandoc's text"
            grep -Fq -- "$heading" "$META_DIR/epub.txt" || bad="$bad; the heading is not in pandoc's text"
            meta_report "meta: $n: pandoc reads the title back" "$bad" "$META_DIR/epub.txt"
        else
            fail "meta: $n: pandoc reads the title back" "pandoc could not read the EPUB: $(first_lines "$META_DIR/pandoc.err")" "$META_EPUB"
        fi
    fi

    if meta_need "meta: $n: pdfinfo Title and Author" pdfinfo; then
        bad=""
        t=$(meta_pdf_field "$META_PDF" Title)
        [ "$t" = "$title" ] || bad="$bad; Title is '$t'"
        t=$(meta_pdf_field "$META_PDF" Author)
        [ "$t" = "$author" ] || bad="$bad; Author is '$t'"
        meta_report "meta: $n: pdfinfo Title and Author" "$bad" "$META_PDF"
    fi
    meta_ncx "$n"
}

# 2, 7, 8 and 5 without a cover: three authors, an edition, a date, three
# chapters with nested headings, no cover-image.
meta_authors() {
    local c="$TESTS/cases-meta/authors" n=authors bad="" t
    local authors
    authors=$(printf 'Ana Primera\nBruno Segundo\nCarla Tercera')
    meta_build "$n" "$c" || return
    meta_epubcheck "$n"

    t=$(meta_elements "$META_OPF" dc:creator)
    meta_report "meta: $n: three dc:creator in order" \
        "$([ "$t" = "$authors" ] || echo "; dc:creator: [$(printf '%s' "$t" | tr '\n' '|')]")" "$META_OPF"
    if meta_need "meta: $n: pdfinfo Author lists the three" pdfinfo; then
        t=$(meta_pdf_field "$META_PDF" Author)
        if printf '%s\n' "$t" | grep -Eq 'Ana Primera.*Bruno Segundo.*Carla Tercera'; then
            pass "meta: $n: pdfinfo Author lists the three"
        else
            fail "meta: $n: pdfinfo Author lists the three" "Author is '$t'" "$META_PDF"
        fi
    fi

    # edition and date: OPF, the print title and colophon pages, the EPUB's
    local ptxt etxt
    local -a pages
    bad=""
    t=$(meta_props "$META_OPF" schema:bookEdition)
    [ "$t" = 3 ] || bad="$bad; schema:bookEdition is '$t'"
    t=$(meta_elements "$META_OPF" dc:date)
    case $t in 2025-06-01 | 2025-06-01T*) ;; *) bad="$bad; dc:date is '$t'" ;; esac
    meta_report "meta: $n: schema:bookEdition and dc:date in the OPF" "$bad" "$META_OPF"

    t=$(meta_props "$META_OPF" dcterms:modified)
    meta_report "meta: $n: dcterms:modified is the date, without SOURCE_DATE_EPOCH" \
        "$([ "$t" = 2025-06-01T00:00:00Z ] || echo "; dcterms:modified is '$t'")" "$META_OPF"

    # "Edition 3", "3rd edition", "third edition"; 2025-06-01, June 1, 2025 or 1 June 2025
    local ed='edition[^[:alnum:]]*3([^0-9]|$)|(^|[^0-9])3(rd)?[^[:alnum:]]*edition|third edition'
    local dt='2025-06-01|june 0?1,? 2025|0?1 june,? 2025'
    if meta_need "meta: $n: edition and date on the print title pages" pdftotext; then
        ptxt=$(pdftotext -f 1 -l 2 -enc UTF-8 "$META_PDF" - 2>/dev/null | tr '\n\f' '  ')
        bad=""
        printf '%s\n' "$ptxt" | grep -Eiq "$ed" || bad="$bad; no edition 3"
        printf '%s\n' "$ptxt" | grep -Eiq "$dt" || bad="$bad; no date 2025-06-01"
        meta_report "meta: $n: edition and date on the print title pages" \
            "${bad:+$bad (pages 1-2: $(printf '%s' "$ptxt" | tr -s ' ' | cut -c1-200))}" "$META_PDF"
    fi
    mapfile -t pages < <(meta_pages "$META_OPF" titlepage colophon)
    if [ "${#pages[@]}" -eq 0 ]; then
        fail "meta: $n: edition and date on the EPUB title page" "no XHTML item with epub:type titlepage or colophon" "$META_OPF"
    else
        etxt=$(cat "${pages[@]}" | perl -CSD -0777 -ne "$(meta_pl)"'s/<head\b.*?<\/head>//s; print flat($_)')
        bad=""
        printf '%s\n' "$etxt" | grep -Eiq "$ed" || bad="$bad; no edition 3"
        printf '%s\n' "$etxt" | grep -Eiq "$dt" || bad="$bad; no date 2025-06-01"
        meta_report "meta: $n: edition and date on the EPUB title page" \
            "${bad:+$bad (text: $(printf '%s' "$etxt" | cut -c1-200))}" "${pages[@]}"
    fi
    # the three names on the title page of both editions
    bad=""
    while IFS= read -r t; do
        printf '%s\n' "${ptxt:-}" | grep -Fq "$t" || bad="$bad; '$t' not on the print title pages"
        printf '%s\n' "${etxt:-}" | grep -Fq "$t" || bad="$bad; '$t' not on the EPUB title page"
    done <<<"$authors"
    meta_report "meta: $n: the three authors on the title page of both editions" "$bad" "$META_PDF" ${pages[@]+"${pages[@]}"}

    meta_a11y "$n" any
    meta_ncx "$n"
    meta_no_cover "$n"
    if grep -q 'warning:' "$META_DIR/build.err"; then
        fail "meta: $n: no warning without cover-image" "$(grep 'warning:' "$META_DIR/build.err" | head -n 2 | tr '\n' ' ')" "$META_DIR/build.err"
    else
        pass "meta: $n: no warning without cover-image"
    fi
}

# 3. Spanish (Mexico): the language tag on the package and every page;
# every word, accents and ¿¡ included, back from both editions.
meta_spanish() {
    local c="$TESTS/cases-meta/es-mx" n=es-MX bad="" t id f
    meta_build "$n" "$c" || return
    meta_epubcheck "$n"
    t=$(meta_elements "$META_OPF" dc:language)
    [ "$t" = es-MX ] || bad="$bad; dc:language is '$t'"
    t=$(meta_elements "$META_OPF" dc:title)
    [ "$t" = "Cuaderno de añoranzas" ] || bad="$bad; dc:title is '$t'"
    t=$(meta_elements "$META_OPF" dc:creator)
    [ "$t" = "Begoña Núñez" ] || bad="$bad; dc:creator is '$t'"
    if have pdfinfo; then
        t=$(meta_pdf_field "$META_PDF" Title)
        [ "$t" = "Cuaderno de añoranzas" ] || bad="$bad; pdfinfo Title is '$t'"
    fi
    meta_report "meta: $n: dc:language, dc:title, dc:creator" "$bad" "$META_OPF"

    bad=""
    local n_pages=0
    while IFS=$'\t' read -r id f; do
        n_pages=$((n_pages + 1))
        t=$(perl -0777 -ne 'print $1 if /<html\b([^>]*)>/s' "$f")
        printf '%s' "$t" | grep -Eq '(^|[[:space:]])xml:lang="es-MX"' || bad="$bad; ${f##*/}: no xml:lang=\"es-MX\" on <html>"
        printf '%s' "$t" | grep -Eq '(^|[[:space:]])lang="es-MX"' || bad="$bad; ${f##*/}: no lang=\"es-MX\" on <html>"
    done < <(meta_xhtml_items "$META_OPF")
    [ "$n_pages" -gt 0 ] || bad="$bad; no XHTML item"
    for f in "$META_OPF" "$META_NCX"; do
        [ -n "$f" ] || continue
        t=$(perl -0777 -ne 'print $1 if /<(?:package|ncx)\b[^>]*\bxml:lang="([^"]*)"/s' "$f")
        [ -z "$t" ] || [ "$t" = es-MX ] || bad="$bad; ${f##*/}: xml:lang=\"$t\""
    done
    meta_report "meta: $n: every XHTML page has lang and xml:lang es-MX" "$bad" "$META_OPF" "$META_X"

    local -a ch
    mapfile -t ch < <(find "$c" -maxdepth 1 -type f -name '*.md' | LC_ALL=C sort)
    meta_words "$n" "${ch[@]}"
}

# meta_nometa_one NAME SRC VARIANT: a source without metadata (4): built
# without SOURCE_DATE_EPOCH, again with it, and VARIANT (the same with a
# title) once.
meta_nometa_one() {
    local n=$1 src=$2 variant=$3 id1 id2 id3 mod1 mod2 bad="" today utoday
    local sde=1700000000 sde_iso=2023-11-14T22:13:20Z
    local uuid_re='^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
    meta_build "$n" "$src" || return
    meta_epubcheck "$n"
    id1=$(meta_elements "$META_OPF" dc:identifier)
    mod1=$(meta_props "$META_OPF" dcterms:modified)
    local opf1=$META_OPF
    if printf '%s\n' "$id1" | grep -Eiq "$uuid_re"; then
        pass "meta: $n: dc:identifier is a urn:uuid"
    else
        fail "meta: $n: dc:identifier is a urn:uuid" "dc:identifier: [$(printf '%s' "$id1" | tr '\n' '|')]" "$opf1"
    fi
    today=$(date +%Y-%m-%d)
    utoday=$(date -u +%Y-%m-%d)
    if ! printf '%s\n' "$mod1" | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$'; then
        bad="; dcterms:modified is '$mod1', not CCYY-MM-DDThh:mm:ssZ"
    elif [ "${mod1%%T*}" = "$today" ] || [ "${mod1%%T*}" = "$utoday" ]; then
        bad="; dcterms:modified is today ($mod1): the clock, not the source"
    fi
    meta_report "meta: $n: dcterms:modified is not the clock" "$bad" "$opf1"

    meta_build "$n, SOURCE_DATE_EPOCH=$sde" "$src" "$sde" || return
    id2=$(meta_elements "$META_OPF" dc:identifier)
    mod2=$(meta_props "$META_OPF" dcterms:modified)
    meta_report "meta: $n: dcterms:modified follows SOURCE_DATE_EPOCH" \
        "$([ "$mod2" = "$sde_iso" ] || echo "; dcterms:modified is '$mod2', expected $sde_iso")" "$META_OPF"
    if [ -n "$id1" ] && [ "$id1" = "$id2" ]; then
        pass "meta: $n: dc:identifier is the same on a second build"
    else
        fail "meta: $n: dc:identifier is the same on a second build" "'$id1' then '$id2'" "$opf1" "$META_OPF"
    fi

    meta_build "$n, with a title" "$variant" || return
    id3=$(meta_elements "$META_OPF" dc:identifier)
    if [ -n "$id3" ] && [ "$id3" != "$id1" ]; then
        pass "meta: $n: a title gives another dc:identifier"
    else
        fail "meta: $n: a title gives another dc:identifier" "'$id1' without a title, '$id3' with one" "$opf1" "$META_OPF"
    fi
}

# 4. No metadata at all: a folder of chapters, a file without front matter.
meta_nometa() {
    local v=$WORK/meta/variants
    rm -rf "$v"
    mkdir -p "$v/folder"
    cp -R "$TESTS/cases-meta/nometa-folder" "$v/folder/nometa-folder"
    printf 'title: "A Title Given Later"\n' >"$v/folder/nometa-folder/metadata.yaml"
    { printf -- '---\ntitle: "A Title Given Later"\n---\n'; cat "$TESTS/cases-meta/nometa-single.md"; } >"$v/nometa-single.md"
    meta_nometa_one "no metadata, folder" "$TESTS/cases-meta/nometa-folder" "$v/folder/nometa-folder"
    meta_nometa_one "no metadata, single file" "$TESTS/cases-meta/nometa-single.md" "$v/nometa-single.md"
}

# 5 and 6. A JPEG cover, and a picture with alt text.
meta_cover() {
    local c="$TESTS/cases-meta/cover" n=cover bad="" id href mt props cover="" page="" page_id=""
    meta_build "$n" "$c" || return
    meta_epubcheck "$n"
    local dir
    dir=$(dirname "$META_OPF")
    while IFS=$'\t' read -r id href mt props; do
        case " $props " in
        *" cover-image "*)
            [ -z "$cover" ] || bad="$bad; more than one cover-image item"
            cover=$href
            [ "$mt" = image/jpeg ] || bad="$bad; the cover-image item $href has media-type '$mt'"
            ;;
        esac
    done < <(meta_items "$META_OPF")
    [ -n "$cover" ] || bad="$bad; no manifest item with properties cover-image"
    [ -z "$cover" ] || [ "$(head -c 3 "$dir/$cover" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = ffd8ff ] ||
        bad="$bad; $cover is not a JPEG file"
    meta_report "meta: $n: manifest item properties=cover-image, image/jpeg" "$bad" "$META_OPF"
    [ -n "$cover" ] || return

    # the cover page: an XHTML item that shows the cover image, in the spine
    bad=""
    while IFS=$'\t' read -r id href; do
        if B=${cover##*/} perl -0777 -ne '$ok = 1 if /<img\b[^>]*\bsrc="(?:[^"]*\/)?\Q$ENV{B}\E"/; END { exit !$ok }' "$href"; then
            page=$href page_id=$id
            break
        fi
    done < <(meta_xhtml_items "$META_OPF")
    if [ -z "$page" ]; then
        bad="; no XHTML page shows the cover image"
    elif ! meta_spine "$META_OPF" | awk -F'\t' -v id="$page_id" '$1 == "itemref" && $2 == id { f = 1 } END { exit !f }'; then
        bad="; the cover page ${page##*/} (id $page_id) is not in the spine"
    fi
    meta_report "meta: $n: a cover XHTML page in the spine" "$bad" "$META_OPF" "$page"

    bad=""
    if [ -z "$META_NAV" ]; then
        bad="; no navigation document"
    else
        href=$(meta_nav_entries "$META_NAV" landmarks | awk -F'\t' '$1 ~ /(^| )cover( |$)/ { print $2; exit }')
        if [ -z "$href" ]; then
            bad="; no epub:type=\"cover\" in the landmarks"
        elif [ -n "$page" ] && [ "${href%%#*}" != "${page##*/}" ]; then
            bad="; the landmarks' cover entry points at '$href', not ${page##*/}"
        fi
    fi
    meta_report "meta: $n: landmarks have epub:type=\"cover\"" "$bad" "$META_NAV"
    meta_a11y "$n" yes
}

# 6. A picture with empty alt text: a warning at its position, and the
# package does not claim alternative text.
meta_empty_alt() {
    local c="$TESTS/cases-meta/empty-alt" n=empty-alt bad=""
    meta_build "$n" "$c" || return
    grep -Eq '(^|/)01-pictures\.md:9:[0-9]+: warning: ' "$META_DIR/build.err" ||
        bad="$bad; no '01-pictures.md:9:COL: warning:' line"
    grep -E '(^|/)01-pictures\.md:5:[0-9]+: ' "$META_DIR/build.err" | grep -vq ' dpi at its size' &&
        bad="$bad; a diagnostic for line 5, whose picture has alt text"
    meta_report "meta: $n: warning at file:line:col of the picture without alt text" \
        "${bad:+$bad -- stderr: $(first_lines "$META_DIR/build.err" 3)}" "$META_DIR/build.err"
    meta_epubcheck "$n"
    meta_a11y "$n" no
    local s
    s=$(meta_props "$META_OPF" schema:accessModeSufficient)
    if printf '%s\n' "$s" | grep -qx textual; then
        fail "meta: $n: accessModeSufficient does not say textual alone" "schema:accessModeSufficient: [$(printf '%s' "$s" | tr '\n' '|')]" "$META_OPF"
    else
        pass "meta: $n: accessModeSufficient does not say textual alone"
    fi
}

# ------------------------------------------------------------- entry point

test_meta() {
    if [ ! -d "$TESTS/cases-meta" ]; then
        skip "meta" "no tests/cases-meta/"
        return
    fi
    meta_need "meta" unzip perl || return
    meta_specials
    meta_authors
    meta_spanish
    meta_nometa
    meta_cover
    meta_empty_alt
}
