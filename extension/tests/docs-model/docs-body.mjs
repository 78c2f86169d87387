// A Google Docs document body, modelled from Google's documentation only (never from the
// extension's code), so that the extension's batchUpdate bodies can be applied to it and
// the result compared with what a reader expects. What each rule is built from:
//
// - "Structure of a Google Docs document" and the Location/Range schema: indexes are
//   zero-based UTF-16 code units; the body starts with a section break at 0 (its endIndex
//   is 1); every paragraph ends with "\n".
// - "Work with tables" (the 2x2 offset table, quoted in docs-model.test.mjs): a table is one
//   start unit, per row one row unit, per cell one cell unit followed by the cell's
//   paragraphs, then one unit that closes the table, so an empty R x C table occupies
//   2 + R*(2C+1) units.
// - InsertTableRequest.location: "A newline character will be inserted before the inserted
//   table, therefore the table start index will be at the specified location index + 1.
//   The table must be inserted inside the bounds of an existing Paragraph."
// - InsertTextRequest.text: a newline creates a paragraph whose "paragraph style ... will be
//   copied from the paragraph at the current insertion index, including lists and bullets";
//   the text style "will match the text immediately before the insertion index"; "Some
//   control characters (U+0000-U+0008, U+000C-U+001F) and characters from the Unicode Basic
//   Multilingual Plane Private Use Area (U+E000-U+F8FF) will be stripped out".
//   InsertTextRequest.location: "Text must be inserted inside the bounds of an existing
//   Paragraph. For instance, text cannot be inserted at a table's start index".
// - CreateParagraphBulletsRequest: "The nesting level of each paragraph will be determined
//   by counting leading tabs ... these leading tabs are removed by this request ... If the
//   paragraph immediately before paragraphs being updated is in a list with a matching
//   preset, the paragraphs being updated are added to that preceding list."
// - DeleteParagraphBulletsRequest: "The nesting level of each paragraph will be visually
//   preserved by adding indent to the start of the corresponding paragraph."
// - DeleteContentRangeRequest.range: 400 for "Deleting one code unit of a surrogate pair",
//   "Deleting the last newline character of a Body, ... TableCell", "Deleting the start or
//   end of a Table ... without deleting the entire element", "Deleting the newline character
//   before a Table ... without deleting the element", "Deleting individual rows or cells".
// - Update{Text,Paragraph}StyleRequest.fields: a field mask; a field named in the mask but
//   unset in the style is reset to its default; "*" names every field.
//
// Where the documentation is silent the model takes the reading that is hardest on the
// extension and says so: an empty range or empty insert is refused; the paragraphs of a new
// table's cells copy the paragraph style (not the bullet) of the paragraph the table was
// inserted into; a merged paragraph keeps the properties of the newline that survives.

import { DocsError } from './docs-error.mjs';
import { BULLET_PRESETS, readDocument, writeDocument } from './docs-json.mjs';

export { DocsError };

const STRUCTURE = new Set(['section', 'table', 'row', 'cell', 'tableEnd']);
const CONTENT = new Set(['text', 'nl', 'image', 'chip']);
// InsertTextRequest.text: the characters Docs strips from inserted text.
const STRIPPED = /[\u0000-\u0008\u000c-\u001f\ue000-\uf8ff]/g;

/** The colour the model gives new links (Docs' default link colour; the value is the model's). */
export const LINK_COLOR = { color: { rgbColor: { red: 0.06666667, green: 0.33333334, blue: 0.8 } } };

const MODELLED = new Set(['insertText', 'insertTable', 'insertInlineImage', 'deleteContentRange', 'updateTextStyle', 'updateParagraphStyle', 'createParagraphBullets', 'deleteParagraphBullets']);

const clone = (value) => (value === undefined ? undefined : structuredClone(value));
const isHigh = (u) => u?.k === 'text' && u.c >= '\ud800' && u.c <= '\udbff';
const isLow = (u) => u?.k === 'text' && u.c >= '\udc00' && u.c <= '\udfff';

/** A document body as a flat list of units, one per index. */
export class DocsBody {
  constructor() {
    this.units = [{ k: 'section' }];
    this.lists = new Map(); // listId -> bullet preset
    this.images = new Map(); // inline object id -> source uri
    this.meta = {};
    this.nextId = 1;
  }

