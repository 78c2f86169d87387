// The extension's batchUpdate bodies: a few pinned exactly, every one checked against the
// Docs discovery document and applied to the documented Docs model (tests/docs-model/),
// whose result is compared with what a reader should see.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { PARAGRAPH_RESET_FIELDS, RESET_FIELDS, hasReplacementText, replaceParagraphRequests, resultToRequests } from '../src/lib/docs-requests.js';
import { DocsBody, DocsError } from './docs-model/docs-body.mjs';
import { documentOf } from './docs-model/fixtures.mjs';
import { LINK, SUP, assertConforms, expected, insertAtEnd, para, replaceParagraph } from './docs-model/harness.mjs';

const reset = (startIndex, endIndex) => ({
  updateTextStyle: { range: { startIndex, endIndex }, textStyle: {}, fields: RESET_FIELDS },
});
const paraReset = (startIndex, endIndex) => ({
  updateParagraphStyle: { range: { startIndex, endIndex }, paragraphStyle: { namedStyleType: 'NORMAL_TEXT' }, fields: PARAGRAPH_RESET_FIELDS },
});
const named = (startIndex, endIndex, namedStyleType) => ({
  updateParagraphStyle: { range: { startIndex, endIndex }, paragraphStyle: { namedStyleType }, fields: 'namedStyleType' },
});
const text = (index, t) => ({ insertText: { text: t, location: { index } } });
const bold = (s, e) => ({ updateTextStyle: { range: { startIndex: s, endIndex: e }, textStyle: { bold: true }, fields: 'bold' } });
const H = (n) => ({ namedStyleType: `HEADING_${n}` });

const DART = { n: 1, provider: 'DART', title: '사업보고서', url: 'https://dart.fss.or.kr/dsaf001/main.do?rcpNo=20240312000736', as_of: '2024-03-12' };

test('the main fault: a paragraph after a table goes after the unit that closes the table', () => {
  // the smallest input, appended to a document whose body is one paragraph
  const result = { blocks: [{ type: 'table', rows: [['a']] }, { type: 'paragraph', text: 'b' }] };
  const { out, view } = insertAtEnd([{ text: 'memo' }], result);
  // "memo\n" 1..6; insertTable at 5 -> "\n" at 5, table 6..12 (cell text "a" at 9), "\n" at 12
  assert.deepEqual(out.requests.slice(0, 3), [{ insertTable: { rows: 1, columns: 1, location: { index: 5 } } }, text(9, 'a'), text(12, 'b')]);
  assert.deepEqual(view, expected([para('memo'), { table: [[[para('a')]]] }, para('b')]));
  // one unit earlier is the table's closing unit, where Docs refuses text
  const body = DocsBody.fromDocument(documentOf([{ text: 'memo' }]));
  assert.throws(() => body.applyBatch([out.requests[0], out.requests[1], text(11, 'b')]), /inside the bounds of an existing paragraph/);
});

