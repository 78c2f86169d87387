// The documented Docs body model (tests/docs-model/docs-body.mjs) against Google's own
// words and worked examples, before it is trusted to judge the extension's requests.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { DocsBody, DocsError, LINK_COLOR } from './docs-model/docs-body.mjs';
import { readerView } from './docs-model/reader.mjs';
import { documentOf, paragraphsOf } from './docs-model/fixtures.mjs';

const emptyDoc = () => DocsBody.fromDocument(documentOf([{ text: '' }]));

test("Work with tables: the guide's 2x2 offset table, value by value", () => {
  // Google Docs API guide "Work with tables" (developers.google.com/workspace/docs/api/how-tos/tables):
  // "The following table shows the index offsets for each structural element in a 2x2
  //  table, assuming the table starts at index S and all cells are empty (each containing
  //  only a single newline character of length 1)."
  //   Element            Path                       Start  End
  //   Table              /                          S      S + 12
  //   TableRow 0         /rows[0]                   S + 1  S + 6
  //   TableCell (0,0)    /rows[0]/cells[0]          S + 2  S + 4
  //   Paragraph          /rows[0]/cells[0]/p[0]     S + 3  S + 4
  //   TableCell (0,1)    /rows[0]/cells[1]          S + 4  S + 6
  //   Paragraph          /rows[0]/cells[1]/p[0]     S + 5  S + 6
  //   TableRow 1         /rows[1]                   S + 6  S + 11
  //   TableCell (1,0)    /rows[1]/cells[0]          S + 7  S + 9
  //   Paragraph          /rows[1]/cells[0]/p[0]     S + 8  S + 9
  //   TableCell (1,1)    /rows[1]/cells[1]          S + 9  S + 11
  //   Paragraph          /rows[1]/cells[1]/p[0]     S + 10 S + 11
  const body = emptyDoc();
  // InsertTableRequest.location: "the table start index will be at the specified location index + 1"
  body.applyBatch([{ insertTable: { rows: 2, columns: 2, location: { index: 1 } } }]);
  const content = body.toDocument().body.content;
  const table = content.find((e) => e.table);
  const S = 2;
  const at = (e) => [e.startIndex - S, e.endIndex - S];
  assert.deepEqual(at(table), [0, 12]);
  const [row0, row1] = table.table.tableRows;
  assert.deepEqual(at(row0), [1, 6]);
  assert.deepEqual(at(row0.tableCells[0]), [2, 4]);
  assert.deepEqual(at(row0.tableCells[0].content[0]), [3, 4]);
  assert.deepEqual(at(row0.tableCells[1]), [4, 6]);
  assert.deepEqual(at(row0.tableCells[1].content[0]), [5, 6]);
  assert.deepEqual(at(row1), [6, 11]);
  assert.deepEqual(at(row1.tableCells[0]), [7, 9]);
  assert.deepEqual(at(row1.tableCells[0].content[0]), [8, 9]);
  assert.deepEqual(at(row1.tableCells[1]), [9, 11]);
  assert.deepEqual(at(row1.tableCells[1].content[0]), [10, 11]);
  // the newline inserted before the table, then the paragraph that held index 1 after it
  assert.deepEqual(
    content.filter((e) => e.paragraph).map((e) => [e.startIndex, e.endIndex]),
    [
      [1, 2],
      [S + 12, S + 13],
    ],
  );
});

test('an empty R x C table occupies 2 + R*(2C+1) units; the next paragraph starts after the closing unit', () => {
  for (const [rows, columns] of [
    [1, 1],
    [3, 2],
    [2, 6],
  ]) {
    const body = emptyDoc();
    body.applyBatch([{ insertTable: { rows, columns, location: { index: 1 } } }]);
    const content = body.toDocument().body.content;
    const table = content.find((e) => e.table);
    assert.equal(table.endIndex - table.startIndex, 2 + rows * (2 * columns + 1));
    assert.equal(content[content.length - 1].startIndex, table.endIndex);
  }
  // the maintainer check: a 1x1 table at index 1 of an empty document, next paragraph at 7
  const body = emptyDoc();
  body.applyBatch([{ insertTable: { rows: 1, columns: 1, location: { index: 1 } } }]);
  assert.equal(body.toDocument().body.content.at(-1).startIndex, 7);
});