  get length() {
    return this.units.length;
  }

  // ---------- documents.get JSON in and out (docs-json.mjs) ----------

  /** Builds the body from a documents.get answer (checking every start/end index on the way). */
  static fromDocument(document) {
    return readDocument(new DocsBody(), document);
  }

  /** The documents.get answer for the current body. */
  toDocument() {
    return writeDocument(this);
  }

  // ---------- geometry ----------

  paragraphEnd(i) {
    for (let j = i; j < this.units.length; j += 1) {
      if (this.units[j].k === 'nl') return j;
      if (STRUCTURE.has(this.units[j].k)) break;
    }
    throw new DocsError(`index ${i} is not inside a paragraph`);
  }

  paragraphStart(i) {
    let j = i;
    while (j > 0 && (this.units[j - 1].k === 'text' || this.units[j - 1].k === 'image' || this.units[j - 1].k === 'chip')) j -= 1;
    return j;
  }

  /** Newline indexes of the paragraphs that overlap [start, end). */
  paragraphsOverlapping(start, end) {
    const ends = [];
    for (let i = start; i < end; i += 1) {
      if (!CONTENT.has(this.units[i].k)) continue;
      const nl = this.paragraphEnd(i);
      if (ends[ends.length - 1] !== nl) ends.push(nl);
      i = nl;
    }
    return ends;
  }

  /** For each structural unit of each table: [tableStart, tableEndUnit]. */
  tableSpans() {
    const spans = new Map();
    const stack = [];
    this.units.forEach((u, i) => {
      if (u.k === 'table') stack.push({ start: i, members: [i] });
      else if (u.k === 'row' || u.k === 'cell') stack[stack.length - 1].members.push(i);
      else if (u.k === 'tableEnd') {
        const t = stack.pop();
        t.members.push(i);
        for (const m of t.members) spans.set(m, [t.start, i]);
      }
    });
    return spans;
  }

  checkInsertion(index, where) {
    if (!Number.isInteger(index) || index < 1 || index >= this.units.length || !CONTENT.has(this.units[index].k)) {
      throw new DocsError(`${where}: The insertion index must be inside the bounds of an existing paragraph. You can still create new paragraphs by inserting newlines.`);
    }
    if (isLow(this.units[index]) && isHigh(this.units[index - 1])) {
      throw new DocsError(`${where}: The insertion index cannot split a surrogate pair.`);
    }
  }

  checkRange(range, where) {
    const s = range?.startIndex;
    const e = range?.endIndex;
    if (!Number.isInteger(s) || !Number.isInteger(e)) throw new DocsError(`${where}: The range must have integer start and end indexes.`);
    if (s >= e) throw new DocsError(`${where}: The range should not be empty.`);
    if (s < 0 || e > this.units.length) throw new DocsError(`${where}: Index ${e - 1} must be less than the end index of the referenced segment, ${this.units.length}.`);
    return [s, e];
  }

  /** Text style for text inserted at `index`: the text immediately before it in the same paragraph, else the paragraph's first unit. */
  neighbourStyle(index) {
    const before = this.units[index - 1];
    if (before && (before.k === 'text' || before.k === 'image' || before.k === 'chip')) return clone(before.ts);
    return clone(this.units[index].ts ?? {});
  }

  // ---------- batchUpdate ----------

  /** Applies a batch all or nothing: on the first refused request nothing changes and DocsError is thrown. */
  applyBatch(requests) {
    if (!Array.isArray(requests) || requests.length === 0) throw new DocsError('Invalid requests: at least one request is required.');
    const draft = this.copy();
    requests.forEach((request, n) => draft.apply(request, n));
    Object.assign(this, draft);
  }

  copy() {
    const c = new DocsBody();
    c.units = structuredClone(this.units);
    c.lists = new Map(this.lists);
    c.images = new Map(this.images);
    c.meta = clone(this.meta);
    c.nextId = this.nextId;
    return c;
  }

  apply(request, n = 0) {
    const kinds = Object.keys(request ?? {});
    if (kinds.length !== 1) throw new DocsError(`Invalid requests[${n}]: exactly one kind of request must be set.`);
    const [kind] = kinds;
    const spec = request[kind];
    const where = `Invalid requests[${n}].${kind}`;
    if (!MODELLED.has(kind)) throw new DocsError(`${where}: this request kind is not modelled`);
    return this[kind](spec, where); // each modelled kind is a method of the same name
  }

