// Benchmark: how long the panel needs to turn a large real result into one Docs
// batchUpdate body and into the preview tree. The result is built like the gateway kit's
// long_korean_result(): one paragraph per row of the real DART half-year statement
// fixture (Samsung Electronics 2024 H1), repeated into sections until it passes ~200 KB.
//
//   node extension/bench/docs-requests.bench.mjs      (prints a table; exits 0)
//
// Figures only; no target is asserted here.

import { resultToRequests } from '../src/lib/docs-requests.js';
import { markdownToTree } from '../src/lib/markdown.js';
import { realResult } from './real-result.mjs';

let built;
try {
  built = realResult();
} catch (error) {
  console.error(error.message);
  process.exit(2);
}
const { result, bytes } = built;
const { blocks } = result;

function time(fn, rounds = 20) {
  fn(); // warm-up
  const samples = [];
  for (let i = 0; i < rounds; i += 1) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[Math.floor(rounds / 2)], p95: samples[Math.floor(rounds * 0.95) - 1] };
}

const { requests } = resultToRequests(result, { index: 1, atParagraphStart: true });
const body = JSON.stringify({ requests, writeControl: { requiredRevisionId: 'r' } });
const convert = time(() => resultToRequests(result, { index: 1, atParagraphStart: true }));
const preview = time(() => markdownToTree(result.markdown));

const figures = [
  ['result text (UTF-8)', `${(bytes / 1024).toFixed(0)} KB`, `${blocks.length} blocks`],
  ['batchUpdate requests', String(requests.length), `${(Buffer.byteLength(body) / 1024).toFixed(0)} KB body`],
  ['blocks -> requests, median', `${convert.median.toFixed(1)} ms`, `p95 ${convert.p95.toFixed(1)} ms`],
  ['markdown -> preview tree, median', `${preview.median.toFixed(1)} ms`, `p95 ${preview.p95.toFixed(1)} ms`],
];
for (const [name, value, extra] of figures) console.log(`${name.padEnd(34)} ${value.padStart(10)}   ${extra}`);
