// Insert after a chosen paragraph, and undo: applied to the documented Docs model
// (docs-model/, written from Google's documentation), deleting exactly the range
// insertedRange() reports gives back the document's text as it was, for results with
// headings, lists, tables, charts and citations, at the end and in the middle, after plain
// paragraphs, headings, list items and an empty last paragraph. The undo body conforms to
// the discovery document and carries the insertion's revision.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { realResult } from '../bench/real-result.mjs';
import { listParagraphs } from '../src/lib/doc-outline.js';
import { anchorAfter, insertionUndo, isParagraphResult, replacementText, undoRequest } from '../src/lib/insertion.js';
import { DocsBody } from './docs-model/docs-body.mjs';
import { documentOf } from './docs-model/fixtures.mjs';
import { assertConforms, insertAtEnd } from './docs-model/harness.mjs';
import { readerView } from './docs-model/reader.mjs';

const CHART = 'https://gateway.example/v1/charts/abc.png';
const RESULTS = {
  report: {
    title: '삼성전자 개요',
    blocks: [
      { type: 'heading', level: 1, text: '삼성전자 개요' },
      { type: 'paragraph', text: '매출은 **300조**원이다.', citations: [1] },
      { type: 'bullets', items: ['영업이익 👍🏽 증가', '부채비율 하락'] },
      { type: 'table', header: ['항목', '값'], rows: [['매출', '300조'], ['영업이익', '32조']] },
      { type: 'chart', url: CHART, title: '주가' },
    ],
    citations: [{ n: 1, provider: 'DART', title: '반기보고서', url: 'https://dart.fss.or.kr/dsaf001/main.do?rcpNo=20240814003284', as_of: '2024-06-30' }],
  },
  endsWithTable: { blocks: [{ type: 'paragraph', text: '표:' }, { type: 'table', header: ['a'], rows: [['1']] }] },
  paragraph: { blocks: [{ type: 'paragraph', text: 'KOSPI는 이날 **상승** 마감했다.' }] },
};
const DOCS = {
  memo: [{ text: '시장 메모', style: { namedStyleType: 'HEADING_1' } }, { text: 'KOSPI는 상승했다.' }, { text: '끝.' }],
  list: [{ text: '할 일', style: { namedStyleType: 'HEADING_2' } }, { text: '첫째', bullet: 'BULLET_DISC_CIRCLE_SQUARE' }, { text: '둘째', bullet: 'BULLET_DISC_CIRCLE_SQUARE' }],
  emptyEnd: [{ text: '제목' }, { text: '' }],
};

const textOf = (view) => JSON.stringify(view.map((item) => item.text ?? item.table?.map((row) => row.map((cell) => cell.map((p) => p.text)))));

function insertThenUndo(items, result, n) {
  const json = documentOf(items);
  const last = n === null || n === listParagraphs(json).length - 1;
  const anchor = n === null ? null : anchorAfter(json, listParagraphs(json)[n]);
  const before = readerView(DocsBody.fromDocument(json));
  const { body, out, anchor: used } = insertAtEnd(items, result, { anchor });
  const range = insertionUndo(json, used, out);
  assert.ok(range, 'something was inserted');
  const undo = undoRequest(range, 'rev-2');
  assertConforms(undo);
  assert.equal(undo.writeControl.requiredRevisionId, 'rev-2');
  const inserted = readerView(body);
  body.applyBatch(undo.requests);
  return { before, inserted, after: readerView(body), last };
}

for (const [docName, items] of Object.entries(DOCS)) {
  for (const [resultName, result] of Object.entries(RESULTS)) {
    const places = [null, ...listParagraphs(documentOf(items)).map((_, i) => i)];
    for (const n of places) {
      test(`undo of ${resultName} inserted ${n === null ? 'at the end' : `after paragraph ${n}`} of ${docName} restores the text`, () => {
        const { before, inserted, after, last } = insertThenUndo(items, result, n);
        assert.notEqual(textOf(inserted), textOf(before));
        assert.equal(textOf(after), textOf(before));
        // the user's own paragraphs keep their styles and lists (a last list item loses its
        // bullet: see insertionUndo)
        const shape = (view) => view.map((p, i) => [p.text, p.style, last && i === view.length - 1 ? null : !!p.bullet]);
        assert.deepEqual(shape(after), shape(before));
      });
    }
  }
}

test('undo of the ~200 KB real DART result (tables) in the middle of a memo restores it', () => {
  const { result } = realResult();
  const { before, after } = insertThenUndo(DOCS.memo, result, 1);
  assert.equal(textOf(after), textOf(before));
  assert.deepEqual(after, before);
});

test('insert after a paragraph leaves that paragraph and the ones after it as they were', () => {
  const json = documentOf(DOCS.memo);
  const anchor = anchorAfter(json, listParagraphs(json)[1]);
  const { view } = insertAtEnd(DOCS.memo, RESULTS.paragraph, { anchor });
  assert.deepEqual(view.map((p) => p.text), ['시장 메모', 'KOSPI는 상승했다.', 'KOSPI는 이날 상승 마감했다.', '끝.']);
  assert.equal(view[0].style.namedStyleType, 'HEADING_1');
});

test('anchorAfter refuses a paragraph that moved or changed', () => {
  const json = documentOf(DOCS.memo);
  const p = listParagraphs(json)[1];
  assert.equal(anchorAfter(json, { ...p, startIndex: p.startIndex + 1 }), null);
  assert.deepEqual(anchorAfter(json, p), { index: p.endIndex - 1, atParagraphStart: false, inList: false, listBefore: false });
});

test('only a paragraph-sized result may replace a paragraph', () => {
  assert.equal(isParagraphResult(RESULTS.paragraph), true);
  assert.equal(isParagraphResult({ blocks: [{ type: 'paragraph', text: 'a' }, { type: 'quote', text: 'b' }] }), true);
  assert.equal(isParagraphResult(RESULTS.report), false);
  assert.equal(isParagraphResult({ blocks: [{ type: 'heading', level: 2, text: 'x' }, { type: 'paragraph', text: 'y' }] }), false);
  assert.equal(isParagraphResult({ markdown: '한 문단입니다.' }), true);
  assert.equal(isParagraphResult({ markdown: '# 제목\n\n문단' }), false);
  assert.equal(isParagraphResult({ blocks: [{ type: 'chart', url: CHART }] }), false);
  assert.equal(replacementText(RESULTS.paragraph), 'KOSPI는 이날 상승 마감했다.');
});
