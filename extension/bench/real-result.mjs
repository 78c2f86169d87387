// A large Korean result built from the recorded DART half-year statement of Samsung
// Electronics (fixtures/real/dart_fnlttSinglAcntAll_00126380_2024_11012_CFS.csv, see
// fixtures/real/PROVENANCE.md), like the gateway kit's long_korean_result(): one paragraph
// per statement row (bold account name, amounts, citation [1]) and per section a table of
// the first 20 rows. Used by the benchmark and by the real-data test of the Docs requests.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The fixture folder: FINSCRIBE_FIXTURES_DIR, else the repository's fixtures/real. */
export function fixturesDir() {
  return process.env.FINSCRIBE_FIXTURES_DIR ?? resolve(here, '../../fixtures/real');
}

export function parseCsv(text) {
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

/** The statement rows of the recorded fixture (throws when the fixture is missing). */
export function statementRows() {
  const csv = join(fixturesDir(), 'dart_fnlttSinglAcntAll_00126380_2024_11012_CFS.csv');
  if (!existsSync(csv)) throw new Error(`real fixture not found: ${csv} (set FINSCRIBE_FIXTURES_DIR)`);
  return parseCsv(readFileSync(csv, 'utf8').replace(/^\ufeff/, ''));
}

/**
 * @param {number} minBytes stop adding sections once the paragraphs pass this many UTF-8 bytes
 * @returns {{result: object, rows: object[], bytes: number}}
 */
export function realResult(minBytes = 200_000) {
  const rows = statementRows();
  const blocks = [{ type: 'heading', level: 1, text: '삼성전자 2024 반기 재무제표 상세' }];
  const markdown = ['# 삼성전자 2024 반기 재무제표 상세'];
  let bytes = 0;
  for (let section = 1; bytes < minBytes; section += 1) {
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
  return { result, rows, bytes };
}