test('text cannot be inserted at a table start, its closing unit or a structural unit; the batch is all or nothing', () => {
  const body = emptyDoc();
  body.applyBatch([{ insertTable: { rows: 1, columns: 1, location: { index: 1 } } }]);
  // 1: "\n", 2: table, 3: row, 4: cell, 5: "\n" (cell), 6: closing unit, 7: "\n"
  for (const index of [0, 2, 3, 4, 6, 8]) {
    assert.throws(() => body.copy().applyBatch([{ insertText: { text: 'x', location: { index } } }]), DocsError, `index ${index}`);
  }
  for (const index of [1, 5, 7]) body.copy().applyBatch([{ insertText: { text: 'x', location: { index } } }]);
  const before = JSON.stringify(body.toDocument());
  assert.throws(() =>
    body.applyBatch([
      { insertText: { text: 'ok', location: { index: 7 } } },
      { insertText: { text: 'refused', location: { index: 6 } } },
    ]),
  );
  assert.equal(JSON.stringify(body.toDocument()), before);
});

test('insertText counts UTF-16 units and strips the documented characters', () => {
  const body = emptyDoc();
  body.applyBatch([{ insertText: { text: 'a😀\u0001b\ue907\uf0b7c\r\td\u000be', location: { index: 1 } } }]);
  // U+0001, U+E907, U+F0B7 and "\r" (U+000D) are stripped; tab and U+000B stay
  assert.deepEqual(paragraphsOf(body), ['a😀b\u0000c\td\u000be'.replace('\u0000', '')]);
  assert.equal(body.length, 1 + 'a😀bc\td\u000be'.length + 1);
  assert.throws(() => body.copy().applyBatch([{ insertText: { text: 'x', location: { index: 3 } } }]), /surrogate/);
});

test('a new paragraph copies the paragraph style and bullet at the insertion index; text copies the style before it', () => {
  const body = DocsBody.fromDocument(
    documentOf([{ text: 'centred', style: { namedStyleType: 'HEADING_1', alignment: 'CENTER' }, textStyle: { bold: true } }]),
  );
  body.applyBatch([{ insertText: { text: '\nnext', location: { index: 8 } } }]);
  const view = readerView(body);
  assert.deepEqual(view.map((p) => [p.text, p.style]), [
    ['centred', { namedStyleType: 'HEADING_1', alignment: 'CENTER' }],
    ['next', { namedStyleType: 'HEADING_1', alignment: 'CENTER' }],
  ]);
  assert.deepEqual(view[1].runs, [{ text: 'next', style: { bold: true } }]);
});

test('field masks reset named fields left unset; a link brings underline and the link colour', () => {
  const body = DocsBody.fromDocument(documentOf([{ text: 'abc', style: { namedStyleType: 'NORMAL_TEXT', alignment: 'CENTER', indentStart: { magnitude: 36, unit: 'PT' } } }]));
  body.applyBatch([
    { updateParagraphStyle: { range: { startIndex: 1, endIndex: 2 }, paragraphStyle: { namedStyleType: 'HEADING_2' }, fields: 'namedStyleType,alignment' } },
    { updateTextStyle: { range: { startIndex: 1, endIndex: 3 }, textStyle: { link: { url: 'https://example.com/' } }, fields: 'link' } },
  ]);
  const [p] = readerView(body);
  assert.deepEqual(p.style, { namedStyleType: 'HEADING_2', indentStart: { magnitude: 36, unit: 'PT' } });
  assert.deepEqual(p.runs, [
    { text: 'ab', style: { underline: true, link: 'https://example.com/', foregroundColor: LINK_COLOR } },
    { text: 'c', style: {} },
  ]);
  assert.throws(() => body.copy().applyBatch([{ updateTextStyle: { range: { startIndex: 1, endIndex: 1 }, textStyle: {}, fields: 'bold' } }]), /empty/);
});

