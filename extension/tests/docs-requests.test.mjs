import assert from 'node:assert/strict';
import { test } from 'node:test';

import { RESET_FIELDS, replaceParagraphRequests, resultToRequests } from '../src/lib/docs-requests.js';

const reset = (startIndex, endIndex) => ({
  updateTextStyle: { range: { startIndex, endIndex }, textStyle: {}, fields: RESET_FIELDS },
});
const para = (startIndex, endIndex, namedStyleType) => ({
  updateParagraphStyle: { range: { startIndex, endIndex }, paragraphStyle: { namedStyleType }, fields: 'namedStyleType' },
});
const text = (index, t) => ({ insertText: { text: t, location: { index } } });

const DART = { n: 1, provider: 'DART', title: '사업보고서', url: 'https://dart.fss.or.kr/dsaf001/main.do?rcpNo=20240312000736', as_of: '2024-03-12' };

test('heading, paragraph with bold and a citation, and the sources list, appended after existing text', () => {
  const result = {
    blocks: [
      { type: 'heading', level: 1, text: '삼성전자 분석' },
      { type: 'paragraph', text: '매출은 **300조** 원이다[1].' },
    ],
    citations: [DART],
  };
  // the document is "Hello\n": the body's last paragraph ends at 7, its text at 6
  const { requests, startIndex, endIndex } = resultToRequests(result, { index: 6, atParagraphStart: false });
  assert.deepEqual(requests, [
    text(6, '\n삼성전자 분석'),
    text(14, '\n매출은 300조 원이다[1].'),
    text(31, '\nSources'),
    text(39, '\n[1] 사업보고서 (DART, as of 2024-03-12)'),
    reset(7, 74),
    para(7, 14, 'HEADING_1'),
    para(15, 31, 'NORMAL_TEXT'),
    { updateTextStyle: { range: { startIndex: 19, endIndex: 23 }, textStyle: { bold: true }, fields: 'bold' } },
    {
      updateTextStyle: {
        range: { startIndex: 27, endIndex: 30 },
        textStyle: { link: { url: DART.url }, baselineOffset: 'SUPERSCRIPT' },
        fields: 'link,baselineOffset',
      },
    },
    para(32, 39, 'HEADING_2'),
    para(40, 74, 'NORMAL_TEXT'),
    { updateTextStyle: { range: { startIndex: 44, endIndex: 49 }, textStyle: { link: { url: DART.url } }, fields: 'link' } },
  ]);
  assert.equal(startIndex, 7);
  assert.equal(endIndex, 74);
});

test('bullets, a table with a header row and an inline chart in an empty document; emoji count two units', () => {
  const result = {
    blocks: [
      { type: 'bullets', items: ['가', '나😀'] },
      { type: 'table', header: ['항목', '값'], rows: [['매출', '300']] },
      { type: 'chart', chart_id: 'c1' },
    ],
    charts: [{ chart_id: 'c1', url: 'http://127.0.0.1:8000/v1/charts/c1.png', title: '주가 추이', alt: '주가' }],
    citations: [],
  };
  const { requests, endIndex } = resultToRequests(result, { index: 1, atParagraphStart: true });
  const bold = (s, e) => ({ updateTextStyle: { range: { startIndex: s, endIndex: e }, textStyle: { bold: true }, fields: 'bold' } });
  assert.deepEqual(requests, [
    text(1, '가'),
    text(2, '\n나😀'),
    { insertTable: { rows: 2, columns: 2, location: { index: 6 } } },
    text(17, '300'),
    text(15, '매출'),
    text(12, '값'),
    text(10, '항목'),
    {
      insertInlineImage: {
        uri: 'http://127.0.0.1:8000/v1/charts/c1.png',
        location: { index: 26 },
        objectSize: { width: { magnitude: 468, unit: 'PT' } },
      },
    },
    text(27, '\n주가 추이'),
    reset(1, 33),
    para(1, 2, 'NORMAL_TEXT'),
    para(3, 6, 'NORMAL_TEXT'),
    { createParagraphBullets: { range: { startIndex: 1, endIndex: 6 }, bulletPreset: 'BULLET_DISC_CIRCLE_SQUARE' } },
    bold(10, 12),
    bold(14, 15),
    {
      updateParagraphStyle: {
        range: { startIndex: 26, endIndex: 27 },
        paragraphStyle: { namedStyleType: 'NORMAL_TEXT', alignment: 'CENTER' },
        fields: 'namedStyleType,alignment',
      },
    },
    para(28, 33, 'NORMAL_TEXT'),
    { updateTextStyle: { range: { startIndex: 28, endIndex: 33 }, textStyle: { italic: true }, fields: 'italic' } },
  ]);
  assert.equal(endIndex, 33);
});