test('heading, paragraph with bold and a citation, and the sources list, appended after existing text', () => {
  const result = {
    blocks: [
      { type: 'heading', level: 1, text: '삼성전자 분석' },
      { type: 'paragraph', text: '매출은 **300조** 원이다[1].' },
    ],
    citations: [DART],
  };
  // the document is "Hello\n": the body's last paragraph ends at 7, its text at 6
  const { out, view } = insertAtEnd([{ text: 'Hello' }], result);
  assert.deepEqual(out.requests, [
    text(6, '\n삼성전자 분석'),
    text(14, '\n매출은 300조 원이다[1].'),
    text(31, '\nSources'),
    text(39, '\n[1] 사업보고서 (DART, as of 2024-03-12)'),
    reset(7, 74),
    paraReset(7, 74),
    named(7, 14, 'HEADING_1'),
    named(32, 39, 'HEADING_2'),
    bold(19, 23),
    {
      updateTextStyle: {
        range: { startIndex: 27, endIndex: 30 },
        textStyle: { link: { url: DART.url }, baselineOffset: 'SUPERSCRIPT' },
        fields: 'link,baselineOffset',
      },
    },
    { updateTextStyle: { range: { startIndex: 44, endIndex: 49 }, textStyle: { link: { url: DART.url } }, fields: 'link' } },
  ]);
  assert.equal(out.startIndex, 7);
  assert.equal(out.endIndex, 74);
  assert.deepEqual(
    view,
    expected([
      para('Hello'),
      para('삼성전자 분석', { style: H(1) }),
      para([
        ['매출은 ', {}],
        ['300조', { bold: true }],
        [' 원이다', {}],
        ['[1]', SUP(DART.url)],
        ['.', {}],
      ]),
      para('Sources', { style: H(2) }),
      para([
        ['[1] ', {}],
        ['사업보고서', LINK(DART.url)],
        [' (DART, as of 2024-03-12)', {}],
      ]),
    ]),
  );
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
  const { out, view } = insertAtEnd([{ text: '' }], result);
  assert.deepEqual(out.requests, [
    text(1, '가'),
    text(2, '\n나😀'),
    { insertTable: { rows: 2, columns: 2, location: { index: 6 } } },
    // the guide's offsets with S = 7: cell paragraphs at S+3, S+5, S+8, S+10
    text(17, '300'),
    text(15, '매출'),
    text(12, '값'),
    text(10, '항목'),
    // table 7..19 plus 8 units of cell text: the paragraph after it starts at 27
    {
      insertInlineImage: {
        uri: 'http://127.0.0.1:8000/v1/charts/c1.png',
        location: { index: 27 },
        objectSize: { width: { magnitude: 468, unit: 'PT' } },
      },
    },
    text(28, '\n주가 추이'),
    reset(1, 34),
    paraReset(1, 34),
    {
      updateParagraphStyle: {
        range: { startIndex: 27, endIndex: 28 },
        paragraphStyle: { namedStyleType: 'NORMAL_TEXT', alignment: 'CENTER' },
        fields: 'namedStyleType,alignment',
      },
    },
    bold(10, 12),
    bold(14, 15),
    { updateTextStyle: { range: { startIndex: 29, endIndex: 34 }, textStyle: { italic: true }, fields: 'italic' } },
    { createParagraphBullets: { range: { startIndex: 1, endIndex: 6 }, bulletPreset: 'BULLET_DISC_CIRCLE_SQUARE' } },
  ]);
  assert.equal(out.endIndex, 34);
  const item = { list: 'a' };
  assert.deepEqual(
    view,
    expected([
      para('가', { bullet: item }),
      para('나😀', { bullet: item }),
      {
        table: [
          [[para([['항목', { bold: true }]])], [para([['값', { bold: true }]])]],
          [[para('매출')], [para('300')]],
        ],
      },
      para('\ufffc', { style: { alignment: 'CENTER' }, images: ['http://127.0.0.1:8000/v1/charts/c1.png'] }),
      para([['주가 추이', { italic: true }]]),
    ]),
  );
});

test('fault 1: paragraph style does not leak from a centred chart or an indented quote, nor from the anchor', () => {
  const centred = { namedStyleType: 'HEADING_1', alignment: 'CENTER', indentStart: { magnitude: 72, unit: 'PT' }, spaceAbove: { magnitude: 20, unit: 'PT' } };
  const result = {
    blocks: [
      { type: 'chart', url: 'https://gw.example/c.png' },
      { type: 'paragraph', text: 'after chart' },
      { type: 'quote', text: '인용' },
      { type: 'paragraph', text: 'after quote' },
      { type: 'table', rows: [['cell']] },
    ],
  };
  const { view } = insertAtEnd([{ text: 'title', style: centred, textStyle: { link: { url: 'https://user.example/' }, fontSize: { magnitude: 20, unit: 'PT' } } }], result);
  assert.deepEqual(
    view,
    expected([
      para([['title', { link: 'https://user.example/', fontSize: { magnitude: 20, unit: 'PT' } }]], { style: centred }),
      para('\ufffc', { style: { alignment: 'CENTER' }, images: ['https://gw.example/c.png'] }),
      para('after chart'),
      para('인용', { style: { indentStart: { magnitude: 36, unit: 'PT' } } }),
      para('after quote'),
      { table: [[[para('cell')]]] },
    ]),
  );
});

