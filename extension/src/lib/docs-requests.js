// Result blocks -> Google Docs `documents.batchUpdate` requests.
//
// Docs indexes count UTF-16 code units, which is exactly JavaScript's String#length
// (a Hangul syllable is 1, an emoji 2), so lengths below are plain `.length`. Every string
// that reaches a request has been through cleanText (inline.js): the characters insertText
// strips never reach Docs, so no index drifts.
//
// The requests come in phases so that every index is final when it is written:
//   1. insertions in document order (text, tables and their cells, images); each one
//      lands at or after the end of everything inserted before, so earlier ranges never move;
//   2. bullets copied from the user's list item are removed, then one text-style reset and one
//      paragraph-style reset over the whole insertion: inserted text takes the text style of
//      the character before it and every new paragraph copies the paragraph style (and list)
//      of the paragraph it was inserted into (InsertTextRequest), so a link, a centred chart
//      paragraph or an indented quote would otherwise leak into everything written after it;
//   3. paragraph styles (headings, quote indent, centred charts) and text styles (bold,
//      italic, links, superscript citations);
//   4. bullets, last and from the last list to the first: createParagraphBullets removes the
//      leading tabs that give an item its nesting level (moving everything after it) and adds
//      paragraphs to the list just before them when it has the same preset, so done backwards
//      each list sees only plain paragraphs before it and nothing after it moves unexpectedly.
//
// Table geometry (Google's "Work with tables" guide): insertTable first inserts a newline,
// so the table starts at location + 1; an empty R x C table is one start unit, per row one
// row unit, per cell one cell unit and the cell's "\n", then one unit that closes the table:
// 2 + R*(2C+1) units. After the closing unit comes the paragraph that held the insertion
// index; that is where writing continues.

import { normalizeBlocks, replacementParagraphs } from './blocks.js';
import { cleanText, parseInline, safeUrl, spansText } from './inline.js';

/** Every TextStyle field (docs.v1.json): set to default over inserted text before styling it. */
export const RESET_FIELDS = 'backgroundColor,baselineOffset,bold,fontSize,foregroundColor,italic,link,smallCaps,strikethrough,underline,weightedFontFamily';
/** The writable ParagraphStyle fields (headingId and tabStops are read-only): reset on every inserted paragraph. */
export const PARAGRAPH_RESET_FIELDS =
  'namedStyleType,alignment,avoidWidowAndOrphan,borderBetween,borderBottom,borderLeft,borderRight,borderTop,direction,indentEnd,indentFirstLine,indentStart,keepLinesTogether,keepWithNext,lineSpacing,pageBreakBefore,shading,spaceAbove,spaceBelow,spacingMode';
const IMAGE_WIDTH_PT = 468; // US Letter/A4 body width with default 1-inch margins
const QUOTE_INDENT = { indentStart: { magnitude: 36, unit: 'PT' } };
const CENTRED = { alignment: 'CENTER' };

function styleRequest(start, end, span) {
  const textStyle = {};
  const fields = [];
  if (span.bold) {
    textStyle.bold = true;
    fields.push('bold');
  }
  if (span.italic) {
    textStyle.italic = true;
    fields.push('italic');
  }
  if (span.link) {
    textStyle.link = { url: span.link };
    fields.push('link');
  }
  if (span.sup) {
    textStyle.baselineOffset = 'SUPERSCRIPT';
    fields.push('baselineOffset');
  }
  if (fields.length === 0 || end <= start) return null;
  return { updateTextStyle: { range: { startIndex: start, endIndex: end }, textStyle, fields: fields.join(',') } };
}

/** Citations usable in a result: objects with a positive integer `n`; url kept only when http(s). */
export function usableCitations(result) {
  return (Array.isArray(result?.citations) ? result.citations : [])
    .filter((c) => c && typeof c === 'object' && Number.isInteger(Number(c.n)) && Number(c.n) > 0)
    .map((c) => ({ ...c, n: Number(c.n), url: safeUrl(c.url) }));
}