test('createParagraphBullets strips leading tabs as nesting and joins the list before it of the same preset', () => {
  const body = DocsBody.fromDocument(documentOf([{ text: 'mine', bullet: 'BULLET_DISC_CIRCLE_SQUARE' }, { text: 'plain' }]));
  // "mine\n" 1..6, "plain\n" 6..12
  body.applyBatch([{ insertText: { text: '\n\ta\n\t\tb', location: { index: 11 } } }]);
  body.applyBatch([{ createParagraphBullets: { range: { startIndex: 12, endIndex: 17 }, bulletPreset: 'BULLET_DISC_CIRCLE_SQUARE' } }]);
  let view = readerView(body);
  assert.deepEqual(view.map((p) => [p.text, p.bullet]), [
    ['mine', { list: 'L1', level: 0, ordered: false }],
    ['plain', undefined],
    ['a', { list: 'L2', level: 1, ordered: false }],
    ['b', { list: 'L2', level: 2, ordered: false }],
  ]);
  // bullets for "plain": the paragraph before it is in a list of the same preset -> joined
  body.applyBatch([{ createParagraphBullets: { range: { startIndex: 6, endIndex: 7 }, bulletPreset: 'BULLET_DISC_CIRCLE_SQUARE' } }]);
  view = readerView(body);
  assert.equal(view[1].bullet.list, 'L1');
  // a numbered preset does not join a bulleted list
  const other = DocsBody.fromDocument(documentOf([{ text: 'mine', bullet: 'BULLET_DISC_CIRCLE_SQUARE' }, { text: 'x' }]));
  other.applyBatch([{ createParagraphBullets: { range: { startIndex: 6, endIndex: 7 }, bulletPreset: 'NUMBERED_DECIMAL_ALPHA_ROMAN' } }]);
  assert.deepEqual(readerView(other)[1].bullet, { list: 'L2', level: 0, ordered: true });
  // deleting bullets keeps the visual nesting as indent
  other.applyBatch([{ deleteParagraphBullets: { range: { startIndex: 1, endIndex: 2 } } }]);
  assert.deepEqual(readerView(other)[0].style.indentStart, { magnitude: 36, unit: 'PT' });
});

test('deleteContentRange refuses what the documentation lists', () => {
  const body = DocsBody.fromDocument(documentOf([{ text: 'a😀b' }, { text: 'end' }]));
  // "a😀b\n" 1..6 (😀 at 2,3), "end\n" 6..10
  const refused = (startIndex, endIndex) =>
    assert.throws(() => body.copy().applyBatch([{ deleteContentRange: { range: { startIndex, endIndex } } }]), DocsError, `${startIndex}..${endIndex}`);
  refused(3, 5); // one code unit of a surrogate pair
  refused(1, 3);
  refused(9, 10); // the last newline of the body
  refused(0, 1); // the section break
  body.copy().applyBatch([{ deleteContentRange: { range: { startIndex: 2, endIndex: 4 } } }]);
  body.copy().applyBatch([{ deleteContentRange: { range: { startIndex: 1, endIndex: 6 } } }]);

  const withTable = emptyDoc();
  withTable.applyBatch([
    { insertTable: { rows: 1, columns: 2, location: { index: 1 } } },
    { insertText: { text: 'xy', location: { index: 5 } } },
  ]);
  // 1 "\n", 2 table, 3 row, 4 cell, 5..6 "xy", 7 "\n", 8 cell, 9 "\n", 10 closing unit, 11 "\n"
  const refusedT = (startIndex, endIndex) =>
    assert.throws(() => withTable.copy().applyBatch([{ deleteContentRange: { range: { startIndex, endIndex } } }]), DocsError, `${startIndex}..${endIndex}`);
  refusedT(5, 8); // the cell's last newline
  refusedT(3, 10); // rows without the table
  refusedT(2, 10); // the start of the table without its closing unit
  withTable.copy().applyBatch([{ deleteContentRange: { range: { startIndex: 2, endIndex: 11 } } }]); // the whole table
  refusedT(4, 9); // a cell
  refusedT(1, 2); // the newline before the table
  withTable.copy().applyBatch([{ deleteContentRange: { range: { startIndex: 5, endIndex: 7 } } }]); // content within a cell
  withTable.copy().applyBatch([{ deleteContentRange: { range: { startIndex: 1, endIndex: 11 } } }]); // the whole table and the newline before it
});

test('documents.get JSON round-trips through the model with every index checked', () => {
  const body = emptyDoc();
  body.applyBatch([
    { insertText: { text: 'head\nbody', location: { index: 1 } } },
    { insertTable: { rows: 2, columns: 1, location: { index: 10 } } },
    { insertInlineImage: { uri: 'https://example.com/c.png', location: { index: 1 } } },
  ]);
  const json = body.toDocument();
  const again = DocsBody.fromDocument(JSON.parse(JSON.stringify(json)));
  assert.deepEqual(again.toDocument(), json);
  assert.throws(() => DocsBody.fromDocument({ ...json, body: { content: [json.body.content[0], { ...json.body.content[1], startIndex: 2 }] } }), DocsError);
});
