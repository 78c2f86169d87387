// Inline markdown -> flat spans, shared by the panel preview and the Docs conversion so
// both agree on what is bold, a link or a citation.
// A span: {text, bold?, italic?, code?, link?, cite?}. `link` is only ever an http(s) URL.

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** The URL if it is absolute http(s), else null. Everything else (javascript:, data:, relative) is refused. */
export function safeUrl(raw) {
  if (typeof raw !== 'string') return null;
  const trimmed = raw.trim();
  if (!trimmed || /[\s<>"'`]/.test(trimmed) || CONTROL.test(trimmed)) {
    CONTROL.lastIndex = 0;
    return null;
  }
  let url;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
}

// Docs' insertText strips U+0000-U+0008, U+000C-U+001F and the BMP private-use area
// U+E000-U+F8FF (InsertTextRequest.text): a stripped character would shift every index
// computed after it, so they never reach a request. That covers PDF bullet glyphs (U+F0B7)
// and Docs' own smart-chip placeholder (U+E907) copied out of a document.
const PRIVATE_USE = /[\ue000-\uf8ff]/g;

/** Removes characters Google Docs strips or refuses in insertText and that have no meaning in a result. */
export function cleanText(text) {
  return String(text ?? '')
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, '')
    .replace(PRIVATE_USE, '');
}

// [1], [^1], [1, 2], [ 1，2 ] (the orchestrator's grounding check accepts the fullwidth comma too)
const CITE_RE = /^\[\s*\^?(\d{1,3}(?:\s*[,，]\s*\^?\d{1,3})*)\s*\]/;
const SCHEME_RE = /^[a-z][a-z0-9+.-]*:/i;
const LINK_RE = /^\[([^\]\n]*)\]\(([^()\s]*(?:\([^()\s]*\)[^()\s]*)*)\)/;

function push(spans, text, style) {
  if (!text) return;
  const last = spans[spans.length - 1];
  if (last && sameStyle(last, style) && !last.cite && !style.cite) {
    last.text += text;
    return;
  }
  spans.push({ text, ...style });
}

function sameStyle(a, b) {
  return !!a.bold === !!b.bold && !!a.italic === !!b.italic && !!a.code === !!b.code && (a.link ?? null) === (b.link ?? null);
}

function findClosing(text, from, marker) {
  let i = from;
  while (i < text.length) {
    if (text[i] === '\\') {
      i += 2;
      continue;
    }
    if (text.startsWith(marker, i)) return i;
    i += 1;
  }
  return -1;
}

/** The closing "*" of an italic opened before `from`, stepping over whole "**bold**" runs inside it. */
function findItalicClosing(text, from) {
  let i = from;
  while (i < text.length) {
    if (text[i] === '\\') {
      i += 2;
      continue;
    }
    if (text.startsWith('**', i)) {
      const close = findClosing(text, i + 2, '**');
      if (close > i + 2) {
        i = close + 2;
        continue;
      }
      i += 2;
      continue;
    }
    if (text[i] === '*') return i;
    i += 1;
  }
  return -1;
}

function parse(text, style, spans) {
  let buffer = '';
  const flush = () => {
    push(spans, buffer, style);
    buffer = '';
  };
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length && /[\\`*_[\]()#>|-]/.test(text[i + 1])) {
      buffer += text[i + 1];
      i += 2;
      continue;
    }
    if (ch === '`') {
      const end = text.indexOf('`', i + 1);
      if (end > i + 1) {
        flush();
        push(spans, text.slice(i + 1, end), { ...style, code: true });
        i = end + 1;
        continue;
      }
    }
    if (ch === '*' && text.startsWith('***', i) && text[i + 3] !== ' ') {
      const end = findClosing(text, i + 3, '***');
      if (end > i + 3) {
        flush();
        parse(text.slice(i + 3, end), { ...style, bold: true, italic: true }, spans);
        i = end + 3;
        continue;
      }
    }
    if ((ch === '*' || ch === '_') && text[i + 1] === ch) {
      const marker = ch + ch;
      let end = findClosing(text, i + 2, marker);
      // "**a *b***": the bold closes on the last two of the three asterisks
      while (end > 0 && text[end + 2] === ch) end += 1;
      if (end > i + 2) {
        flush();
        parse(text.slice(i + 2, end), { ...style, bold: true }, spans);
        i = end + 2;
        continue;
      }
    }
    if (ch === '*' && text[i + 1] !== ' ') {
      const end = findItalicClosing(text, i + 1);
      if (end > i + 1 && text[end - 1] !== ' ') {
        flush();
        parse(text.slice(i + 1, end), { ...style, italic: true }, spans);
        i = end + 1;
        continue;
      }
    }
    if (ch === '[') {
      const rest = text.slice(i);
      const link = LINK_RE.exec(rest);
      const cite = CITE_RE.exec(rest);
      // "[1](https://...)" is a link whose label is a number, not citation 1
      if (cite && !style.link && !(link && SCHEME_RE.test(link[2]))) {
        flush();
        for (const n of cite[1].split(/[,，]/)) {
          const num = Number(n.replace(/[\s^]/g, ''));
          spans.push({ text: `[${num}]`, ...style, cite: num });
        }
        i += cite[0].length;
        continue;
      }
      if (link) {
        flush();
        const href = safeUrl(link[2]);
        // A refused URL keeps its label as plain text, so no scheme ever reaches an href.
        parse(link[1], href && !style.link ? { ...style, link: href } : style, spans);
        i += link[0].length;
        continue;
      }
    }
    buffer += ch;
    i += 1;
  }
  flush();
}

/** Parses one line (or paragraph) of inline markdown into spans. */
export function parseInline(text) {
  const spans = [];
  parse(cleanText(text).replace(/\n/g, ' '), {}, spans);
  return spans;
}

/** Plain text of spans, as it will appear in the document. */
export function spansText(spans) {
  return spans.map((s) => s.text).join('');
}
