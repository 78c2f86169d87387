// Builds documents.get answers for tests (the shape Google documents: a section break ending
// at 1, then paragraphs and tables with UTF-16 start/end indexes) from a short description.

import { LEVELS } from './docs-json.mjs';
import { readerView } from './reader.mjs';

/**
 * @param {Array<object>} items each {text, style?, textStyle?, bullet?: preset, image?: uri,
 *   chip?: title} (a paragraph) or {table: [[cellText]]}
 */
export function documentOf(items, { documentId = 'doc-model', revisionId = 'rev-1' } = {}) {
  let at = 1;
  const lists = {};
  const inlineObjects = {};
  let n = 0;
  const paragraph = (item) => {
    const start = at;
    const elements = [];
    const text = item.text ?? '';
    if (text) {
      elements.push({ startIndex: at, endIndex: at + text.length, textRun: { content: text, textStyle: item.textStyle ?? {} } });
      at += text.length;
    }
    if (item.chip) {
      elements.push({ startIndex: at, endIndex: at + 1, richLink: { richLinkId: `kix.chip${(n += 1)}`, richLinkProperties: { title: item.chip, uri: 'https://docs.google.com/document/d/x' } } });
      at += 1;
    }
    if (item.image) {
      const id = `kix.fixture${(n += 1)}`;
      inlineObjects[id] = { objectId: id, inlineObjectProperties: { embeddedObject: { imageProperties: { sourceUri: item.image, contentUri: item.image } } } };
      elements.push({ startIndex: at, endIndex: at + 1, inlineObjectElement: { inlineObjectId: id, textStyle: {} } });
      at += 1;
    }
    elements.push({ startIndex: at, endIndex: at + 1, textRun: { content: '\n', textStyle: item.textStyle ?? {} } });
    at += 1;
    const out = { startIndex: start, endIndex: at, paragraph: { elements, paragraphStyle: item.style ?? { namedStyleType: 'NORMAL_TEXT' } } };
    if (item.bullet) {
      const listId = `kix.fixturelist.${item.bullet}`;
      lists[listId] = { listProperties: { nestingLevels: structuredClone(LEVELS[item.bullet]) } };
      out.paragraph.bullet = { listId, nestingLevel: item.level ?? 0 };
    }
    return out;
  };
  const table = (rows) => {
    const start = at;
    at += 1;
    const tableRows = rows.map((row) => {
      const rowStart = at;
      at += 1;
      const tableCells = row.map((cell) => {
        const cellStart = at;
        at += 1;
        const content = [paragraph({ text: cell })];
        return { startIndex: cellStart, endIndex: at, content };
      });
      return { startIndex: rowStart, endIndex: at, tableCells };
    });
    at += 1;
    return { startIndex: start, endIndex: at, table: { rows: rows.length, columns: rows[0].length, tableRows } };
  };
  const content = items.map((item) => (item.table ? table(item.table) : paragraph(item)));
  return {
    documentId,
    title: 'model fixture',
    body: { content: [{ endIndex: 1, sectionBreak: { sectionStyle: { columnSeparatorStyle: 'NONE' } } }, ...content] },
    lists,
    inlineObjects,
    revisionId,
  };
}

/** Top-level paragraph texts of a body. */
export function paragraphsOf(body) {
  return readerView(body)
    .filter((item) => !item.table)
    .map((item) => item.text);
}
