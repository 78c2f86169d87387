import assert from 'node:assert/strict';
import { test } from 'node:test';

import { endAnchor, findParagraph, isImageFetchError, isRevisionConflict, listParagraphs } from '../src/lib/doc-outline.js';
import { docIdFromUrl } from '../src/lib/doc-url.js';

// The shape documents.get returns (body.content of StructuralElements).
const DOC = {
  documentId: 'doc1',
  revisionId: 'rev-1',
  body: {
    content: [
      { endIndex: 1, sectionBreak: { sectionStyle: {} } },
      {
        startIndex: 1,
        endIndex: 8,
        paragraph: { elements: [{ startIndex: 1, endIndex: 8, textRun: { content: '시장 개요\n' } }], paragraphStyle: { namedStyleType: 'HEADING_1', headingId: 'h.1' } },
      },
      { startIndex: 8, endIndex: 9, paragraph: { elements: [{ startIndex: 8, endIndex: 9, textRun: { content: '\n' } }], paragraphStyle: { namedStyleType: 'NORMAL_TEXT' } } },
      {
        startIndex: 9,
        endIndex: 23,
        paragraph: {
          elements: [
            { startIndex: 9, endIndex: 14, textRun: { content: 'KOSPI', textStyle: { bold: true } } },
            { startIndex: 14, endIndex: 23, textRun: { content: '는 상승했다.\n' } },
          ],
          paragraphStyle: { namedStyleType: 'NORMAL_TEXT' },
        },
      },
      { startIndex: 23, endIndex: 30, table: { rows: 1, columns: 1, tableRows: [] } },
      {
        startIndex: 30,
        endIndex: 35,
        paragraph: { elements: [{ startIndex: 30, endIndex: 35, textRun: { content: '항목 1\n' } }], bullet: { listId: 'l1' }, paragraphStyle: { namedStyleType: 'NORMAL_TEXT' } },
      },
    ],
  },
};

test('lists non-empty top-level paragraphs with their indexes, style and list membership', () => {
  assert.deepEqual(listParagraphs(DOC), [
    { startIndex: 1, endIndex: 8, text: '시장 개요', style: 'HEADING_1', headingLevel: 1, inList: false },
    { startIndex: 9, endIndex: 23, text: 'KOSPI는 상승했다.', style: 'NORMAL_TEXT', headingLevel: null, inList: false },
    { startIndex: 30, endIndex: 35, text: '항목 1', style: 'NORMAL_TEXT', headingLevel: null, inList: true },
  ]);
});

test('the end anchor is before the final newline; an empty last paragraph is written into', () => {
  assert.deepEqual(endAnchor(DOC), { index: 34, atParagraphStart: false, inList: true, listBefore: true });
  const empty = { body: { content: [{ endIndex: 1, sectionBreak: {} }, { startIndex: 1, endIndex: 2, paragraph: { elements: [{ textRun: { content: '\n' } }] } }] } };
  assert.deepEqual(endAnchor(empty), { index: 1, atParagraphStart: true, inList: false, listBefore: false });
  // an empty last paragraph after a list item: the result follows the list
  const afterList = structuredClone(DOC);
  afterList.body.content.push({ startIndex: 35, endIndex: 36, paragraph: { elements: [{ textRun: { content: '\n' } }] } });
  assert.deepEqual(endAnchor(afterList), { index: 35, atParagraphStart: true, inList: false, listBefore: true });
});

test('a chosen paragraph is found again after a re-read, by place and text or by text', () => {
  const chosen = { startIndex: 9, endIndex: 23, text: 'KOSPI는 상승했다.' };
  assert.equal(findParagraph(DOC, chosen).startIndex, 9);
  const moved = structuredClone(DOC);
  moved.body.content.splice(1, 1);
  assert.equal(findParagraph(moved, chosen).startIndex, 9);
  assert.equal(findParagraph(moved, { ...chosen, text: 'gone' }), null);
});

test('a revision mismatch is recognised from the Docs error', () => {
  const body = { error: { code: 400, message: 'The required revision ID does not match the latest revision.', status: 'INVALID_ARGUMENT' } };
  assert.equal(isRevisionConflict(400, body), true);
  assert.equal(isRevisionConflict(400, { error: { message: 'Invalid requests[0].insertText' } }), false);
  assert.equal(isRevisionConflict(500, body), false);
});

test('document ids come only from docs.google.com document URLs', () => {
  assert.equal(docIdFromUrl('https://docs.google.com/document/d/1AbC_defGHIjkl-MNO/edit#heading=h.1'), '1AbC_defGHIjkl-MNO');
  assert.equal(docIdFromUrl('https://docs.google.com/document/u/1/d/1AbC_defGHIjkl-MNO/edit'), '1AbC_defGHIjkl-MNO');
  assert.equal(docIdFromUrl('https://docs.google.com/spreadsheets/d/1AbC_defGHIjkl-MNO/edit'), null);
  assert.equal(docIdFromUrl('http://docs.google.com/document/d/1AbC_defGHIjkl-MNO/edit'), null);
  assert.equal(docIdFromUrl('https://docs.google.com.evil.example/document/d/1AbC_defGHIjkl-MNO/'), null);
  assert.equal(docIdFromUrl('not a url'), null);
});

test('only "problem retrieving the image" sends charts again as links; an index error surfaces', () => {
  const fetchFailed =
    'Invalid requests[3].insertInlineImage: There was a problem retrieving the image. The provided image should be publicly accessible, within size limit, and in supported formats.';
  assert.equal(isImageFetchError(400, fetchFailed), true);
  assert.equal(isImageFetchError(400, 'Invalid requests[3].insertInlineImage: The insertion index must be inside the bounds of an existing paragraph.'), false);
  assert.equal(isImageFetchError(500, fetchFailed), false);
});
