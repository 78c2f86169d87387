// Where a result goes in the document, what exactly an insertion wrote, and how to take it
// back. Pure: works on `documents.get` answers and on what docs-requests.js builds.
// Indexes are UTF-16 code units (Docs indexes).

import { normalizeBlocks, replacementParagraphs } from './blocks.js';
import { PARAGRAPH_RESET_FIELDS, hasReplacementText } from './docs-requests.js';
import { parseInline, spansText } from './inline.js';

/**
 * The anchor that puts a result right after `paragraph` (from listParagraphs): before the
 * paragraph's own newline, exactly as endAnchor does for the last paragraph, so the result's
 * first "\n" closes the chosen paragraph and its text is untouched.
 * @returns {{index:number, atParagraphStart:false, inList:boolean, listBefore:boolean}|null}
 *   null when the document no longer has a paragraph at that place with that text
 */
export function anchorAfter(doc, paragraph) {
  const element = (doc?.body?.content ?? []).find((e) => e.paragraph && e.startIndex === paragraph.startIndex && e.endIndex === paragraph.endIndex);
  if (!element) return null;
  const inList = !!element.paragraph.bullet;
  return { index: element.endIndex - 1, atParagraphStart: false, inList, listBefore: inList };
}

/**
 * What undoing an insertion built by resultToRequests at `anchor` in `doc` (the
 * documents.get answer the insertion was built from) must delete, once it is applied.
 *
 * The inserted units are [anchor.index, built.endIndex): the result's first "\n" now ends the
 * anchor paragraph and the anchor paragraph's own newline (carrying the style of the last
 * inserted paragraph) sits at built.endIndex. A paragraph's style lives on its newline, so in
 * the middle of the document the undo deletes [index + 1, endIndex + 1): the result and the
 * anchor's old newline, keeping the inserted "\n" that copied the anchor paragraph's style and
 * list. The body's last newline cannot be deleted, so after the last paragraph the undo
 * deletes [index, endIndex) and writes the anchor paragraph's style back (restoreStyle); a
 * bullet of a last paragraph is not restored (Docs cannot re-join a list by request).
 * @returns {{startIndex:number, endIndex:number, restoreStyle:object|null}|null} null when nothing was inserted
 */
export function insertionUndo(doc, anchor, built) {
  if (!built?.requests?.length || built.endIndex <= anchor.index) return null;
  const content = doc?.body?.content ?? [];
  const at = content.findIndex((e) => e.paragraph && e.endIndex - 1 === anchor.index);
  const last = at === -1 || at === content.length - 1;
  if (anchor.atParagraphStart || last) {
    const style = content[at]?.paragraph?.paragraphStyle ?? { namedStyleType: 'NORMAL_TEXT' };
    const restoreStyle = Object.fromEntries(Object.entries(style).filter(([k]) => PARAGRAPH_RESET_FIELDS.split(',').includes(k)));
    return { startIndex: anchor.index, endIndex: built.endIndex, restoreStyle };
  }
  return { startIndex: anchor.index + 1, endIndex: built.endIndex + 1, restoreStyle: null };
}

/**
 * The batchUpdate that undoes an insertion: one deleteContentRange over exactly the inserted
 * range (and the anchor paragraph's style written back when it was the last one), guarded by
 * the revision the insertion produced: Google refuses it with 400 when the document changed
 * since, so another person's later edit is never cut.
 */
export function undoRequest(undo, revisionId) {
  const requests = [{ deleteContentRange: { range: { startIndex: undo.startIndex, endIndex: undo.endIndex } } }];
  if (undo.restoreStyle) {
    requests.push({
      updateParagraphStyle: {
        range: { startIndex: undo.startIndex, endIndex: undo.startIndex + 1 },
        paragraphStyle: undo.restoreStyle,
        fields: PARAGRAPH_RESET_FIELDS,
      },
    });
  }
  return { requests, writeControl: { requiredRevisionId: revisionId } };
}

/**
 * True when the result is a paragraph (or a few): body text only, no heading, list, table or
 * chart. Only such a result may replace a paragraph; a report in place of one sentence is
 * an insertion, not a replacement.
 */
export function isParagraphResult(result) {
  if (!hasReplacementText(result)) return false;
  const blocks = normalizeBlocks(result);
  if (blocks.length === 0) {
    // no blocks: the markdown must not hold headings, lists, tables or images
    return !/^\s*(#{1,6}\s|[-*•]\s|\d+[.)]\s|\||!\[)/m.test(String(result?.markdown ?? ''));
  }
  return blocks.every((b) => b.type === 'paragraph' || b.type === 'quote');
}

/** The text a replacement writes (one line per paragraph), for the before/after view. */
export function replacementText(result) {
  return replacementParagraphs(result)
    .map((t) => spansText(parseInline(t)))
    .filter(Boolean)
    .join('\n');
}