test('fault 2: characters Docs strips never reach a request; sources strings are cleaned and kept on one line', () => {
  const result = {
    blocks: [
      { type: 'quote', text: '\uf0b7 첫째 항목 \u0007[1]' },
      { type: 'paragraph', text: '칩\ue907 뒤 **굵게**' },
    ],
    citations: [{ n: 1, provider: 'upload\u0001', title: '보고서\n2부\uf0b7', url: 'https://example.com/r', as_of: '2024\u0002-05' }],
  };
  const { out, view } = insertAtEnd([{ text: 'mine' }], result, { labels: { sourcesTitle: '출처', asOf: '기준일' } });
  for (const r of out.requests) if (r.insertText) assert.doesNotMatch(r.insertText.text, /[\u0000-\u0008\u000c-\u001f\ue000-\uf8ff]/u);
  assert.deepEqual(
    view,
    expected([
      para('mine'),
      para([['첫째 항목 ', {}], ['[1]', SUP('https://example.com/r')]], { style: { indentStart: { magnitude: 36, unit: 'PT' } } }),
      para([['칩 뒤 ', {}], ['굵게', { bold: true }]]),
      para('출처', { style: H(2) }),
      para([['[1] ', {}], ['보고서 2부', LINK('https://example.com/r')], [' (upload, 기준일 2024-05)', {}]]),
    ]),
  );
});

test('fault 3: a bullet item or paragraph that renders to no text writes nothing', () => {
  const result = {
    blocks: [
      { type: 'bullets', items: ['[](https://x.example)', 'real'] },
      { type: 'bullets', items: ['[](https://x.example)'] },
      { type: 'paragraph', text: '[](https://x.example)' },
      { type: 'paragraph', text: 'end' },
    ],
  };
  const { out, view } = insertAtEnd([{ text: 'mine' }], result);
  for (const r of out.requests) if (r.createParagraphBullets) assert.ok(r.createParagraphBullets.range.endIndex > r.createParagraphBullets.range.startIndex);
  assert.deepEqual(view, expected([para('mine'), para('real', { bullet: { list: 'a' } }), para('end')]));
});

test('fault 4: a link whose label is a number is a link, not a citation', () => {
  const result = { blocks: [{ type: 'paragraph', text: '증가[1](https://example.com/src) 및 [1,234](https://example.com/x) 그리고 인용[1]' }], citations: [DART] };
  const { view } = insertAtEnd([{ text: '' }], result);
  assert.deepEqual(view[0], para([
    ['증가', {}],
    ['1', LINK('https://example.com/src')],
    [' 및 ', {}],
    ['1,234', LINK('https://example.com/x')],
    [' 그리고 인용', {}],
    ['[1]', SUP(DART.url)],
  ]));
});

test('fault 5 and 6: a null citation is skipped; an unsafe citation URL is never linked', () => {
  const citations = [null, { n: 2, title: 't', url: 'javascript:alert(1)' }, { n: 'x' }];
  const result = { blocks: [{ type: 'paragraph', text: '본문[2]' }], citations };
  const { view } = insertAtEnd([{ text: '' }], result);
  assert.deepEqual(view.slice(0, 1), [para([['본문', {}], ['[2]', SUP(null)]])]);
  assert.deepEqual(view[2], para('[2] t'));
  const { view: replaced } = replaceParagraph([{ text: 'old' }], 0, result);
  assert.deepEqual(replaced, expected([para([['본문', {}], ['[2]', SUP(null)]])]));
});

test('fault 7: Replace only for results with text; a chart-only result is refused', () => {
  const chartOnly = { blocks: [{ type: 'chart', url: 'https://gw.example/c.png' }], markdown: '![chart](https://gw.example/c.png)' };
  assert.equal(hasReplacementText(chartOnly), false);
  assert.throws(() => replaceParagraphRequests(chartOnly, { startIndex: 1, endIndex: 5 }, 'r1'), /no text/);
  assert.equal(hasReplacementText({ blocks: [{ type: 'table', rows: [['a']] }], markdown: '| a |' }), false);
  // the orchestrator's chart result: heading, chart, table, sources
  const chartResult = {
    blocks: [
      { type: 'heading', level: 1, text: '종가 추이' },
      { type: 'chart', url: 'https://gw.example/c.png' },
      { type: 'table', header: ['날짜', '종가'], rows: [['2024-01-02', '79,600']] },
      { type: 'heading', level: 2, text: '출처' },
      { type: 'bullets', items: ['[1] Yahoo · 005930.KS'] },
    ],
    citations: [{ n: 1, provider: 'Yahoo', title: '005930.KS', url: 'https://finance.yahoo.com/quote/005930.KS' }],
    markdown: '# 종가 추이\n\n![종가 추이](https://gw.example/c.png)',
  };
  assert.equal(hasReplacementText(chartResult), false);
  assert.equal(hasReplacementText({ markdown: '# 제목\n\n- 항목 **굵게**' }), true);
  const { view } = replaceParagraph([{ text: 'old' }, { text: 'keep' }], 0, { markdown: '# 제목\n\n- 항목 **굵게**\n\n![c](https://x/c.png)\n\n| a | b |' });
  assert.deepEqual(view, expected([para('제목'), para([['항목 ', {}], ['굵게', { bold: true }]]), para('keep')]));
});