  insertText({ text, location }, where) {
    if (typeof text !== 'string' || text.length === 0) throw new DocsError(`${where}: Insert text requests must specify text to insert.`);
    const index = location?.index;
    this.checkInsertion(index, where);
    const kept = text.replace(STRIPPED, '');
    const nl = this.units[this.paragraphEnd(index)];
    const ts = this.neighbourStyle(index);
    const units = [];
    for (const c of kept) {
      for (let i = 0; i < c.length; i += 1) {
        units.push(c[i] === '\n' ? { k: 'nl', ts: clone(ts), ps: clone(nl.ps), bullet: clone(nl.bullet) } : { k: 'text', c: c[i], ts: clone(ts) });
      }
    }
    this.units.splice(index, 0, ...units);
  }

  insertTable({ rows, columns, location }, where) {
    const index = location?.index;
    this.checkInsertion(index, where);
    if (!Number.isInteger(rows) || !Number.isInteger(columns) || rows < 1 || columns < 1) throw new DocsError(`${where}: A table must have at least one row and one column.`);
    const nl = this.units[this.paragraphEnd(index)];
    const ts = this.neighbourStyle(index);
    const table = [{ k: 'table' }];
    for (let r = 0; r < rows; r += 1) {
      table.push({ k: 'row' });
      for (let c = 0; c < columns; c += 1) table.push({ k: 'cell' }, { k: 'nl', ts: {}, ps: clone(nl.ps), bullet: null });
    }
    table.push({ k: 'tableEnd' });
    // the newline before the table ends the text before `index` as a paragraph of its own
    this.units.splice(index, 0, { k: 'nl', ts, ps: clone(nl.ps), bullet: clone(nl.bullet) }, ...table);
  }

