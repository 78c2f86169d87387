// The preview is the document: the blocks the panel shows (lib/preview.js) are, one for one
// and in order, the paragraphs, list items, tables and images the insertion writes, as the
// documented Docs model (docs-model/) reads them after applying the batch.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { realResult } from '../bench/real-result.mjs';
import { degradedReasons, humanUrl, previewTree, resultSummary } from '../src/lib/preview.js';
import { insertAtEnd } from './docs-model/harness.mjs';
import { OBJECT } from './docs-model/reader.mjs';

const LABELS = { sourcesTitle: '출처', asOf: '기준' };
const CHART = 'https://gateway.example/v1/charts/abc.png';
const REPORT = {
  title: '삼성전자 개요',
  markdown: '# 삼성전자 개요\n\n[차트 1: 주가]',
  blocks: [
    { type: 'heading', level: 1, text: '삼성전자 개요' },
    { type: 'paragraph', text: '매출은 **300조**원이다.', citations: [1] },
    { type: 'bullets', items: ['영업이익 증가', '부채비율 하락'] },
    { type: 'chart', chart_index: 0 },
    { type: 'table', caption: '주요 지표', header: ['항목', '값'], rows: [['매출', '300조']] },
    { type: 'quote', text: '인용문' },
  ],
  charts: [{ url: CHART, title: '주가', alt: '주가 추이' }],
  citations: [{ n: 1, provider: 'DART', title: '반기보고서', url: 'https://dart.fss.or.kr/dsaf001/main.do?rcpNo=20240814003284', as_of: '2024-06-30' }],
  usage: { llm_calls: 3, prompt_tokens: 1, completion_tokens: 1, cost_usd: 0.0123, by_provider: { openai: {} } },
  timings: { fetch: 1.5, total: 42.25 },
  warnings: [{ code: 'llm_unavailable', message: 'x' }, { code: 'unverified_number', message: 'y' }],
};

const textOf = (node) => (typeof node === 'string' ? node : (node.children ?? []).map(textOf).join(''));

/** The preview as the document items it stands for: paragraph texts, list items, tables, images. */
function previewItems(tree) {
  const out = [];
  for (const node of tree) {
    if (node.tag === 'ul' || node.tag === 'ol') for (const li of node.children) out.push(textOf(li));
    else if (node.tag === 'table') out.push({ table: node.children.flatMap((part) => part.children.map((tr) => tr.children.map(textOf))) });
    else if (node.tag === 'figure') out.push(OBJECT);
    else out.push(textOf(node));
  }
  return out;
}

function documentItems(result) {
  const { view } = insertAtEnd([{ text: '메모' }], result, { labels: LABELS });
  return view.slice(1).map((item) => (item.table ? { table: item.table.map((row) => row.map((cell) => cell.map((p) => p.text).join('\n'))) } : item.text));
}

test('the preview shows the document the insertion writes, block for block and in order', () => {
  const tree = previewTree(REPORT, LABELS);
  assert.deepEqual(previewItems(tree), documentItems(REPORT));
  // the chart is in place (after the list, before the table), never a "[차트 1]" placeholder
  const kinds = tree.map((n) => n.attrs['data-block']);
  assert.deepEqual(kinds, ['heading', 'paragraph', 'bullets', 'chart', 'chart-title', 'caption', 'table', 'quote', 'heading', 'source']);
  assert.doesNotMatch(JSON.stringify(tree), /\[차트 1/);
  assert.equal(tree[3].children[0].attrs.src, CHART);
});

test('the ~200 KB real DART result previews as it is inserted', () => {
  const { result } = realResult();
  assert.deepEqual(previewItems(previewTree(result, LABELS)), documentItems(result));
});

test('summary: as-of date, sources, duration, cost, model; degraded reasons from warnings', () => {
  assert.deepEqual(resultSummary(REPORT), { asOf: '2024-06-30', sources: 1, seconds: 42.25, costUsd: 0.0123, llmCalls: 3, models: ['openai'] });
  assert.deepEqual(resultSummary({}), { asOf: null, sources: 0, seconds: null, costUsd: null, llmCalls: null, models: [] });
  assert.deepEqual(degradedReasons(REPORT), ['dataOnly']);
  assert.deepEqual(degradedReasons({ warnings: [{ code: 'source_unavailable' }] }), ['sourcesMissing']);
});

test('number cells are marked for right alignment, text cells are not', () => {
  const tree = previewTree({ blocks: [{ type: 'table', header: ['항목', '값'], rows: [['매출', '300조원'], ['증감', '△5.2%'], ['영업이익률', '12.5%p'], ['주석', '2024년 기준']] }] });
  const table = tree.find((n) => n.tag === 'table');
  const body = table.children[1].children.map((tr) => tr.children.map((td) => 'data-num' in td.attrs));
  assert.deepEqual(body, [[false, true], [false, true], [false, true], [false, false]]);
});

test('a citation opens the human page: the DART viewer, never the API URL', () => {
  assert.equal(humanUrl('https://opendart.fss.or.kr/api/document.xml?crtfc_key=x&rcept_no=20240814003284'), 'https://dart.fss.or.kr/dsaf001/main.do?rcpNo=20240814003284');
  assert.equal(humanUrl('https://finance.yahoo.com/quote/005930.KS/history'), 'https://finance.yahoo.com/quote/005930.KS/history');
  assert.equal(humanUrl('javascript:alert(1)'), null);
  assert.equal(humanUrl('https://opendart.fss.or.kr/api/company.json?corp_code=00126380'), 'https://dart.fss.or.kr/dsab007/main.do?option=corp&textCrpCik=00126380');
  assert.equal(humanUrl('https://opendart.fss.or.kr/api/fnlttSinglAcnt.json?corp_code=00126380&bsns_year=2024'), 'https://dart.fss.or.kr/dsab007/main.do?option=corp&textCrpCik=00126380');
  assert.equal(humanUrl('https://opendart.fss.or.kr/api/list.json'), 'https://dart.fss.or.kr/');
  const tree = previewTree(REPORT, LABELS);
  assert.equal(tree[1].children.find((n) => n.tag === 'sup').attrs['data-cite'], '1');
});

test("an upload's date is never a 기준일: not in the summary, not in its sources entry", () => {
  const result = {
    ...REPORT,
    citations: [
      REPORT.citations[0],
      { n: 2, provider: 'upload', title: 'IR 자료.pdf', url: 'https://gateway.example/v1/files/f1', as_of: '2026-11-30', page: 3 },
    ],
  };
  assert.equal(resultSummary(result).asOf, '2024-06-30'); // the upload's newer date sets nothing
  const labels = { ...LABELS, uploaded: '올린 파일' };
  const sources = previewTree(result, labels).map(textOf).join('\n');
  assert.match(sources, /반기보고서.*기준 2024-06-30/);
  assert.match(sources, /IR 자료\.pdf.*올린 파일/);
  assert.doesNotMatch(sources, /기준 2026-11-30/);
});