test('fault 8: adjacent lists stay apart, a list after the user list item starts anew, tabs nest', () => {
  const result = {
    blocks: [
      { type: 'bullets', ordered: true, items: ['one', 'two'] },
      { type: 'bullets', ordered: true, items: ['\t**lead tab**', { text: 'parent', items: [{ text: 'child', items: ['grandchild'] }] }] },
    ],
  };
  const { view, out } = insertAtEnd([{ text: 'mine', bullet: 'NUMBERED_DECIMAL_ALPHA_ROMAN' }], result);
  const first = { list: 'r1', ordered: true };
  const second = { list: 'r2', ordered: true };
  assert.deepEqual(
    view,
    expected([
      para('mine', { bullet: { list: 'user', ordered: true } }),
      para(''),
      para('one', { bullet: first }),
      para('two', { bullet: first }),
      para([['lead tab', { bold: true }]], { bullet: second }),
      para('parent', { bullet: second }),
      para('child', { bullet: { ...second, level: 1 } }),
      para('grandchild', { bullet: { ...second, level: 2 } }),
    ]),
  );
  // the returned end is after Docs removed the nesting tabs
  assert.equal(out.endIndex, view.reduce((n, p) => n + p.text.length + 1, 1) - 1);
});

test('fault 9: a heading without a level is HEADING_2; italic around bold and bold around italic', () => {
  const result = {
    blocks: [
      { type: 'heading', level: null, text: 'A' },
      { type: 'heading', level: 7, text: 'B' },
      { type: 'paragraph', text: '*기울임 **둘 다** 기울임* **굵게 *둘 다***' },
      { type: 'paragraph', text: '***모두*** [x](javascript:alert(1)) [y](https://example.com/a)' },
    ],
  };
  const { view } = insertAtEnd([{ text: '' }], result);
  assert.deepEqual(
    view,
    expected([
      para('A', { style: H(2) }),
      para('B', { style: H(3) }),
      para([
        ['기울임 ', { italic: true }],
        ['둘 다', { italic: true, bold: true }],
        [' 기울임', { italic: true }],
        [' ', {}],
        ['굵게 ', { bold: true }],
        ['둘 다', { bold: true, italic: true }],
      ]),
      para([
        ['모두', { bold: true, italic: true }],
        [' x ', {}],
        ['y', LINK('https://example.com/a')],
      ]),
    ]),
  );
});

test('block-level citations are appended as markers; a citation without url is superscript only', () => {
  const result = {
    blocks: [{ type: 'paragraph', text: '본문', citations: [2] }],
    citations: [{ n: 2, provider: 'upload', title: 'IR.pdf p.3', url: null, as_of: '2024-05-01' }],
  };
  const { view } = insertAtEnd([{ text: '' }], result, { labels: { sourcesTitle: '출처', asOf: '기준일' } });
  assert.deepEqual(
    view,
    expected([para([['본문', {}], ['[2]', SUP(null)]]), para('출처', { style: H(2) }), para('[2] IR.pdf p.3 (upload)') /* an upload's date is not a 기준일 */]),
  );
});

test('appending after a list item removes the inherited bullets first', () => {
  const { out, view } = insertAtEnd([{ text: 'item', bullet: 'BULLET_DISC_CIRCLE_SQUARE' }], { blocks: [{ type: 'paragraph', text: 'x' }] });
  assert.deepEqual(out.requests.slice(0, 2), [text(5, '\nx'), { deleteParagraphBullets: { range: { startIndex: 6, endIndex: 7 } } }]);
  assert.deepEqual(view, expected([para('item', { bullet: { list: 'u' } }), para('x')]));
});

