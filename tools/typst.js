// typst.js DIR MAIN.typ OUT.pdf: Typst (its Node.js compiler) sets MAIN
// into OUT, for tools/bench.sh.
const fs = require('fs');
const path = require('path');
const { NodeCompiler } = require(path.join(process.env.TYPST_DIR,
    'node_modules/@myriaddreamin/typst-ts-node-compiler'));
const [dir, main, out] = process.argv.slice(2);
const c = NodeCompiler.create({ workspace: dir });
const doc = c.compile({ mainFilePath: path.resolve(dir, main) });
if (!doc.result) {
    console.error(JSON.stringify(c.fetchDiagnostics(doc.takeDiagnostics()), null, 1).slice(0, 2000));
    process.exit(1);
}
fs.writeFileSync(out, c.pdf(doc.result));
