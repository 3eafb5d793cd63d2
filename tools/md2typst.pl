#!/usr/bin/perl
# md2typst.pl: the bench manuscript (CommonMark) as Typst markup, for
# timing Typst on the same text (tools/bench.sh).  Not a converter for
# general use: headings, paragraphs, lists, quotes, code blocks, rules and
# figures keep their shape; inline markup is set as plain text.
use strict;
use warnings;

# the book style's page, type and contents, as far as Typst has them
print <<'END';
#set page(width: 6in, height: 9in, margin: (inside: 0.85in, outside: 0.65in, top: 0.75in, bottom: 0.85in), numbering: "1")
#set text(size: 10.5pt, lang: "en", hyphenate: true)
#set par(justify: true, leading: 0.55em)
#show heading.where(level: 1): it => pagebreak(weak: true) + it
#outline(depth: 2)
END

my $fence;
sub text {
    my $s = shift;
    $s =~ s/!\[([^\]]*)\]\([^)]*\)/$1/g;       # an inline picture: its alt text
    $s =~ s/\[([^\]]*)\]\([^)]*\)/$1/g;        # a link: its text
    $s =~ s/(\*\*|__|\*|`)//g;                 # emphasis, code spans
    $s =~ s/([\\#\$\@<>_*`\[\]~\/=+\-"'])/\\$1/g;
    return $s;
}
while (my $l = <>) {
    chomp $l;
    if (defined $fence) {
        print "$l\n";
        undef $fence if $l =~ /^\s*$fence/;
        next;
    }
    if ($l =~ /^\s*(```+|~~~+)/) {
        $fence = $1;
        print "$l\n";
    } elsif ($l =~ /^(#{1,6})\s+(.*)$/) {
        print '=' x length($1), ' ', text($2), "\n";
    } elsif ($l =~ /^\s*!\[([^\]]*)\]\(([^)\s]+)[^)]*\)\s*$/) {
        print "#figure(image(\"$2\", width: 80%), caption: [", text($1), "])\n";
    } elsif ($l =~ /^\s*(\*\*\*|---|___)\s*$/) {
        print "#line(length: 100%)\n";
    } elsif ($l =~ /^(\s*)[-*+]\s+(.*)$/) {
        print "$1- ", text($2), "\n";
    } elsif ($l =~ /^(\s*)\d+[.)]\s+(.*)$/) {
        print "$1+ ", text($2), "\n";
    } elsif ($l =~ /^\s*>\s?(.*)$/) {
        print text($1), "\n";
    } else {
        print text($l), "\n";
    }
}
