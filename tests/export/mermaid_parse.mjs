// Parse Mermaid files with Mermaid's own parser (no browser: jsdom stands in
// for the DOM) and print what it understood as JSON, one entry per file.
// Usage: node mermaid_parse.mjs NODE_MODULES_DIR FILE...
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [modules, ...files] = process.argv.slice(2);
const require = createRequire(path.join(path.resolve(modules), 'noop.js'));
const load = async (name) => import(pathToFileURL(require.resolve(name)).href);

const { JSDOM } = await load('jsdom');
const dom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true });
globalThis.window = dom.window;
globalThis.document = dom.window.document;
globalThis.DOMParser = dom.window.DOMParser;
globalThis.Element = dom.window.Element;
Object.defineProperty(globalThis, 'navigator', { value: dom.window.navigator, configurable: true });
const { default: mermaid } = await load('mermaid');
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });

const results = [];
for (const file of files) {
  const text = fs.readFileSync(file, 'utf8');
  try {
    await mermaid.parse(text);
    const { db } = await mermaid.mermaidAPI.getDiagramFromText(text);
    results.push({
      file,
      vertices: [...db.getVertices().values()].map((v) => [v.id, v.text, v.type]),
      edges: db.getEdges().map((e) => [e.start, e.end, e.text || '', e.style || []]),
      subgraphs: db.getSubGraphs().map((s) => [s.id, s.title, s.nodes]),
    });
  } catch (err) {
    results.push({ file, error: String(err && err.message ? err.message : err) });
  }
}
console.log(JSON.stringify(results));
