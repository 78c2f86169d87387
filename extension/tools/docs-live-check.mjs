#!/usr/bin/env node
// The maintainer's check of the documented Docs model against the real Google Docs API.
//
//   node extension/tools/docs-live-check.mjs --token "$(gcloud auth print-access-token)" --document <scratch doc id>
//
// (or GOOGLE_DOCS_TOKEN / DOCS_SCRATCH_DOCUMENT in the environment). The token needs the
// https://www.googleapis.com/auth/documents scope; the document is a scratch document whose
// content is DELETED first. Without a token it prints "skipped" and exits 0.
//
// 1. The check: insert a 1x1 table at index 1 of the emptied document; documents.get
//    must show the table at 2..7 and the next paragraph at index 7 (2 + R*(2C+1) units).
// 2. A result shaped like a draft (heading, bullets, a table followed by a paragraph,
//    sources) is converted by the extension, sent as one batchUpdate, read back, and compared
//    element by element (indexes, text, named style, list membership) with what the
//    documented model (extension/tests/docs-model/) predicts. Any difference means the model
//    (and so the tests) disagree with Google: it is printed and the exit code is 1.

import { parseArgs } from 'node:util';

import { endAnchor } from '../src/lib/doc-outline.js';
import { resultToRequests } from '../src/lib/docs-requests.js';
import { DocsBody } from '../tests/docs-model/docs-body.mjs';
import { validateBatchUpdate } from '../tests/docs-model/discovery.mjs';

const { values } = parseArgs({
  options: {
    token: { type: 'string', default: process.env.GOOGLE_DOCS_TOKEN ?? '' },
    document: { type: 'string', default: process.env.DOCS_SCRATCH_DOCUMENT ?? '' },
    api: { type: 'string', default: 'https://docs.googleapis.com' },
  },
});

if (!values.token || !values.document) {
  console.log('skipped: give --token (OAuth access token, documents scope) and --document (a scratch document id)');
  process.exit(0);
}

async function call(method, path, body) {
  const response = await fetch(`${values.api}/v1/documents/${encodeURIComponent(values.document)}${path}`, {
    method,
    headers: { Authorization: `Bearer ${values.token}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const json = await response.json().catch(() => null);
  if (!response.ok) throw new Error(`${method} ${path || 'documents.get'}: HTTP ${response.status} ${JSON.stringify(json?.error ?? json)}`);
  return json;
}

const get = () => call('GET', '');
const batch = (requests) => {
  const problems = validateBatchUpdate({ requests });
  if (problems.length) throw new Error(`request body violates docs.v1.json: ${problems.join('; ')}`);
  return call('POST', ':batchUpdate', { requests });
};

async function emptyDocument() {
  const doc = await get();
  const end = doc.body.content.at(-1).endIndex;
  if (end > 2) await batch([{ deleteContentRange: { range: { startIndex: 1, endIndex: end - 1 } } }]);
  const emptied = await get();
  // paragraph style and bullets of the one paragraph left are reset too
  await batch([
    { deleteParagraphBullets: { range: { startIndex: 1, endIndex: 2 } } },
    { updateParagraphStyle: { range: { startIndex: 1, endIndex: 2 }, paragraphStyle: { namedStyleType: 'NORMAL_TEXT' }, fields: 'namedStyleType,alignment,indentStart,indentFirstLine' } },
  ]);
  return emptied;
}

/** Elements in document order with what the comparison looks at. */
function outline(content, path = 'body') {
  const out = [];
  content.forEach((el, i) => {
    const at = `${path}[${i}]`;
    if (el.sectionBreak) out.push({ at, kind: 'sectionBreak', endIndex: el.endIndex });
    else if (el.paragraph) {
      const text = el.paragraph.elements.map((e) => e.textRun?.content ?? (e.inlineObjectElement ? '\ufffc' : '?')).join('');
      out.push({ at, kind: 'paragraph', startIndex: el.startIndex, endIndex: el.endIndex, text, namedStyleType: el.paragraph.paragraphStyle?.namedStyleType, bullet: !!el.paragraph.bullet });
    } else if (el.table) {
      out.push({ at, kind: 'table', startIndex: el.startIndex, endIndex: el.endIndex, rows: el.table.rows, columns: el.table.columns });
      el.table.tableRows.forEach((row, r) => {
        out.push({ at: `${at}.row${r}`, kind: 'row', startIndex: row.startIndex, endIndex: row.endIndex });
        row.tableCells.forEach((cell, c) => {
          out.push({ at: `${at}.cell${r},${c}`, kind: 'cell', startIndex: cell.startIndex, endIndex: cell.endIndex });
          out.push(...outline(cell.content, `${at}.cell${r},${c}`));
        });
      });
    }
  });
  return out;
}

function differences(real, model) {
  const a = outline(real.body.content);
  const b = outline(model.body.content);
  const out = [];
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    if (JSON.stringify(a[i]) !== JSON.stringify(b[i])) out.push(`  Google: ${JSON.stringify(a[i])}\n  model:  ${JSON.stringify(b[i])}`);
  }
  return out;
}

let failed = false;

// 1. a 1x1 table at index 1 of an empty document
await emptyDocument();
await batch([{ insertTable: { rows: 1, columns: 1, location: { index: 1 } } }]);
const afterTable = await get();
const table = afterTable.body.content.find((e) => e.table);
const next = afterTable.body.content.at(-1);
console.log(`1x1 table at ${table.startIndex}..${table.endIndex}, next paragraph at ${next.startIndex}`);
if (table.startIndex !== 2 || table.endIndex !== 7 || next.startIndex !== 7) {
  console.log('FAIL: expected the table at 2..7 and the next paragraph at 7');
  failed = true;
}

// 2. a draft-shaped result, compared with the model's prediction
const base = await emptyDocument();
const model = DocsBody.fromDocument(base);
const result = {
  blocks: [
    { type: 'heading', level: 1, text: 'FinScribe live check 😀' },
    { type: 'bullets', ordered: true, items: ['하나 **굵게**', { text: '둘', items: ['셋'] }] },
    { type: 'table', header: ['항목', '값'], rows: [['매출', '300조[1]'], ['', '△5.2%']] },
    { type: 'paragraph', text: '표 다음 문단 [링크](https://example.com/) 🇰🇷' },
  ],
  citations: [{ n: 1, provider: 'DART', title: '사업보고서', url: 'https://dart.fss.or.kr/', as_of: '2024-03-12' }],
};
const { requests } = resultToRequests(result, endAnchor(base), { sourcesTitle: '출처', asOf: '기준일' });
model.applyBatch(requests);
await batch(requests);
const diffs = differences(await get(), model.toDocument());
if (diffs.length) {
  console.log(`FAIL: Google and the documented model differ after the extension's batch:\n${diffs.join('\n')}`);
  failed = true;
} else {
  console.log(`the extension's batch (${requests.length} requests) gives the document the model predicts`);
}
process.exit(failed ? 1 : 0);
