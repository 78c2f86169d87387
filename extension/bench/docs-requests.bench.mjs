// Benchmark: how long the panel needs to turn a large real result into one Docs
// batchUpdate body and into the preview tree. The result is built like the gateway kit's
// long_korean_result(): one paragraph per row of the real DART half-year statement
// fixture (Samsung Electronics 2024 H1), repeated into sections until it passes ~200 KB.
//
//   node extension/bench/docs-requests.bench.mjs      (prints a table; exits 0)
//
// Figures only; no target is asserted here.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { resultToRequests } from '../src/lib/docs-requests.js';
import { markdownToTree } from '../src/lib/markdown.js';

const here = dirname(fileURLToPath(import.meta.url));
const fixtures = process.env.FINSCRIBE_FIXTURES_DIR ?? resolve(here, '../../../shared/fixtures/real');
const CSV = join(fixtures, 'dart_fnlttSinglAcntAll_00126380_2024_11012_CFS.csv');
if (!existsSync(CSV)) {
  console.error(`real fixture not found: ${CSV} (set FINSCRIBE_FIXTURES_DIR)`);
  process.exit(2);
}

function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), (i += 1);
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\n') row.push(field.replace(/\r$/, '')), rows.push(row), (row = []), (field = '');
    else field += ch;
  }
  if (field || row.length) rows.push([...row, field]);
  const [header, ...body] = rows;
  return body.filter((r) => r.length === header.length).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i]])));
}

const rows = parseCsv(readFileSync(CSV, 'utf8').replace(/^\ufeff/, ''));
const blocks = [{ type: 'heading', level: 1, text: '삼성전자 2024 반기 재무제표 상세' }];
const markdown = ['# 삼성전자 2024 반기 재무제표 상세'];
let bytes = 0;
for (let section = 1; bytes < 200_000; section += 1) {
  blocks.push({ type: 'heading', level: 2, text: `${section}. 재무제표 항목` });
  markdown.push(`## ${section}. 재무제표 항목`);
  const table = { type: 'table', header: ['계정', rows[0].thstrm_nm, rows[0].frmtrm_nm], rows: [] };
  for (const row of rows) {
    const text = `${row.sj_nm}의 **${row.account_nm}**은(는) ${row.thstrm_nm} ${row.thstrm_amount}원, ${row.frmtrm_nm} ${row.frmtrm_amount}원이다[1].`;
    blocks.push({ type: 'paragraph', text, citations: [1] });
    markdown.push(text);
    if (table.rows.length < 20) table.rows.push([row.account_nm, row.thstrm_amount, row.frmtrm_amount]);
    bytes += Buffer.byteLength(text);
  }
  blocks.push(table);
}
const result = {
  blocks,
  markdown: markdown.join('\n\n'),
  citations: [{ n: 1, provider: 'DART', title: '삼성전자 반기보고서 (2024.06)', url: `https://dart.fss.or.kr/dsaf001/main.do?rcpNo=${rows[0].rcept_no}`, as_of: '2024-06-30' }],
};

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
