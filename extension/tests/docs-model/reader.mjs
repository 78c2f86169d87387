// What a reader sees in a document body: paragraphs with their text, per-character styles,
// paragraph style and list membership, and tables of cells. Tests compare this view of the
// model after a batch with the view they expect, so both sides are put in one canonical form:
// runs of equally styled text merged, default styles left out, lists numbered by first
// appearance (the ids Docs gives are arbitrary).

const OBJECT = '\ufffc'; // an inline image in a paragraph's text
const CHIP = '\ufffd'; // a smart chip (rich link)

/** The visible text style: only what differs from plain text. */
export function visibleTextStyle(ts = {}) {
  const out = {};
  for (const key of ['bold', 'italic', 'underline', 'strikethrough', 'smallCaps']) if (ts[key]) out[key] = true;
  if (ts.link?.url) out.link = ts.link.url;
  if (ts.baselineOffset && ts.baselineOffset !== 'NONE' && ts.baselineOffset !== 'BASELINE_OFFSET_UNSPECIFIED') out.baselineOffset = ts.baselineOffset;
  for (const key of ['fontSize', 'foregroundColor', 'backgroundColor', 'weightedFontFamily']) if (ts[key] !== undefined) out[key] = ts[key];
  return out;
}

/** JSON with object keys sorted, to compare styles whatever order their keys were set in. */
export function stableJson(value) {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Appends text with a style to runs, merging with the previous run when the style is the same. */
export function pushRun(runs, text, style) {
  if (!text) return;
  const last = runs[runs.length - 1];
  if (last && stableJson(last.style) === stableJson(style)) last.text += text;
  else runs.push({ text, style: { ...style } });
}

/** The visible paragraph style: the named style (NORMAL_TEXT when unset) and any other field set. */
export function visibleParagraphStyle(ps = {}) {
  const { headingId: _h, ...rest } = ps;
  return { ...rest, namedStyleType: ps.namedStyleType ?? 'NORMAL_TEXT' };
}

/** Reader view of a DocsBody: [{paragraph}|{table}]. */
export function readerView(body) {
  const [items] = readItems(body, 1, () => false);
  return canonical(items);
}

function readItems(body, i, stop) {
  const items = [];
  const units = body.units;
  while (i < units.length && !stop(units[i])) {
    if (units[i].k === 'table') {
      i += 1;
      const rows = [];
      while (units[i].k === 'row') {
        i += 1;
        const cells = [];
        while (units[i].k === 'cell') {
          const [content, next] = readItems(body, i + 1, (u) => u.k === 'cell' || u.k === 'row' || u.k === 'tableEnd');
          cells.push(content);
          i = next;
        }
        rows.push(cells);
      }
      i += 1; // the unit that closes the table
      items.push({ table: rows });
      continue;
    }
    const runs = [];
    const images = [];
    while (units[i].k !== 'nl') {
      const u = units[i];
      if (u.k === 'image') images.push(body.images.get(u.id));
      const text = u.k === 'text' ? u.c : u.k === 'image' ? OBJECT : CHIP;
      pushRun(runs, text, visibleTextStyle(u.ts));
      i += 1;
    }
    const nl = units[i];
    i += 1;
    const item = { text: runs.map((r) => r.text).join(''), runs, style: visibleParagraphStyle(nl.ps) };
    if (images.length) item.images = images;
    if (nl.bullet) item.bullet = { list: nl.bullet.listId, level: nl.bullet.nestingLevel ?? 0, ordered: String(body.lists.get(nl.bullet.listId)).startsWith('NUMBERED') };
    items.push(item);
  }
  return [items, i];
}

/**
 * Canonical form shared with the tests' expectations: lists renamed L1, L2, ... by first
 * appearance; with `dropTableGaps`, the plain empty paragraphs Docs needs around a table
 * (insertTable's newline, the paragraph that must follow a table) are left out.
 */
export function canonical(items, { dropTableGaps = true } = {}) {
  const names = new Map();
  const rename = (list) => {
    if (!names.has(list)) names.set(list, `L${names.size + 1}`);
    return names.get(list);
  };
  const walk = (seq) => {
    const out = [];
    seq.forEach((item, n) => {
      if (item.table) {
        out.push({ table: item.table.map((row) => row.map((cell) => walk(cell))) });
        return;
      }
      const nearTable = seq[n - 1]?.table || seq[n + 1]?.table;
      const plainEmpty = item.text === '' && !item.bullet && JSON.stringify(item.style) === JSON.stringify({ namedStyleType: 'NORMAL_TEXT' });
      if (dropTableGaps && nearTable && plainEmpty) return;
      const copy = { ...item, runs: item.runs.map((r) => ({ ...r, style: { ...r.style } })) };
      if (item.bullet) copy.bullet = { ...item.bullet, list: rename(item.bullet.list) };
      out.push(copy);
    });
    return out;
  };
  return walk(items);
}

export { CHIP, OBJECT };