test('into an empty paragraph after a table, and inside a table cell', () => {
  const result = { blocks: [{ type: 'heading', level: 2, text: '제목' }, { type: 'chart', url: 'https://gw.example/c.png', title: '차트' }] };
  const { view } = insertAtEnd([{ text: 'a' }, { table: [['x', 'y']] }, { text: '' }], result);
  assert.deepEqual(
    view,
    expected([
      para('a'),
      { table: [[[para('x')], [para('y')]]] },
      para('제목', { style: H(2) }),
      para('\ufffc', { style: { alignment: 'CENTER' }, images: ['https://gw.example/c.png'] }),
      para([['차트', { italic: true }]]),
    ]),
  );
  // "a\n" 1..3, table 3..12: cell (0,1) paragraph "y\n" at 9..11, the anchor is before its newline
  const inCell = insertAtEnd([{ text: 'a' }, { table: [['x', 'y']] }, { text: '' }], { blocks: [{ type: 'paragraph', text: '**셀**' }] }, {
    anchor: { index: 10, atParagraphStart: false, inList: false },
  });
  assert.deepEqual(inCell.view, expected([para('a'), { table: [[[para('x')], [para('y'), para([['셀', { bold: true }]])]]] }]));
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
      bold(25, 27),
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
  assertConforms(body);
});

test('rewrite in place of a paragraph holding emoji and a smart chip keeps its style and its neighbours', () => {
  const style = { namedStyleType: 'HEADING_3', alignment: 'END' };
  const doc = [{ text: 'before' }, { text: '👨‍👩‍👧 팀 🇰🇷', chip: 'Doc link', style }, { text: 'after' }];
  const { view } = replaceParagraph(doc, 1, { blocks: [{ type: 'paragraph', text: '새 👍🏽 \ue907칩 **굵게**' }, { type: 'paragraph', text: '둘째' }] });
  assert.deepEqual(view, expected([para('before'), para([['새 👍🏽 칩 ', {}], ['굵게', { bold: true }]], { style }), para('둘째', { style }), para('after')]));
});

test('the orchestrator result shape: chart_index, its plain sources section replaced by the linked one', () => {
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
  const { view } = insertAtEnd([{ text: '' }], result, { labels: { sourcesTitle: '출처', asOf: '기준일' } });
  assert.deepEqual(
    view,
    expected([
      para('실적', { style: H(3) }),
      para('\ufffc', { style: { alignment: 'CENTER' }, images: ['https://gw.example/v1/charts/abc.png'] }),
      para([['주가', { italic: true }]]),
      para('출처', { style: H(2) }),
      para([['[1] ', {}], ['시세', LINK('https://data.krx.co.kr/')], [' (KRX, 기준일 2024-06-28)', {}]]),
    ]),
  );
});

test('the gateway fake orchestrator shape: chart object embedded in the block; with images off a chart is a link', () => {
  const result = { blocks: [{ type: 'chart', chart: { chart_id: 'z', url: 'http://127.0.0.1:9/v1/charts/z.png', title: '' } }] };
  const { out } = insertAtEnd([{ text: '' }], result);
  assert.equal(out.requests[0].insertInlineImage.uri, 'http://127.0.0.1:9/v1/charts/z.png');
  const dropped = resultToRequests({ blocks: [{ type: 'chart', chart: { chart_id: null, url: null } }] }, { index: 1, atParagraphStart: true });
  assert.deepEqual(dropped.requests, []);
  const links = { blocks: [{ type: 'chart', url: 'http://127.0.0.1:8000/v1/charts/c1.png', title: '주가 추이' }] };
  const { view } = insertAtEnd([{ text: 'memo' }], links, { images: false });
  assert.deepEqual(view, expected([para('memo'), para([['주가 추이', LINK('http://127.0.0.1:8000/v1/charts/c1.png')]])]));
});

test('the model refuses what Docs refuses: a batch built with the old table arithmetic', () => {
  // the pre-fix builder wrote after a table at tableStart + 1 + R*(2C+1): the closing unit
  const body = DocsBody.fromDocument(documentOf([{ text: 'x' }]));
  const tableStart = 3;
  assert.throws(
    () => body.applyBatch([{ insertTable: { rows: 2, columns: 3, location: { index: 2 } } }, text(tableStart + 1 + 2 * 7, '\nafter')]),
    DocsError,
  );
});
