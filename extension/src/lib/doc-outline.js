// Reads a `documents.get` response: the paragraphs the user can pick, and where "insert at
// the end" goes. Only top-level body paragraphs are listed (text inside tables is not a
// replace target: its indexes belong to the table structure).

function paragraphText(paragraph) {
  return (paragraph.elements ?? [])
    .map((e) => e.textRun?.content ?? '')
    .join('')
    .replace(/\n$/, '');
}

/** Top-level paragraphs: [{startIndex, endIndex, text, style, headingLevel, inList}], empty ones skipped. */
export function listParagraphs(doc) {
  const out = [];
  for (const element of doc?.body?.content ?? []) {
    if (!element.paragraph || !Number.isInteger(element.startIndex)) continue;
    const text = paragraphText(element.paragraph);
    if (!text.trim()) continue;
    const style = element.paragraph.paragraphStyle?.namedStyleType ?? 'NORMAL_TEXT';
    const heading = /^HEADING_(\d)$/.exec(style);
    out.push({
      startIndex: element.startIndex,
      endIndex: element.endIndex,
      text,
      style,
      headingLevel: style === 'TITLE' ? 0 : heading ? Number(heading[1]) : null,
      inList: !!element.paragraph.bullet,
    });
  }
  return out;
}

/**
 * Where appended content goes: before the body's final newline.
 * @returns {{index:number, atParagraphStart:boolean, inList:boolean, listBefore:boolean}} index in
 *   UTF-16 units; atParagraphStart when the last paragraph is empty (written into);
 *   inList when it is a list item; listBefore when the paragraph the result follows is one
 */
export function endAnchor(doc) {
  const content = doc?.body?.content ?? [];
  const last = content[content.length - 1];
  if (!last || !Number.isInteger(last.endIndex)) return { index: 1, atParagraphStart: true, inList: false, listBefore: false };
  const elements = last.paragraph?.elements ?? [];
  const empty = !!last.paragraph && paragraphText(last.paragraph) === '' && !elements.some((e) => !e.textRun);
  const inList = !!last.paragraph?.bullet;
  const previous = content[content.length - 2];
  const listBefore = empty ? !!previous?.paragraph?.bullet || inList : inList;
  return { index: last.endIndex - 1, atParagraphStart: empty, inList, listBefore };
}

/** The paragraph that now sits at the same place as `chosen`, if its text is unchanged. */
export function findParagraph(doc, chosen) {
  const paragraphs = listParagraphs(doc);
  return (
    paragraphs.find((p) => p.startIndex === chosen.startIndex && p.text === chosen.text) ??
    paragraphs.find((p) => p.text === chosen.text) ??
    null
  );
}

/** True when a Docs error response is the writeControl revision mismatch. */
export function isRevisionConflict(status, body) {
  if (status !== 400) return false;
  const message = String(body?.error?.message ?? '');
  return /revision/i.test(message);
}

/**
 * True when a Docs 400 says Google could not fetch an inserted image ("There was a problem
 * retrieving the image"), the one case where charts are re-sent as links. Any other 400 that
 * names insertInlineImage (a bad index, say) is a real error and must surface as it is.
 */
export function isImageFetchError(status, message) {
  return status === 400 && /problem retrieving the image/i.test(String(message ?? ''));
}