test('heading levels are HEADING_1..3, links keep http(s) only, numbered lists', () => {
  const result = {
    blocks: [
      { type: 'heading', level: 3, text: 'A' },
      { type: 'heading', level: 7, text: 'B' },
      { type: 'paragraph', text: '[x](javascript:alert(1)) [y](https://example.com/a)' },
      { type: 'bullets', ordered: true, items: [{ text: 'one' }] },
    ],
  };
  const { requests } = resultToRequests(result, { index: 1, atParagraphStart: true });
  assert.deepEqual(requests, [
    text(1, 'A'),
    text(2, '\nB'),
    text(4, '\nx y'),
    text(8, '\none'),
    reset(1, 12),
    para(1, 2, 'HEADING_3'),
    para(3, 4, 'HEADING_3'),
    para(5, 8, 'NORMAL_TEXT'),
    { updateTextStyle: { range: { startIndex: 7, endIndex: 8 }, textStyle: { link: { url: 'https://example.com/a' } }, fields: 'link' } },
    para(9, 12, 'NORMAL_TEXT'),
    { createParagraphBullets: { range: { startIndex: 9, endIndex: 12 }, bulletPreset: 'NUMBERED_DECIMAL_ALPHA_ROMAN' } },
  ]);
});

test('block-level citations are appended as markers; a citation without url is superscript only', () => {
  const result = {
    blocks: [{ type: 'paragraph', text: '본문', citations: [2] }],
    citations: [{ n: 2, provider: 'upload', title: 'IR.pdf p.3', url: null, as_of: '2024-05-01' }],
  };
  const { requests } = resultToRequests(result, { index: 1, atParagraphStart: true }, { sourcesTitle: '출처', asOf: '기준일' });
  assert.deepEqual(requests, [
    text(1, '본문[2]'),
    text(6, '\n출처'),
    text(9, '\n[2] IR.pdf p.3 (upload, 기준일 2024-05-01)'),
    reset(1, 49),
    para(1, 6, 'NORMAL_TEXT'),
    { updateTextStyle: { range: { startIndex: 3, endIndex: 6 }, textStyle: { baselineOffset: 'SUPERSCRIPT' }, fields: 'baselineOffset' } },
    para(7, 9, 'HEADING_2'),
    para(10, 49, 'NORMAL_TEXT'),
  ]);
});

test('appending after a list item removes the inherited bullets first', () => {
  const { requests } = resultToRequests({ blocks: [{ type: 'paragraph', text: 'x' }] }, { index: 10, atParagraphStart: false, inList: true });
  assert.deepEqual(requests, [
    text(10, '\nx'),
    { deleteParagraphBullets: { range: { startIndex: 11, endIndex: 12 } } },
    reset(11, 12),
    para(11, 12, 'NORMAL_TEXT'),
  ]);
});

test('a table caption is a bold paragraph, and text after a table goes into the empty paragraph after it', () => {
  const result = {
    blocks: [
      { type: 'table', caption: '표', columns: ['a'], rows: [['b']] },
      { type: 'paragraph', text: 'z' },
    ],
  };
  const { requests } = resultToRequests(result, { index: 5, atParagraphStart: false });
  // caption [6,7); table at 7 starts at 8: cells a at 11, b at 14; table ends at 8+1+2*3+2 = 17
  assert.deepEqual(requests, [
    text(5, '\n표'),
    { insertTable: { rows: 2, columns: 1, location: { index: 7 } } },
    text(14, 'b'),
    text(11, 'a'),
    text(17, 'z'),
    reset(6, 18),
    para(6, 7, 'NORMAL_TEXT'),
    { updateTextStyle: { range: { startIndex: 6, endIndex: 7 }, textStyle: { bold: true }, fields: 'bold' } },
    { updateTextStyle: { range: { startIndex: 11, endIndex: 12 }, textStyle: { bold: true }, fields: 'bold' } },
    para(17, 18, 'NORMAL_TEXT'),
  ]);
});

test('replacing a paragraph deletes its text but not its newline, and carries the revision id', () => {
  const result = {
    blocks: [{ type: 'paragraph', text: '새 문장 **굵게** [2]' }],
    citations: [{ n: 2, provider: 'KRX', title: '시세', url: 'https://data.krx.co.kr/', as_of: '2024-06-28' }],
  };
  const body = replaceParagraphRequests(result, { startIndex: 20, endIndex: 31 }, 'rev-ABC');
  assert.deepEqual(body, {
    requests: [
      { deleteContentRange: { range: { startIndex: 20, endIndex: 30 } } },
      text(20, '새 문장 굵게 [2]'),
      reset(20, 31),
      { updateTextStyle: { range: { startIndex: 25, endIndex: 27 }, textStyle: { bold: true }, fields: 'bold' } },
      {
        updateTextStyle: {
          range: { startIndex: 28, endIndex: 31 },
          textStyle: { link: { url: 'https://data.krx.co.kr/' }, baselineOffset: 'SUPERSCRIPT' },
          fields: 'link,baselineOffset',
        },
      },
    ],
    writeControl: { requiredRevisionId: 'rev-ABC' },
  });
});

