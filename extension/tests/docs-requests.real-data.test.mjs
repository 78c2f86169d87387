// The Docs requests for a large result built from recorded real data (the DART half-year
// statement of Samsung Electronics, bench/real-result.mjs: ~200 KB, 1,855 blocks with tables)
// inserted at the end of a short Korean memo: the body conforms to the discovery document
// and, applied to the documented Docs model, every table holds the statement's values and is
// followed by the next section's heading.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { realResult } from '../bench/real-result.mjs';
import { insertAtEnd } from './docs-model/harness.mjs';

test('a ~200 KB result from the recorded DART statement lands as Docs would write it', () => {
  const { result, rows } = realResult();
  const { view } = insertAtEnd([{ text: '시장 메모', style: { namedStyleType: 'HEADING_1' } }, { text: '끝.' }], result, {
    labels: { sourcesTitle: '출처', asOf: '기준일' },
  });
  assert.equal(view[0].text, '시장 메모');
  assert.equal(view[1].text, '끝.');
  const tables = view.filter((item) => item.table);
  assert.equal(tables.length, result.blocks.filter((b) => b.type === 'table').length);
  const want = rows.slice(0, 20).map((row) => [row.account_nm, row.thstrm_amount, row.frmtrm_amount]);
  for (const { table } of tables) {
    assert.deepEqual(table[0].map((cell) => cell[0].runs[0]), [
      { text: '계정', style: { bold: true } },
      { text: rows[0].thstrm_nm, style: { bold: true } },
      { text: rows[0].frmtrm_nm, style: { bold: true } },
    ]);
    assert.deepEqual(table.slice(1).map((row) => row.map((cell) => cell[0].text)), want);
  }
  // after each table but the last comes the next section heading; after the last, the sources
  view.forEach((item, i) => {
    if (!item.table) return;
    const next = view[i + 1];
    assert.ok(next.style.namedStyleType === 'HEADING_2', `after table ${i}: ${next.text}`);
  });
  const paragraphs = view.filter((item) => item.text?.includes('이다[1]'));
  assert.equal(paragraphs.length, result.blocks.filter((b) => b.type === 'paragraph').length);
  for (const p of paragraphs) {
    assert.equal(p.style.namedStyleType, 'NORMAL_TEXT');
    assert.deepEqual(p.runs.at(-2), { text: '[1]', style: { underline: true, link: result.citations[0].url, foregroundColor: p.runs.at(-2).style.foregroundColor, baselineOffset: 'SUPERSCRIPT' } });
    assert.ok(p.runs.some((r) => r.style.bold));
  }
});
