// Property-based: realistic results (Korean and English, emoji with ZWJ sequences and flags,
// astral characters, bold/italic/links/citations, headings 1-6, quotes, bullets and numbered
// lists, nested items, tables of 1-150 rows x 1-6 columns, charts) are generated as the
// document a reader should get, then written out as the result JSON an orchestrator would
// send. The oracle is that generated document, never the extension's code: the extension's
// requests must conform to the discovery document and, applied to the documented Docs model,
// give exactly that document, with the rest of the document untouched.
//
// `make test` runs FC_RUNS (default 1,000) insertion cases and half as many rewrites, seeded
// (FC_SEED, default below) so a failure replays; FC_RUNS=20000 runs more.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import fc from 'fast-check';

import { hasReplacementText } from '../src/lib/docs-requests.js';
import { documentOf } from './docs-model/fixtures.mjs';
import { LINK, SUP, expected, insertAtEnd, para, replaceParagraph } from './docs-model/harness.mjs';

const RUNS = Number(process.env.FC_RUNS ?? 1000);
const SEED = Number(process.env.FC_SEED ?? 20261130);

// ---------- words: what the markdown says (md) and what a reader sees (text) ----------

const plainWords = ['매출', '영업이익', '증가했다', '삼성전자', '전년', 'revenue', 'grew', 'Q3', '2024년', '1,234', '△5.2%', '300조', '%p', 'KOSPI'];
const emoji = ['😀', '👨‍👩‍👧', '🇰🇷', '👍🏽', '𝒳', '𠀀', '🧑🏻‍💻'];
// characters Docs strips from inserted text, inside a word: the reader never sees them
const stripped = ['매\uf0b7출', '칩\ue907', '가\u0007나', 'a\u001fb'].map((md) => ({ md, text: md.replace(/[\u0000-\u0008\u000c-\u001f\ue000-\uf8ff]/g, '') }));
const specials = ['*', '_', '[', ']', '(', ')', '`', '\\', '#', '|', '-', '<', '&', '"'].map((c) => ({ md: /[\\`*_[\]()]/.test(c) ? `\\${c}` : c, text: c }));
const word = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...plainWords).map((w) => ({ md: w, text: w })) },
  { weight: 2, arbitrary: fc.constantFrom(...emoji).map((w) => ({ md: w, text: w })) },
  { weight: 1, arbitrary: fc.constantFrom(...stripped) },
  { weight: 1, arbitrary: fc.constantFrom(...specials) },
);
const labelWord = fc.constantFrom(...plainWords, ...emoji, '1', '2', '1,234').map((w) => ({ md: w, text: w }));
const words = (arb = word) => fc.array(arb, { minLength: 1, maxLength: 3 }).map((ws) => ({ md: ws.map((w) => w.md).join(' '), text: ws.map((w) => w.text).join(' ') }));

const SAFE_URLS = ['https://dart.fss.or.kr/dsaf001/main.do?rcpNo=20240312000736', 'https://finance.yahoo.com/quote/005930.KS', 'http://example.com/a_b'];
const UNSAFE_URLS = ['javascript:alert(1)', 'data:text/html,x', 'ftp://example.com/f'];

// ---------- inline segments: {md, runs: [[text, style]]} ----------

function segment(citations) {
  const plain = words().map((w) => ({ md: w.md, runs: [[w.text, {}]] }));
  const wrap = (open, close, style) => words().map((w) => ({ md: `${open}${w.md}${close}`, runs: [[w.text, style]] }));
  const nested = (outer, inner, outerStyle) =>
    fc.tuple(words(), words(), words()).map(([a, b, c]) => ({
      md: `${outer}${a.md} ${inner}${b.md}${inner} ${c.md}${outer}`,
      runs: [
        [`${a.text} `, outerStyle],
        [b.text, { bold: true, italic: true }],
        [` ${c.text}`, outerStyle],
      ],
    }));
  const link = fc.tuple(fc.array(labelWord, { minLength: 0, maxLength: 2 }), fc.constantFrom(...SAFE_URLS, ...UNSAFE_URLS)).map(([label, url]) => {
    const text = label.map((w) => w.text).join(' ');
    const safe = SAFE_URLS.includes(url);
    return { md: `[${label.map((w) => w.md).join(' ')}](${url})`, runs: [[text, safe ? LINK(new URL(url).href) : {}]] };
  });
  const options = [
    { weight: 5, arbitrary: plain },
    { weight: 2, arbitrary: wrap('**', '**', { bold: true }) },
    { weight: 2, arbitrary: wrap('*', '*', { italic: true }) },
    { weight: 1, arbitrary: wrap('***', '***', { bold: true, italic: true }) },
    { weight: 1, arbitrary: nested('*', '**', { italic: true }) },
    { weight: 1, arbitrary: nested('**', '*', { bold: true }) },
    { weight: 2, arbitrary: link },
  ];
  if (citations.length) {
    const cite = fc.array(fc.constantFrom(...citations), { minLength: 1, maxLength: 2 }).map((cs) => ({
      md: `[${cs.map((c) => c.n).join(', ')}]`,
      runs: cs.map((c) => [`[${c.n}]`, SUP(SAFE_URLS.includes(c.url) ? new URL(c.url).href : null)]),
    }));
    options.push({ weight: 2, arbitrary: cite });
  }
  return fc.oneof(...options);
}

/** A line of inline markdown and the runs a reader sees: segments joined by spaces. */
const line = (citations, max = 4) =>
  fc.array(segment(citations), { minLength: 1, maxLength: max }).map((segs) => {
    const runs = [];
    segs.forEach((s, i) => {
      if (i) runs.push([' ', {}]);
      runs.push(...s.runs);
    });
    return { md: segs.map((s) => s.md).join(' '), runs };
  });

const textOf = (runs) => runs.map(([t]) => t).join('');

/** Runs without their leading spaces and tabs (a list item's leading tabs are Docs' nesting). */
function trimRuns(runs) {
  const out = runs.filter(([t]) => t).map(([t, s]) => [t, s]);
  while (out.length && /^[ \t]/.test(out[0][0])) {
    out[0][0] = out[0][0].replace(/^[ \t]+/, '');
    if (!out[0][0]) out.shift();
  }
  return out;
}

// ---------- blocks: {block (the result JSON), items (what a reader sees)} ----------

const simpleText = fc.array(fc.constantFrom(...plainWords, ...emoji), { minLength: 1, maxLength: 3 }).map((ws) => ws.join(' '));

function blockArb(citations) {
  const heading = fc.tuple(fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constant(null)), line(citations)).map(([level, l]) => ({
    block: { type: 'heading', level, text: l.md },
    items: textOf(l.runs) ? [para(l.runs, { style: { namedStyleType: `HEADING_${level === null ? 2 : Math.min(level, 3)}` } })] : [],
  }));
  const paragraph = fc.tuple(fc.constantFrom('paragraph', 'quote'), line(citations, 6)).map(([type, l]) => ({
    block: { type, text: l.md },
    items: textOf(l.runs) ? [para(l.runs, { style: type === 'quote' ? { indentStart: { magnitude: 36, unit: 'PT' } } : {} })] : [],
  }));
  const item = (depth) =>
    fc.tuple(line(citations, 2), fc.constantFrom('', '', '', ' ', '\t'), depth < 2 ? fc.array(fc.constant(null), { maxLength: 2 }) : fc.constant([])).chain(([l, lead, kids]) =>
      fc.tuple(fc.constant({ l, lead }), fc.tuple(...kids.map(() => item(depth + 1)))),
    );
  const bullets = fc.tuple(fc.boolean(), fc.array(item(0), { minLength: 1, maxLength: 4 })).map(([ordered, tops]) => {
    const list = { ordered, key: Symbol('list') };
    const reader = [];
    const toJson = ([{ l, lead }, kids], level) => {
      const runs = trimRuns(l.runs);
      if (textOf(runs)) reader.push(para(runs, { bullet: { list: list.key, level: Math.min(level, 8), ordered } }));
      const children = kids.map((k) => toJson(k, level + 1));
      const md = `${lead}${l.md}`;
      return children.length ? { text: md, items: children } : md;
    };
    const jsonItems = tops.map((t) => toJson(t, 0));
    return { block: { type: 'bullets', ordered, items: jsonItems }, items: reader, list: reader.length > 0 };
  });
  const cell = fc.oneof({ weight: 1, arbitrary: fc.constant({ md: '', runs: [] }) }, { weight: 4, arbitrary: line(citations, 2) });
  const table = fc
    .tuple(fc.integer({ min: 1, max: 150 }), fc.integer({ min: 1, max: 6 }), fc.boolean(), fc.option(simpleText, { nil: '' }))
    .chain(([rows, cols, header, caption]) =>
      fc.tuple(
        fc.constant({ header, caption }),
        header ? fc.array(cell, { minLength: cols, maxLength: cols }) : fc.constant(null),
        fc.array(fc.array(cell, { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows }),
      ),
    )
    .map(([{ caption }, head, rows]) => {
      const cellItems = (c, bold) => (textOf(c.runs) ? [para(c.runs.map(([t, s]) => [t, bold ? { ...s, bold: true } : s]))] : [para('')]);
      const all = head ? [head, ...rows] : rows;
      const items = [];
      if (caption) items.push(para([[caption, { bold: true }]]));
      items.push({ table: all.map((row, r) => row.map((c) => cellItems(c, head && r === 0))) });
      const block = { type: 'table', rows: rows.map((row) => row.map((c) => c.md)), caption };
      if (head) block.header = head.map((c) => c.md);
      return { block, items };
    });
  const chart = fc.tuple(fc.constantFrom(...SAFE_URLS.map((u) => `${u}/chart.png`)), fc.option(simpleText, { nil: '' })).map(([url, title]) => ({
    block: { type: 'chart', url, title },
    items: [para('\ufffc', { style: { alignment: 'CENTER' }, images: [new URL(url).href] }), ...(title ? [para([[title, { italic: true }]])] : [])],
  }));
  const kinds = [
    { weight: 2, arbitrary: heading },
    { weight: 4, arbitrary: paragraph },
    { weight: 3, arbitrary: bullets },
    { weight: 1, arbitrary: chart },
    { weight: 1, arbitrary: table },
  ];
  return fc.oneof(...kinds);
}

const citationArb = fc
  .array(
    fc.record({
      provider: fc.constantFrom('DART', 'KRX', 'Yahoo', 'upload'),
      title: fc.constantFrom('사업보고서', '시세\n2부', 'IR.pdf p.3\uf0b7', 'Annual report 😀'),
      url: fc.constantFrom(...SAFE_URLS, null, 'javascript:alert(1)'),
      as_of: fc.constantFrom('2024-03-12', '', '2024-06-28'),
    }),
    { maxLength: 3 },
  )
  .map((cs) => cs.map((c, i) => ({ n: i + 1, ...c })));

/** The sources list a reader gets (README: "[n] title (provider, as of date)", title linked). */
function sourcesItems(citations) {
  if (!citations.length) return [];
  const one = (s) => String(s ?? '').replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\ue000-\uf8ff]/g, '').replace(/\s+/g, ' ').trim();
  return [
    para('Sources', { style: { namedStyleType: 'HEADING_2' } }),
    ...citations.map((c) => {
      const title = one(c.title) || one(c.provider);
      // an upload has no date of its own: never "as of" (issue 20 point 7)
      const upload = c.provider === 'upload';
      const meta = [one(c.provider), c.as_of && !upload ? `as of ${c.as_of}` : ''].filter((s) => s && s !== title).join(', ');
      const url = SAFE_URLS.includes(c.url) ? new URL(c.url).href : null;
      return para([
        [`[${c.n}] `, {}],
        [title, url ? LINK(url) : {}],
        [meta ? ` (${meta})` : '', {}],
      ]);
    }),
  ];
}

// ---------- documents to write into ----------

const IMG = 'https://example.com/user-image.png';
const DOCS = {
  empty: { items: [{ text: '' }], keep: 0 },
  'ends in a list item': { items: [{ text: '메모' }, { text: '내 항목 1', bullet: 'BULLET_DISC_CIRCLE_SQUARE' }, { text: 'item 2', bullet: 'NUMBERED_DECIMAL_ALPHA_ROMAN' }], keep: 3, listBefore: true },
  'ends in an empty list item': { items: [{ text: 'a', bullet: 'BULLET_DISC_CIRCLE_SQUARE' }, { text: '', bullet: 'BULLET_DISC_CIRCLE_SQUARE' }], keep: 1, listBefore: true },
  'ends in a table': { items: [{ text: '표 앞' }, { table: [['a', 'b'], ['c', '']] }, { text: '' }], keep: 2 },
  'ends in a centred image': { items: [{ text: 'x' }, { text: '', image: IMG, style: { namedStyleType: 'NORMAL_TEXT', alignment: 'CENTER' } }], keep: 2 },
  'ends in a quote': { items: [{ text: '인용문', style: { namedStyleType: 'NORMAL_TEXT', indentStart: { magnitude: 36, unit: 'PT' }, indentFirstLine: { magnitude: 18, unit: 'PT' } } }], keep: 1 },
  'ends in a link': { items: [{ text: '링크', textStyle: { link: { url: 'https://user.example/' }, underline: true, bold: true } }], keep: 1 },
  'ends in a heading': { items: [{ text: 'Title', style: { namedStyleType: 'HEADING_1', spaceAbove: { magnitude: 24, unit: 'PT' } } }], keep: 1 },
};

/** What a reader sees of the untouched document, in the same form as the expectations. */
function docItems(items) {
  return items.map((it) => {
    if (it.table) return { table: it.table.map((row) => row.map((c) => [para(c)])) };
    const style = {};
    const ts = it.textStyle ?? {};
    if (ts.bold) style.bold = true;
    if (ts.underline) style.underline = true;
    if (ts.link) style.link = ts.link.url;
    const text = `${it.text}${it.image ? '\ufffc' : ''}`;
    const runs = it.text ? [[it.text, style]] : [];
    if (it.image) runs.push(['\ufffc', {}]);
    return para(runs.length ? runs : text, {
      style: it.style ?? {},
      bullet: it.bullet ? { list: `user-${it.bullet}`, ordered: it.bullet.startsWith('NUMBERED') } : null,
      images: it.image ? [it.image] : null,
    });
  });
}

function resultArb() {
  return citationArb.chain((citations) => fc.tuple(fc.constant(citations), fc.array(blockArb(citations), { minLength: 1, maxLength: 6 })));
}

const params = { numRuns: RUNS, seed: SEED };

test(`insert at the end of documents of every kind: ${RUNS} generated results`, () => {
  fc.assert(
    fc.property(fc.constantFrom(...Object.keys(DOCS)), resultArb(), (kind, [citations, blocks]) => {
      const doc = DOCS[kind];
      const result = { blocks: blocks.map((b) => b.block), citations };
      const { view } = insertAtEnd(doc.items, result);
      const written = [...blocks.flatMap((b) => b.items), ...sourcesItems(citations)];
      const firstList = blocks.find((b) => b.items.length)?.list;
      const separator = doc.listBefore && firstList ? [para('')] : [];
      const before = docItems(doc.items.slice(0, doc.keep));
      const want = written.length ? [...before, ...separator, ...written] : docItems(doc.items);
      assert.deepEqual(view, expected(want));
    }),
    params,
  );
});

// Tables inside a cell too: the documentation forbids tables in footnotes and equations only.
test(`insert inside a table cell: ${Math.ceil(RUNS / 4)} generated results`, () => {
  const items = [{ text: '앞' }, { table: [['셀 A', '셀 B']] }, { text: '뒤' }];
  const json = documentOf(items);
  const cell = json.body.content[2].table.tableRows[0].tableCells[1].content[0];
  fc.assert(
    fc.property(resultArb(), ([citations, blocks]) => {
      const result = { blocks: blocks.map((b) => b.block), citations };
      const { view } = insertAtEnd(items, result, { anchor: { index: cell.endIndex - 1, atParagraphStart: false, inList: false } });
      const written = [...blocks.flatMap((b) => b.items), ...sourcesItems(citations)];
      const want = [para('앞'), { table: [[[para('셀 A')], [para('셀 B'), ...written]]] }, para('뒤')];
      assert.deepEqual(view, expected(want));
    }),
    { ...params, numRuns: Math.ceil(RUNS / 4) },
  );
});

test(`rewrite in place of paragraphs holding emoji and chip placeholders: ${Math.ceil(RUNS / 2)} generated results`, () => {
  const styles = [{ namedStyleType: 'NORMAL_TEXT' }, { namedStyleType: 'HEADING_2', alignment: 'CENTER' }, { namedStyleType: 'NORMAL_TEXT', indentStart: { magnitude: 36, unit: 'PT' } }];
  const paragraphArb = fc.record({
    text: fc.array(fc.constantFrom(...plainWords, ...emoji), { minLength: 1, maxLength: 4 }).map((ws) => ws.join(' ')),
    chip: fc.option(fc.constant('회의록'), { nil: undefined }),
    style: fc.constantFrom(...styles),
  });
  const textBlock = (citations) =>
    fc.tuple(fc.constantFrom('paragraph', 'heading', 'bullets'), line(citations, 4), fc.boolean()).map(([type, l, chip]) => {
      // Docs' smart-chip placeholder, copied into the text the rewrite started from
      const md = chip ? `${l.md}\ue907` : l.md;
      if (type === 'bullets') return { block: { type, items: [md] }, runs: l.runs };
      return { block: { type, level: 2, text: md }, runs: l.runs };
    });
  fc.assert(
    fc.property(
      fc.array(paragraphArb, { minLength: 1, maxLength: 4 }),
      fc.nat(),
      citationArb.chain((citations) => fc.tuple(fc.constant(citations), fc.array(textBlock(citations), { minLength: 1, maxLength: 3 }))),
      (paragraphs, pick, [citations, blocks]) => {
        const n = pick % paragraphs.length;
        const result = { blocks: blocks.map((b) => b.block), citations };
        // headings alone (as in a chart result) are no text to replace a paragraph with
        const hasBody = blocks.some((b) => b.block.type !== 'heading');
        const visible = hasBody ? blocks.map((b) => b.runs).filter((runs) => textOf(runs)) : [];
        if (visible.length === 0) {
          assert.equal(hasReplacementText(result), false);
          return;
        }
        const { view } = replaceParagraph(paragraphs, n, result);
        const want = paragraphs.flatMap((p, i) =>
          i === n ? visible.map((runs) => para(runs, { style: p.style })) : [para([[p.text, {}], [p.chip ? '\ufffd' : '', {}]], { style: p.style })],
        );
        assert.deepEqual(view, expected(want));
      },
    ),
    { ...params, numRuns: Math.ceil(RUNS / 2) },
  );
});