/** One line of plain text for the sources list (no newline may split an entry). */
function oneLine(value) {
  return cleanText(value ?? '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Spans with leading spaces and tabs removed: Docs strips an item's leading tabs as nesting. */
function trimStart(spans) {
  const out = spans.map((s) => ({ ...s }));
  while (out.length && /^[ \t]/.test(out[0].text)) {
    out[0].text = out[0].text.replace(/^[ \t]+/, '');
    if (!out[0].text) out.shift();
  }
  return out;
}

class Writer {
  /**
   * @param {number} index where to insert
   * @param {boolean} atParagraphStart true when `index` is the start of an empty paragraph
   *   (a new document, or after a table); false when it is the end of a paragraph's text.
   */
  constructor(index, atParagraphStart, citations) {
    this.cursor = index;
    this.fresh = atParagraphStart;
    this.start = atParagraphStart ? index : index + 1;
    this.inserts = [];
    this.paragraphStyles = [];
    this.textStyles = [];
    this.bullets = [];
    this.tabs = 0; // nesting tabs that createParagraphBullets will remove
    this.citeUrls = new Map(citations.map((c) => [c.n, c.url]));
  }

  /** Inserts one paragraph of already-parsed spans; returns its [start, end) text range. */
  paragraph(spans, namedStyleType = 'NORMAL_TEXT', extra = null) {
    const text = spansText(spans);
    const lead = this.fresh ? '' : '\n';
    if (lead || text) this.inserts.push({ insertText: { text: lead + text, location: { index: this.cursor } } });
    const start = this.cursor + lead.length;
    const end = start + text.length;
    // every inserted paragraph is reset to NORMAL_TEXT in phase 2; only the others are styled
    // [start, end) overlaps the paragraph; an empty one is reached through its newline
    if (namedStyleType !== 'NORMAL_TEXT' || extra) this.paragraphStyle(start, Math.max(end, start + 1), namedStyleType, extra);
    this.spanStyles(start, spans);
    this.cursor = end;
    this.fresh = false;
    return [start, end];
  }

  paragraphStyle(start, end, namedStyleType, extra) {
    const paragraphStyle = { namedStyleType, ...(extra ?? {}) };
    this.paragraphStyles.push({
      updateParagraphStyle: { range: { startIndex: start, endIndex: end }, paragraphStyle, fields: Object.keys(paragraphStyle).join(',') },
    });
  }

  spanStyles(start, spans) {
    let at = start;
    for (const span of spans) {
      const end = at + span.text.length;
      const styled = span.cite ? { ...span, sup: true, link: span.link ?? this.citeUrls.get(span.cite) ?? null } : span;
      const request = styleRequest(at, end, styled);
      if (request) this.textStyles.push(request);
      at = end;
    }
  }

  list(items, levels, ordered) {
    let first = null;
    let last = null;
    items.forEach((item, n) => {
      const spans = trimStart(parseInline(item));
      if (!spansText(spans)) return; // renders to nothing: no empty bullet
      const level = levels?.[n] ?? 0;
      const tabs = level > 0 ? [{ text: '\t'.repeat(level) }] : [];
      const [start, end] = this.paragraph([...tabs, ...spans]);
      this.tabs += level;
      first ??= start;
      last = end;
    });
    if (first === null) return;
    this.bullets.push({
      createParagraphBullets: {
        range: { startIndex: first, endIndex: last },
        bulletPreset: ordered ? 'NUMBERED_DECIMAL_ALPHA_ROMAN' : 'BULLET_DISC_CIRCLE_SQUARE',
      },
    });
  }

  table(header, rows) {
    const all = header ? [header, ...rows] : rows;
    const R = all.length;
    const C = all[0].length;
    // insertTable puts a newline before the table, so the table starts one after the cursor.
    const tableStart = this.cursor + 1;
    this.inserts.push({ insertTable: { rows: R, columns: C, location: { index: this.cursor } } });
    // The empty paragraph inside cell (r, c) of a fresh table: the table's start unit, then per
    // row one row unit and per cell one cell unit plus the cell's newline.
    const emptyCell = (r, c) => tableStart + 3 + r * (2 * C + 1) + 2 * c;
    const cells = all.map((row) => row.map((cell) => parseInline(cell)));
    // Filled last cell first, so the precomputed empty-cell indexes stay valid.
    for (let r = R - 1; r >= 0; r -= 1) {
      for (let c = C - 1; c >= 0; c -= 1) {
        const text = spansText(cells[r][c]);
        if (text) this.inserts.push({ insertText: { text, location: { index: emptyCell(r, c) } } });
      }
    }
    let shift = 0;
    for (let r = 0; r < R; r += 1) {
      for (let c = 0; c < C; c += 1) {
        const spans = cells[r][c];
        const start = emptyCell(r, c) + shift;
        const length = spansText(spans).length;
        const bold = header && r === 0 ? styleRequest(start, start + length, { bold: true }) : null;
        if (bold) this.textStyles.push(bold);
        this.spanStyles(start, spans);
        shift += length;
      }
    }
    // 2 + R*(2C+1) units plus the cells' text; then the paragraph that held the cursor, now empty.
    this.cursor = tableStart + 2 + R * (2 * C + 1) + shift;
    this.fresh = true;
  }

  image(url) {
    if (!this.fresh) {
      this.inserts.push({ insertText: { text: '\n', location: { index: this.cursor } } });
      this.cursor += 1;
    }
    this.inserts.push({
      insertInlineImage: {
        uri: url,
        location: { index: this.cursor },
        objectSize: { width: { magnitude: IMAGE_WIDTH_PT, unit: 'PT' } },
      },
    });
    this.paragraphStyle(this.cursor, this.cursor + 1, 'NORMAL_TEXT', CENTRED);
    this.cursor += 1;
    this.fresh = false;
  }

  finish({ inList }) {
    const end = this.cursor;
    if (this.inserts.length === 0) return { requests: [], startIndex: this.start, endIndex: this.start };
    const resets = [];
    // [start, end) overlaps every inserted paragraph and nothing after them; after a final
    // table the paragraph at `end` is the empty one that follows it, reached by its newline.
    const paragraphsEnd = this.fresh ? end + 1 : end;
    if (inList) resets.push({ deleteParagraphBullets: { range: { startIndex: this.start, endIndex: paragraphsEnd } } });
    if (end > this.start) {
      resets.push({ updateTextStyle: { range: { startIndex: this.start, endIndex: end }, textStyle: {}, fields: RESET_FIELDS } });
    }
    resets.push({
      updateParagraphStyle: {
        range: { startIndex: this.start, endIndex: paragraphsEnd },
        paragraphStyle: { namedStyleType: 'NORMAL_TEXT' },
        fields: PARAGRAPH_RESET_FIELDS,
      },
    });
    return {
      requests: [...this.inserts, ...resets, ...this.paragraphStyles, ...this.textStyles, ...this.bullets.reverse()],
      startIndex: this.start,
      endIndex: end - this.tabs,
    };
  }
}

export function sourcesLine(citation, labels) {
  // an uploaded file has no 기준일 of its own (its `as_of` is the run's date): it reads
  // "your upload" and, for a PDF, the page is already in its title
  const upload = citation.provider === 'upload';
  const title = oneLine(citation.title) || oneLine(citation.provider);
  const provider = upload ? oneLine(labels.uploaded ?? 'upload') : oneLine(citation.provider);
  const asOf = upload ? '' : oneLine(citation.as_of);
  const meta = [provider, asOf ? `${labels.asOf} ${asOf}` : '']
    .filter((s) => s && s !== title)
    .join(', ');
  return { title, meta };
}

/** False for a block that writes nothing (every item or its whole text renders empty). */
export function rendersText(block) {
  if (block.type === 'bullets') return block.items.some((item) => spansText(trimStart(parseInline(item))));
  if (block.type === 'heading' || block.type === 'paragraph' || block.type === 'quote') return !!spansText(parseInline(block.text));
  return true;
}

/**
 * Requests that insert a run result at `anchor`.
 * @param {object} result the run result ({blocks, citations, charts, ...})
 * @param {{index:number, atParagraphStart:boolean, inList?:boolean, listBefore?:boolean}} anchor
 *   inList: the paragraph at `index` is a list item (its bullets are copied into new paragraphs);
 *   listBefore: the paragraph the result will follow is a list item (defaults to inList)
 * @param {{sourcesTitle?:string, asOf?:string, uploaded?:string}} labels localised words for the sources list
 * @param {{images?:boolean}} options images:false writes each chart as a link to its URL
 *   (for when Google cannot fetch the image, e.g. from a gateway on loopback)
 * @returns {{requests: object[], startIndex: number, endIndex: number}} indexes in UTF-16 units
 */
export function resultToRequests(result, anchor, labels = {}, { images = true } = {}) {
  const words = { sourcesTitle: labels.sourcesTitle ?? 'Sources', asOf: labels.asOf ?? 'as of', uploaded: labels.uploaded ?? 'upload' };
  const citations = usableCitations(result);
  const writer = new Writer(anchor.index, anchor.atParagraphStart, citations);
  const blocks = normalizeBlocks(result);
  const firstVisible = blocks.find(rendersText);
  if (firstVisible?.type === 'bullets' && (anchor.listBefore ?? anchor.inList)) {
    // A list right after the user's own list item would join it (createParagraphBullets adds
    // to the list before it when the preset matches) and continue its numbering: one empty
    // paragraph keeps them apart.
    writer.paragraph([]);
  }
  for (const block of blocks) {
    switch (block.type) {
      case 'heading':
      case 'paragraph':
      case 'quote': {
        const spans = parseInline(block.text);
        if (!spansText(spans)) break; // e.g. "[](https://x)": nothing to show
        if (block.type === 'heading') writer.paragraph(spans, `HEADING_${block.level}`);
        else writer.paragraph(spans, 'NORMAL_TEXT', block.type === 'quote' ? QUOTE_INDENT : null);
        break;
      }
      case 'bullets':
        writer.list(block.items, block.levels, block.ordered);
        break;
      case 'table':
        if (block.caption) writer.paragraph([{ text: block.caption, bold: true }]);
        writer.table(block.header, block.rows);
        break;
      case 'chart':
        if (!images) {
          writer.paragraph([{ text: block.title || block.alt || block.url, link: block.url }]);
          break;
        }
        writer.image(block.url);
        if (block.title) writer.paragraph([{ text: block.title, italic: true }]);
        break;
      default:
        break;
    }
  }
  if (citations.length) {
    writer.paragraph([{ text: words.sourcesTitle }], 'HEADING_2');
    for (const citation of citations) {
      const { title, meta } = sourcesLine(citation, words);
      const spans = [{ text: `[${citation.n}] ` }, { text: title || citation.url || '', link: citation.url ?? undefined }];
      if (meta) spans.push({ text: ` (${meta})` });
      writer.paragraph(spans.filter((s) => s.text));
    }
  }
  return writer.finish({ inList: !!anchor.inList });
}

/** True when the result has text that can replace a paragraph in place (not only charts or tables). */
export function hasReplacementText(result) {
  return replacementParagraphs(result).some((t) => spansText(parseInline(t)));
}

/**
 * Requests that replace one paragraph's text in place, keeping its paragraph style, guarded
 * by the revision the paragraph was read at (a concurrent edit fails the whole batch).
 * @param {{startIndex:number, endIndex:number}} paragraph from documents.get (endIndex includes its newline)
 * @throws {Error} when the result has no text to put there (see hasReplacementText)
 */
export function replaceParagraphRequests(result, paragraph, revisionId) {
  const spanLines = replacementParagraphs(result)
    .map((t) => parseInline(t))
    .filter((spans) => spansText(spans));
  if (spanLines.length === 0) throw new Error('the result has no text to replace a paragraph with');
  const citeUrls = new Map(usableCitations(result).map((c) => [c.n, c.url]));
  const requests = [];
  const start = paragraph.startIndex;
  const textEnd = paragraph.endIndex - 1;
  if (textEnd > start) requests.push({ deleteContentRange: { range: { startIndex: start, endIndex: textEnd } } });
  const text = spanLines.map(spansText).join('\n');
  requests.push({ insertText: { text, location: { index: start } } });
  const styles = [{ updateTextStyle: { range: { startIndex: start, endIndex: start + text.length }, textStyle: {}, fields: RESET_FIELDS } }];
  let at = start;
  for (const spans of spanLines) {
    for (const span of spans) {
      const end = at + span.text.length;
      const styled = span.cite ? { ...span, sup: true, link: span.link ?? citeUrls.get(span.cite) ?? null } : span;
      const request = styleRequest(at, end, styled);
      if (request) styles.push(request);
      at = end;
    }
    at += 1; // the newline between paragraphs
  }
  return { requests: [...requests, ...styles], writeControl: { requiredRevisionId: revisionId } };
}
