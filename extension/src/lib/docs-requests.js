// Result blocks -> Google Docs `documents.batchUpdate` requests.
//
// Docs indexes count UTF-16 code units, which is exactly JavaScript's String#length
// (a Hangul syllable is 1, an emoji 2), so lengths below are plain `.length`.
//
// The requests come in three phases so that every index is final when it is written:
//   1. insertions in document order (text, tables and their cells, images); each one
//      lands at or after the end of everything inserted before, so earlier ranges never move;
//   2. one text-style reset over the whole insertion, because inserted text inherits the
//      style of the character before it (a link or a superscript citation would leak);
//   3. paragraph styles, bullets and text styles (bold, links, superscript citations).

import { normalizeBlocks, replacementParagraphs } from './blocks.js';
import { parseInline, spansText } from './inline.js';

export const RESET_FIELDS = 'bold,italic,underline,strikethrough,baselineOffset,link';
const IMAGE_WIDTH_PT = 468; // US Letter/A4 body width with default 1-inch margins

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
  if (fields.length === 0) return null;
  return { updateTextStyle: { range: { startIndex: start, endIndex: end }, textStyle, fields: fields.join(',') } };
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
    this.styles = [];
    this.citeUrls = new Map((citations ?? []).map((c) => [Number(c.n), c.url ?? null]));
  }

  /** Inserts one paragraph of already-parsed spans; returns its [start, end) text range. */
  paragraph(spans, namedStyleType, extraStyle) {
    const text = spansText(spans);
    const lead = this.fresh ? '' : '\n';
    this.inserts.push({ insertText: { text: lead + text, location: { index: this.cursor } } });
    const start = this.cursor + lead.length;
    const end = start + text.length;
    this.paragraphStyle(start, Math.max(end, start + 1), namedStyleType, extraStyle);
    this.spanStyles(start, spans);
    this.cursor = end;
    this.fresh = false;
    return [start, end];
  }

  paragraphStyle(start, end, namedStyleType, extra) {
    const paragraphStyle = { namedStyleType, ...(extra?.style ?? {}) };
    const fields = ['namedStyleType', ...(extra?.fields ?? [])].join(',');
    this.styles.push({ updateParagraphStyle: { range: { startIndex: start, endIndex: end }, paragraphStyle, fields } });
  }

  spanStyles(start, spans) {
    let at = start;
    for (const span of spans) {
      const end = at + span.text.length;
      const styled = span.cite ? { ...span, sup: true, link: span.link ?? this.citeUrls.get(span.cite) ?? null } : span;
      const request = styleRequest(at, end, styled);
      if (request) this.styles.push(request);
      at = end;
    }
  }

  table(header, rows) {
    const all = header ? [header, ...rows] : rows;
    const R = all.length;
    const C = all[0].length;
    // insertTable puts a newline before the table, so the table starts one after the cursor.
    const tableStart = this.cursor + 1;
    this.inserts.push({ insertTable: { rows: R, columns: C, location: { index: this.cursor } } });
    // Index of the empty paragraph inside cell (r, c) of a fresh table: table start, then per
    // row one row marker and per cell one cell marker plus the cell's newline.
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
        if (header && r === 0 && length > 0) {
          this.styles.push(styleRequest(start, start + length, { bold: true }));
        }
        this.spanStyles(start, spans);
        shift += length;
      }
    }
    // After the table comes the paragraph that held the cursor's newline: an empty one.
    this.cursor = tableStart + 1 + R * (2 * C + 1) + shift;
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
    this.paragraphStyle(this.cursor, this.cursor + 1, 'NORMAL_TEXT', {
      style: { alignment: 'CENTER' },
      fields: ['alignment'],
    });
    this.cursor += 1;
    this.fresh = false;
  }

  finish({ inList }) {
    const end = this.cursor;
    const prefix = [];
    if (end > this.start) {
      if (inList) prefix.push({ deleteParagraphBullets: { range: { startIndex: this.start, endIndex: end } } });
      prefix.push({
        updateTextStyle: { range: { startIndex: this.start, endIndex: end }, textStyle: {}, fields: RESET_FIELDS },
      });
    }
    return { requests: [...this.inserts, ...prefix, ...this.styles], startIndex: this.start, endIndex: end };
  }
}

function sourcesLine(citation, labels) {
  const title = String(citation.title || citation.provider || '').trim();
  const meta = [citation.provider, citation.as_of ? `${labels.asOf} ${citation.as_of}` : '']
    .filter((s) => s && s !== title)
    .join(', ');
  return { title, meta };
}

