// A tagged PDF's headings and figures as pdf.js reads them: the structure
// tree and marked content that Firefox hands to assistive technology.
//
//     node tests/tools/pdfjs-struct.mjs DIR FILE.pdf
//
// DIR holds node_modules/pdfjs-dist (tools/pdfjs-install.sh puts it in
// build/pdfjs). Prints one line per heading, "H2<TAB>its text", and per
// figure, "Figure<TAB>its /Alt", in reading order; the text is what the
// heading's own marked content shows (not its links'). Exits 1 when the file has no structure
// tree, 2 when pdf.js cannot be loaded or cannot read the file.
import { pathToFileURL } from "node:url";
import { join } from "node:path";

const [dir, file] = process.argv.slice(2);
if (!dir || !file) {
    console.error("usage: node pdfjs-struct.mjs DIR FILE.pdf");
    process.exit(2);
}
// pdf.js draws through a canvas it does not have here; reading text and
// structure needs only the matrix type it creates when it loads.
globalThis.DOMMatrix ??= class DOMMatrix {
    constructor(m) {
        [this.a, this.b, this.c, this.d, this.e, this.f] = m || [1, 0, 0, 1, 0, 0];
    }
};
let pdfjs;
try {
    pdfjs = await import(pathToFileURL(join(dir,
        "node_modules/pdfjs-dist/legacy/build/pdf.mjs")).href);
} catch (e) {
    console.error("cannot load pdf.js from " + dir + ": " + e.message);
    process.exit(2);
}

const one = (s) => String(s || "").replace(/\s+/g, " ").trim();
let doc;
try {
    doc = await pdfjs.getDocument({ url: file, verbosity: 0,
        isEvalSupported: false, disableFontFace: true }).promise;
} catch (e) {
    console.error("pdf.js cannot read " + file + ": " + e.message);
    process.exit(2);
}
let trees = 0;
const out = [];
for (let i = 1; i <= doc.numPages; i++) {
    const page = await doc.getPage(i);
    const tree = await page.getStructTree();
    const tc = await page.getTextContent({ includeMarkedContent: true });
    // the text of each marked-content sequence, by its id
    const text = new Map(), open = [];
    for (const it of tc.items) {
        if (it.type === "beginMarkedContentProps" || it.type === "beginMarkedContent") {
            open.push(it.id || null);
        } else if (it.type === "endMarkedContent") {
            open.pop();
        } else if (open.length && open[open.length - 1] !== null) {
            // (a line's end is hasEOL, not a character: a space here)
            const id = open[open.length - 1];
            text.set(id, (text.get(id) || "") + it.str + (it.hasEOL ? " " : ""));
        }
    }
    if (!tree)
        continue;
    trees++;
    // a heading's own text, as poppler's -struct-text shows it: what
    // its links (a note's reference) hold is theirs
    const textOf = (n) => (n.children || []).map((c) =>
        c.type === "content" ? (text.get(c.id) || "") : "").join("");
    const walk = (n, depth) => {
        if (depth > 1000)
            return;
        if (/^H[1-6]$/.test(n.role || ""))
            out.push(n.role + "\t" + one(textOf(n)));
        else if (n.role === "Figure")
            out.push("Figure\t" + one(n.alt));
        for (const c of n.children || [])
            walk(c, depth + 1);
    };
    walk(tree, 0);
}
if (trees === 0) {
    console.error("no structure tree in " + file);
    process.exit(1);
}
console.log(out.join("\n"));