test('a multi-paragraph rewrite becomes several paragraphs in place; markdown is the fallback', () => {
  const body = replaceParagraphRequests({ markdown: '첫째.\n\n둘째.' }, { startIndex: 1, endIndex: 2 }, 'r1');
  assert.deepEqual(body.requests, [text(1, '첫째.\n둘째.'), reset(1, 8)]);
});

test("the orchestrator's own result shape: chart_index, its plain sources section replaced by the linked one", () => {
  // the shape of finscribe_orchestrator.assembly: heading levels up to 6, chart blocks by
  // index into result.charts, and a trailing "출처" heading + "[n] ..." bullets
  const result = {
    blocks: [
      { type: 'heading', level: 4, text: '실적' },
      { type: 'chart', chart_index: 0, title: '주가', alt: '주가 그래프', citations: [1] },
      { type: 'heading', level: 2, text: '출처' },
      { type: 'bullets', items: ['[1] KRX · 시세 (기준일 2024-06-28) https://data.krx.co.kr/'], citations: [] },
    ],
    citations: [{ n: 1, provider: 'KRX', title: '시세', url: 'https://data.krx.co.kr/', as_of: '2024-06-28' }],
    charts: [{ chart_id: 'abc', url: 'https://gw.example/v1/charts/abc.png', title: '주가', alt: '주가 그래프' }],
  };
  const { requests } = resultToRequests(result, { index: 1, atParagraphStart: true }, { sourcesTitle: '출처', asOf: '기준일' });
  assert.deepEqual(requests, [
    text(1, '실적'),
    text(3, '\n'),
    {
      insertInlineImage: {
        uri: 'https://gw.example/v1/charts/abc.png',
        location: { index: 4 },
        objectSize: { width: { magnitude: 468, unit: 'PT' } },
      },
    },
    text(5, '\n주가'),
    text(8, '\n출처'),
    text(11, '\n[1] 시세 (KRX, 기준일 2024-06-28)'),
    reset(1, 40),
    para(1, 3, 'HEADING_3'),
    {
      updateParagraphStyle: {
        range: { startIndex: 4, endIndex: 5 },
        paragraphStyle: { namedStyleType: 'NORMAL_TEXT', alignment: 'CENTER' },
        fields: 'namedStyleType,alignment',
      },
    },
    para(6, 8, 'NORMAL_TEXT'),
    { updateTextStyle: { range: { startIndex: 6, endIndex: 8 }, textStyle: { italic: true }, fields: 'italic' } },
    para(9, 11, 'HEADING_2'),
    para(12, 40, 'NORMAL_TEXT'),
    { updateTextStyle: { range: { startIndex: 16, endIndex: 18 }, textStyle: { link: { url: 'https://data.krx.co.kr/' } }, fields: 'link' } },
  ]);
});

test('the gateway fake orchestrator shape: chart object embedded in the block', () => {
  const result = { blocks: [{ type: 'chart', chart: { chart_id: 'z', url: 'http://127.0.0.1:9/v1/charts/z.png', title: '' } }] };
  const { requests } = resultToRequests(result, { index: 1, atParagraphStart: true });
  assert.equal(requests[0].insertInlineImage.uri, 'http://127.0.0.1:9/v1/charts/z.png');
  const dropped = resultToRequests({ blocks: [{ type: 'chart', chart: { chart_id: null, url: null } }] }, { index: 1, atParagraphStart: true });
  assert.deepEqual(dropped.requests, []);
});

test('with images off, a chart becomes a paragraph linking to the chart URL', () => {
  const result = { blocks: [{ type: 'chart', url: 'http://127.0.0.1:8000/v1/charts/c1.png', title: '주가 추이' }] };
  const { requests } = resultToRequests(result, { index: 5, atParagraphStart: false }, {}, { images: false });
  assert.deepEqual(requests, [
    text(5, '\n주가 추이'),
    reset(6, 11),
    para(6, 11, 'NORMAL_TEXT'),
    { updateTextStyle: { range: { startIndex: 6, endIndex: 11 }, textStyle: { link: { url: 'http://127.0.0.1:8000/v1/charts/c1.png' } }, fields: 'link' } },
  ]);
});
