// documents.get JSON in and out of a DocsBody (docs-body.mjs): the shapes of Google's
// Document resource (Body, StructuralElement, Paragraph and its elements, Table, TableRow,
// TableCell, lists and inline objects), with every start and end index checked on the way in.

import { DocsError } from './docs-error.mjs';

const clone = (value) => (value === undefined ? undefined : structuredClone(value));

function sameJson(a, b) {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Fills an empty body from a documents.get answer, checking every start/end index on the way. */
export function readDocument(body, document) {
  const { body: content, lists, inlineObjects, ...meta } = document;
  body.meta = meta;
  for (const [listId, list] of Object.entries(lists ?? {})) {
    body.lists.set(listId, presetOf(list));
  }
  for (const [id, object] of Object.entries(inlineObjects ?? {})) {
    body.images.set(id, object.inlineObjectProperties?.embeddedObject?.imageProperties?.sourceUri ?? '');
  }
  const elements = content?.content ?? [];
  if (!elements[0]?.sectionBreak || elements[0].endIndex !== 1) throw new DocsError('the body must start with a section break ending at 1');
  readElements(body, elements.slice(1));
  if (body.units[body.units.length - 1]?.k !== 'nl') throw new DocsError('the body must end with a paragraph');
  return body;
}

function readElements(body, elements) {
  for (const element of elements) {
    if (element.startIndex !== body.units.length) {
      throw new DocsError(`element starts at ${element.startIndex}, expected ${body.units.length}`);
    }
    if (element.paragraph) readParagraph(body, element.paragraph);
    else if (element.table) readTable(body, element.table);
    else throw new DocsError(`unsupported structural element ${Object.keys(element).join(',')}`);
    if (element.endIndex !== body.units.length) throw new DocsError(`element ends at ${element.endIndex}, expected ${body.units.length}`);
  }
}

function readParagraph(body, paragraph) {
  const ps = clone(paragraph.paragraphStyle ?? {});
  const bullet = paragraph.bullet ? { listId: paragraph.bullet.listId, nestingLevel: paragraph.bullet.nestingLevel ?? 0 } : null;
  for (const el of paragraph.elements ?? []) {
    if (el.textRun) {
      for (const c of el.textRun.content) {
        for (let i = 0; i < c.length; i += 1) {
          const ch = c[i];
          body.units.push(ch === '\n' ? { k: 'nl', ts: clone(el.textRun.textStyle ?? {}), ps: clone(ps), bullet: clone(bullet) } : { k: 'text', c: ch, ts: clone(el.textRun.textStyle ?? {}) });
        }
      }
    } else if (el.inlineObjectElement) {
      body.units.push({ k: 'image', id: el.inlineObjectElement.inlineObjectId, ts: clone(el.inlineObjectElement.textStyle ?? {}) });
    } else if (el.richLink) {
      body.units.push({ k: 'chip', link: clone(el.richLink), ts: clone(el.richLink.textStyle ?? {}) });
    } else {
      throw new DocsError(`unsupported paragraph element ${Object.keys(el).join(',')}`);
    }
  }
  if (body.units[body.units.length - 1]?.k !== 'nl') throw new DocsError('a paragraph must end with a newline');
}

function readTable(body, table) {
  body.units.push({ k: 'table' });
  for (const row of table.tableRows ?? []) {
    body.units.push({ k: 'row' });
    for (const cell of row.tableCells ?? []) {
      body.units.push({ k: 'cell' });
      readElements(body, cell.content ?? []);
    }
  }
  body.units.push({ k: 'tableEnd' });
}

/** The documents.get answer for the current body. */
export function writeDocument(body) {
  const lists = {};
  for (const [listId, preset] of body.lists) lists[listId] = { listProperties: { nestingLevels: structuredClone(LEVELS[preset]) } };
  const inlineObjects = {};
  for (const [id, uri] of body.images) {
    inlineObjects[id] = { objectId: id, inlineObjectProperties: { embeddedObject: { imageProperties: { sourceUri: uri, contentUri: uri } } } };
  }
  const [content] = writeElements(body, 1, () => false);
  return {
    ...body.meta,
    body: { content: [{ endIndex: 1, sectionBreak: { sectionStyle: { columnSeparatorStyle: 'NONE', contentDirection: 'LEFT_TO_RIGHT', sectionType: 'CONTINUOUS' } } }, ...content] },
    lists,
    inlineObjects,
  };
}

function writeElements(body, i, stop) {
  const out = [];
  while (i < body.units.length && !stop(body.units[i])) {
    if (body.units[i].k === 'table') {
      const [table, next] = writeTable(body, i);
      out.push(table);
      i = next;
    } else {
      const [paragraph, next] = writeParagraph(body, i);
      out.push(paragraph);
      i = next;
    }
  }
  return [out, i];
}

function writeParagraph(body, start) {
  const end = body.paragraphEnd(start) + 1;
  const elements = [];
  let run = null;
  for (let i = start; i < end; i += 1) {
    const u = body.units[i];
    if (u.k === 'image') {
      run = null;
      elements.push({ startIndex: i, endIndex: i + 1, inlineObjectElement: { inlineObjectId: u.id, textStyle: clone(u.ts) } });
    } else if (u.k === 'chip') {
      run = null;
      elements.push({ startIndex: i, endIndex: i + 1, richLink: { ...clone(u.link), textStyle: clone(u.ts) } });
    } else {
      const c = u.k === 'nl' ? '\n' : u.c;
      if (run && sameJson(run.textRun.textStyle, u.ts)) {
        run.textRun.content += c;
        run.endIndex = i + 1;
      } else {
        run = { startIndex: i, endIndex: i + 1, textRun: { content: c, textStyle: clone(u.ts) } };
        elements.push(run);
      }
    }
  }
  const nl = body.units[end - 1];
  const paragraph = { elements, paragraphStyle: clone(nl.ps) };
  if (nl.bullet) paragraph.bullet = clone(nl.bullet);
  return [{ startIndex: start, endIndex: end, paragraph }, end];
}

function writeTable(body, start) {
  let i = start + 1;
  const tableRows = [];
  while (body.units[i].k === 'row') {
    const rowStart = i;
    i += 1;
    const tableCells = [];
    while (body.units[i].k === 'cell') {
      const cellStart = i;
      const [content, next] = writeElements(body, i + 1, (u) => u.k === 'cell' || u.k === 'row' || u.k === 'tableEnd');
      i = next;
      tableCells.push({ startIndex: cellStart, endIndex: i, content });
    }
    tableRows.push({ startIndex: rowStart, endIndex: i, tableCells });
  }
  if (body.units[i].k !== 'tableEnd') throw new DocsError(`table at ${start} is not closed`);
  i += 1;
  return [{ startIndex: start, endIndex: i, table: { rows: tableRows.length, columns: tableRows[0]?.tableCells.length ?? 0, tableRows } }, i];
}

// documents.get shows a list's glyphs, not its preset: the first two nesting levels of each
// preset (as the preset names spell them), enough to tell the presets apart when a list is
// read back from JSON.
const bullet = (glyphSymbol) => ({ glyphSymbol });
const numbered = (glyphType, glyphFormat) => ({ glyphType, glyphFormat });
export const LEVELS = {
  BULLET_DISC_CIRCLE_SQUARE: [bullet('●'), bullet('○')],
  BULLET_DIAMONDX_ARROW3D_SQUARE: [bullet('❖'), bullet('➢')],
  BULLET_CHECKBOX: [bullet('☐'), bullet('☐')],
  BULLET_ARROW_DIAMOND_DISC: [bullet('➔'), bullet('◆')],
  BULLET_STAR_CIRCLE_SQUARE: [bullet('★'), bullet('○')],
  BULLET_ARROW3D_CIRCLE_SQUARE: [bullet('➢'), bullet('○')],
  BULLET_LEFTTRIANGLE_DIAMOND_DISC: [bullet('◀'), bullet('◆')],
  BULLET_DIAMONDX_HOLLOWDIAMOND_SQUARE: [bullet('❖'), bullet('◇')],
  BULLET_DIAMOND_CIRCLE_SQUARE: [bullet('◆'), bullet('○')],
  NUMBERED_DECIMAL_ALPHA_ROMAN: [numbered('DECIMAL', '%0.'), numbered('ALPHA', '%1.')],
  NUMBERED_DECIMAL_ALPHA_ROMAN_PARENS: [numbered('DECIMAL', '%0)'), numbered('ALPHA', '%1)')],
  NUMBERED_DECIMAL_NESTED: [numbered('DECIMAL', '%0.'), numbered('DECIMAL', '%0.%1.')],
  NUMBERED_UPPERALPHA_ALPHA_ROMAN: [numbered('UPPER_ALPHA', '%0.'), numbered('ALPHA', '%1.')],
  NUMBERED_UPPERROMAN_UPPERALPHA_DECIMAL: [numbered('UPPER_ROMAN', '%0.'), numbered('UPPER_ALPHA', '%1.')],
  NUMBERED_ZERODECIMAL_ALPHA_ROMAN: [numbered('ZERO_DECIMAL', '%0.'), numbered('ALPHA', '%1.')],
};

export function presetOf(list) {
  const levels = list?.listProperties?.nestingLevels ?? [];
  for (const [preset, want] of Object.entries(LEVELS)) {
    if (want.every((level, i) => Object.entries(level).every(([k, v]) => levels[i]?.[k] === v))) return preset;
  }
  return 'BULLET_DISC_CIRCLE_SQUARE';
}


/** The bullet presets of CreateParagraphBulletsRequest.bulletPreset (docs.v1.json), but UNSPECIFIED. */
export const BULLET_PRESETS = new Set(Object.keys(LEVELS));