  insertInlineImage({ uri, location }, where) {
    const index = location?.index;
    this.checkInsertion(index, where);
    if (typeof uri !== 'string' || !/^https?:\/\//.test(uri)) throw new DocsError(`${where}: There was a problem retrieving the image.`);
    const id = `kix.model${this.nextId++}`;
    this.images.set(id, uri);
    this.units.splice(index, 0, { k: 'image', id, ts: this.neighbourStyle(index) });
  }

  deleteContentRange({ range }, where) {
    const [s, e] = this.checkRange(range, where);
    if (s < 1) throw new DocsError(`${where}: Invalid deletion range: the section break cannot be deleted.`);
    if (e > this.units.length - 1) throw new DocsError(`${where}: Invalid deletion range. Cannot delete the requested range: the last newline of the body.`);
    if ((isLow(this.units[s]) && isHigh(this.units[s - 1])) || (isLow(this.units[e]) && isHigh(this.units[e - 1]))) {
      throw new DocsError(`${where}: Invalid deletion range: it would delete one code unit of a surrogate pair.`);
    }
    const spans = this.tableSpans();
    const whole = ([ts, te]) => ts >= s && te < e;
    for (let i = s; i < e; i += 1) {
      const u = this.units[i];
      if (STRUCTURE.has(u.k)) {
        if (!whole(spans.get(i))) throw new DocsError(`${where}: Invalid deletion range: it deletes part of a table's structure.`);
        continue;
      }
      const next = this.units[i + 1];
      if (u.k === 'nl' && next && (next.k === 'cell' || next.k === 'row' || next.k === 'tableEnd') && !whole(spans.get(i + 1))) {
        throw new DocsError(`${where}: Invalid deletion range: the last newline of a table cell cannot be deleted.`);
      }
      if (u.k === 'nl' && next?.k === 'table' && !whole(spans.get(i + 1))) {
        throw new DocsError(`${where}: Invalid deletion range: the newline before a table cannot be deleted without the table.`);
      }
    }
    this.units.splice(s, e - s);
  }

  updateTextStyle({ range, textStyle, fields }, where) {
    const [s, e] = this.checkRange(range, where);
    const names = maskFields(fields, TEXT_STYLE_FIELDS, where);
    const linking = names.includes('link') && textStyle?.link !== undefined;
    for (let i = s; i < e; i += 1) {
      const u = this.units[i];
      if (!CONTENT.has(u.k)) continue;
      for (const f of names) {
        // "Links are not settable on newline characters."
        if (f === 'link' && u.k === 'nl') continue;
        if (textStyle?.[f] === undefined) delete u.ts[f];
        else u.ts[f] = clone(textStyle[f]);
      }
      // TextStyle.link: "When setting a link, the text foreground color will be updated to the
      // default link color and the text will be underlined. If these fields are modified in
      // the same request, those values will be used instead of the link defaults."
      if (linking && u.k !== 'nl') {
        if (!names.includes('underline')) u.ts.underline = true;
        if (!names.includes('foregroundColor')) u.ts.foregroundColor = clone(LINK_COLOR);
      }
    }
  }

  updateParagraphStyle({ range, paragraphStyle, fields }, where) {
    const [s, e] = this.checkRange(range, where);
    const names = maskFields(fields, PARAGRAPH_STYLE_FIELDS, where);
    for (const nl of this.paragraphsOverlapping(s, e)) {
      const ps = this.units[nl].ps;
      for (const f of names) {
        if (paragraphStyle?.[f] === undefined) delete ps[f];
        else ps[f] = clone(paragraphStyle[f]);
      }
    }
  }

  createParagraphBullets({ range, bulletPreset }, where) {
    const [s, e] = this.checkRange(range, where);
    if (!BULLET_PRESETS.has(bulletPreset)) throw new DocsError(`${where}: Invalid bullet preset.`);
    const ends = this.paragraphsOverlapping(s, e);
    if (ends.length === 0) return;
    // the paragraph immediately before the first one: joined when in a list of the same preset
    const firstStart = this.paragraphStart(ends[0]);
    const before = this.units[firstStart - 1];
    let listId;
    if (before?.k === 'nl' && before.bullet && this.lists.get(before.bullet.listId) === bulletPreset) {
      listId = before.bullet.listId;
    } else {
      listId = `kix.list${this.nextId++}`;
      this.lists.set(listId, bulletPreset);
    }
    // last paragraph first, so removing its leading tabs does not move the others
    for (const nl of [...ends].reverse()) {
      const start = this.paragraphStart(nl);
      let tabs = 0;
      while (this.units[start + tabs].k === 'text' && this.units[start + tabs].c === '\t') tabs += 1;
      this.units[nl].bullet = { listId, nestingLevel: Math.min(tabs, 8) };
      this.units.splice(start, tabs);
    }
  }

  deleteParagraphBullets({ range }, where) {
    const [s, e] = this.checkRange(range, where);
    for (const nl of this.paragraphsOverlapping(s, e)) {
      const u = this.units[nl];
      if (!u.bullet) continue;
      // "visually preserved by adding indent to the start of the corresponding paragraph"
      const level = u.bullet.nestingLevel ?? 0;
      u.ps.indentStart = { magnitude: 36 * (level + 1), unit: 'PT' };
      u.ps.indentFirstLine = { magnitude: 18 + 36 * level, unit: 'PT' };
      u.bullet = null;
    }
  }
}

// TextStyle and ParagraphStyle fields as the discovery document lists them (docs.v1.json).
const TEXT_STYLE_FIELDS = ['backgroundColor', 'baselineOffset', 'bold', 'fontSize', 'foregroundColor', 'italic', 'link', 'smallCaps', 'strikethrough', 'underline', 'weightedFontFamily'];
const PARAGRAPH_STYLE_FIELDS = [
  'alignment', 'avoidWidowAndOrphan', 'borderBetween', 'borderBottom', 'borderLeft', 'borderRight', 'borderTop', 'direction',
  'headingId', 'indentEnd', 'indentFirstLine', 'indentStart', 'keepLinesTogether', 'keepWithNext', 'lineSpacing', 'namedStyleType',
  'pageBreakBefore', 'shading', 'spaceAbove', 'spaceBelow', 'spacingMode', 'tabStops',
];

function maskFields(fields, known, where) {
  if (typeof fields !== 'string' || !fields.trim()) throw new DocsError(`${where}: At least one field must be specified.`);
  const names = fields.split(',').map((f) => f.trim());
  if (names.length === 1 && names[0] === '*') return known;
  for (const f of names) {
    if (!known.includes(f)) throw new DocsError(`${where}: Invalid field mask: ${f}`);
  }
  return names;
}