/**
 * Requests that insert a run result at `anchor`.
 * @param {object} result the run result ({blocks, citations, charts, ...})
 * @param {{index:number, atParagraphStart:boolean, inList?:boolean}} anchor
 * @param {{sourcesTitle?:string, asOf?:string}} labels localised words for the sources list
 * @param {{images?:boolean}} options images:false writes each chart as a link to its URL
 *   (for when Google cannot fetch the image, e.g. from a gateway on loopback)
 */
export function resultToRequests(result, anchor, labels = {}, { images = true } = {}) {
  const words = { sourcesTitle: labels.sourcesTitle ?? 'Sources', asOf: labels.asOf ?? 'as of' };
  const citations = (Array.isArray(result?.citations) ? result.citations : []).filter((c) => Number.isInteger(Number(c?.n)));
  const writer = new Writer(anchor.index, anchor.atParagraphStart, citations);
  for (const block of normalizeBlocks(result)) {
    switch (block.type) {
      case 'heading':
        writer.paragraph(parseInline(block.text), `HEADING_${block.level}`);
        break;
      case 'paragraph':
        writer.paragraph(parseInline(block.text), 'NORMAL_TEXT');
        break;
      case 'quote':
        writer.paragraph(parseInline(block.text), 'NORMAL_TEXT', {
          style: { indentStart: { magnitude: 36, unit: 'PT' } },
          fields: ['indentStart'],
        });
        break;
      case 'bullets': {
        let first = null;
        let last = null;
        for (const item of block.items) {
          const [start, end] = writer.paragraph(parseInline(item), 'NORMAL_TEXT');
          first ??= start;
          last = end;
        }
        writer.styles.push({
          createParagraphBullets: {
            range: { startIndex: first, endIndex: last },
            bulletPreset: block.ordered ? 'NUMBERED_DECIMAL_ALPHA_ROMAN' : 'BULLET_DISC_CIRCLE_SQUARE',
          },
        });
        break;
      }
      case 'table':
        if (block.caption) writer.paragraph([{ text: block.caption, bold: true }], 'NORMAL_TEXT');
        writer.table(block.header, block.rows);
        break;
      case 'chart':
        if (!images) {
          writer.paragraph([{ text: block.title || block.alt || block.url, link: block.url }], 'NORMAL_TEXT');
          break;
        }
        writer.image(block.url);
        if (block.title) writer.paragraph([{ text: block.title, italic: true }], 'NORMAL_TEXT');
        break;
      default:
        break;
    }
  }
  if (citations.length) {
    writer.paragraph([{ text: words.sourcesTitle }], 'HEADING_2');
    for (const citation of citations) {
      const { title, meta } = sourcesLine(citation, words);
      const url = citation.url && /^https?:\/\//.test(citation.url) ? citation.url : null;
      const spans = [{ text: `[${citation.n}] ` }, { text: title || url || '', link: url ?? undefined }];
      if (meta) spans.push({ text: ` (${meta})` });
      writer.paragraph(
        spans.filter((s) => s.text),
        'NORMAL_TEXT',
      );
    }
  }
  return writer.finish({ inList: !!anchor.inList });
}

/**
 * Requests that replace one paragraph's text in place, keeping its paragraph style, guarded
 * by the revision the paragraph was read at (a concurrent edit fails the whole batch).
 * @param {{startIndex:number, endIndex:number}} paragraph from documents.get (endIndex includes its newline)
 */
export function replaceParagraphRequests(result, paragraph, revisionId) {
  const texts = replacementParagraphs(result);
  const spanLines = texts.map((t) => parseInline(t));
  const requests = [];
  const start = paragraph.startIndex;
  const textEnd = paragraph.endIndex - 1;
  if (textEnd > start) requests.push({ deleteContentRange: { range: { startIndex: start, endIndex: textEnd } } });
  const text = spanLines.map(spansText).join('\n');
  const styles = [];
  if (text) {
    requests.push({ insertText: { text, location: { index: start } } });
    styles.push({
      updateTextStyle: { range: { startIndex: start, endIndex: start + text.length }, textStyle: {}, fields: RESET_FIELDS },
    });
    const citeUrls = new Map((result?.citations ?? []).map((c) => [Number(c.n), c.url ?? null]));
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
  }
  return { requests: [...requests, ...styles], writeControl: { requiredRevisionId: revisionId } };
}
