// The discovery-document check itself: it must refuse what Google refuses before it is
// trusted to pass the extension's bodies (tests/docs-model/discovery.mjs).

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { DISCOVERY, validateBatchUpdate } from './docs-model/discovery.mjs';

const ok = (requests, extra = {}) => assert.deepEqual(validateBatchUpdate({ requests, ...extra }), []);
const bad = (requests, pattern) => {
  const problems = validateBatchUpdate({ requests });
  assert.ok(problems.some((p) => pattern.test(p)), `expected ${pattern} in ${JSON.stringify(problems)}`);
};

test('the fixture is the official Docs v1 discovery document', () => {
  assert.equal(DISCOVERY.id, 'docs:v1');
  assert.equal(DISCOVERY.rootUrl, 'https://docs.googleapis.com/');
  assert.ok(DISCOVERY.schemas.Request.properties.insertTable);
});

test('conforming requests pass', () => {
  ok(
    [
      { insertText: { text: 'a', location: { index: 1 } } },
      { insertTable: { rows: 2, columns: 3, location: { index: 2 } } },
      { updateTextStyle: { range: { startIndex: 1, endIndex: 2 }, textStyle: { link: { url: 'https://x.example' } }, fields: 'link,bold' } },
      { updateParagraphStyle: { range: { startIndex: 1, endIndex: 2 }, paragraphStyle: { namedStyleType: 'HEADING_6', alignment: 'CENTER' }, fields: 'namedStyleType,alignment,indentStart' } },
      { createParagraphBullets: { range: { startIndex: 1, endIndex: 2 }, bulletPreset: 'NUMBERED_DECIMAL_ALPHA_ROMAN' } },
      { insertInlineImage: { uri: 'https://x.example/a.png', location: { index: 1 }, objectSize: { width: { magnitude: 468, unit: 'PT' } } } },
    ],
    { writeControl: { requiredRevisionId: 'rev' } },
  );
  ok([{ updateTextStyle: { range: { startIndex: 1, endIndex: 2 }, textStyle: {}, fields: '*' } }]);
});

test('unknown fields, bad enums, non-integer indexes, several kinds per request and bad masks are refused', () => {
  bad([{ insertText: { text: 'a', location: { index: 1 }, style: {} } }], /Unknown name "style"/);
  bad([{ insertText: { text: 'a', location: { index: 1.5 } } }], /int32/);
  bad([{ insertText: { text: 'a', location: { index: '1' } } }], /int32/);
  bad([{ insertText: { text: 'a', location: { index: 1 } }, insertTable: { rows: 1, columns: 1, location: { index: 1 } } }], /exactly one/);
  bad([{}], /exactly one/);
  bad([{ createParagraphBullets: { range: { startIndex: 1, endIndex: 2 }, bulletPreset: 'BULLET_DISC' } }], /enum/);
  bad([{ updateParagraphStyle: { range: { startIndex: 1, endIndex: 2 }, paragraphStyle: { namedStyleType: 'HEADING_7' }, fields: 'namedStyleType' } }], /enum/);
  bad([{ updateTextStyle: { range: { startIndex: 1, endIndex: 2 }, textStyle: {}, fields: 'bold,superscript' } }], /not a field of TextStyle/);
  bad([{ updateParagraphStyle: { range: { startIndex: 1, endIndex: 2 }, paragraphStyle: {}, fields: 'namedStyleType,bold' } }], /not a field of ParagraphStyle/);
  bad([{ updateTextStyle: { range: { startIndex: 1, endIndex: 2 }, textStyle: { bold: 'yes' }, fields: 'bold' } }], /boolean/);
  bad([{ insertInlineImage: { uri: 'https://x', location: { index: 1 }, objectSize: { width: { magnitude: 1, unit: 'PX' } } } }], /enum/);
  bad([{ frobnicate: {} }], /Unknown name "frobnicate"/);
  assert.ok(validateBatchUpdate({ requests: [], writeControl: { requiredRevisionId: 1 } }).some((p) => /string/.test(p)));
});
