// Markdown -> a tree of allowed elements -> DOM built with createElement/createTextNode.
// No HTML string is ever parsed: raw HTML in a result stays literal text, only a fixed set
// of tags can exist, and the only attribute that carries a URL (a[href]) accepts http(s)
// only (see inline.js safeUrl).
//
// Tree node: a string (text) or {tag, attrs?, children}.

import { cleanText, parseInline, safeUrl } from './inline.js';

export const ALLOWED_TAGS = new Set([
  'h1', 'h2', 'h3', 'p', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code', 'strong', 'em', 'a', 'sup',
  'table', 'thead', 'tbody', 'tr', 'th', 'td', 'hr', 'figure', 'img',
]);
// data-block / data-level / data-num only label preview blocks and number cells; the URL attributes pass safeUrl below.
const ALLOWED_ATTRS = { a: new Set(['href', 'rel', 'target']), img: new Set(['src', 'alt']) };
const DATA_ATTRS = new Set(['data-block', 'data-level', 'data-num', 'data-cite']);
const URL_ATTRS = new Set(['href', 'src']);

/** Inline markdown -> tree nodes (bold, italic, code, links, citations as superscript links). */
export function inlineNodes(text, citeHref) {
  return parseInline(text).map((span) => {
    let node = span.text;
    if (span.code) node = { tag: 'code', children: [node] };
    if (span.cite) {
      const href = citeHref?.(span.cite);
      node = { tag: 'sup', attrs: { 'data-cite': String(span.cite) }, children: [href ? link(href, [node]) : node] };
    }
    if (span.italic) node = { tag: 'em', children: [node] };
    if (span.bold) node = { tag: 'strong', children: [node] };
    if (span.link) node = link(span.link, [node]);
    return node;
  });
}

function link(href, children) {
  return { tag: 'a', attrs: { href, rel: 'noopener noreferrer', target: '_blank' }, children };
}

const TABLE_ROW = /^\s*\|.*\|\s*$/;
const TABLE_SEP = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;

function splitRow(line) {
  return line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
}

/** Parses markdown into a list of block nodes. `citeHref(n)` gives a citation's link, if any. */
export function markdownToTree(markdown, { citeHref } = {}) {
  const lines = cleanText(markdown).split('\n');
  const out = [];
  let i = 0;
  const isBlockStart = (line) =>
    /^\s*(#{1,6}\s|[-*+]\s|\d{1,3}[.)]\s|>|```)/.test(line) || /^\s*([-*_])(\s*\1){2,}\s*$/.test(line);
  while (i < lines.length) {
    const line = lines[i];
    if (!line.trim()) {
      i += 1;
      continue;
    }
    const fence = /^\s*```/.exec(line);
    if (fence) {
      const body = [];
      i += 1;
      while (i < lines.length && !/^\s*```/.test(lines[i])) body.push(lines[i++]);
      i += 1;
      out.push({ tag: 'pre', children: [{ tag: 'code', children: [body.join('\n')] }] });
      continue;
    }
    const heading = /^\s*(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const level = Math.min(3, heading[1].length);
      out.push({ tag: `h${level}`, children: inlineNodes(heading[2], citeHref) });
      i += 1;
      continue;
    }
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      out.push({ tag: 'hr', children: [] });
      i += 1;
      continue;
    }
    if (TABLE_ROW.test(line) && i + 1 < lines.length && TABLE_SEP.test(lines[i + 1])) {
      const header = splitRow(line);
      i += 2;
      const rows = [];
      while (i < lines.length && TABLE_ROW.test(lines[i])) rows.push(splitRow(lines[i++]));
      const cells = (row, tag) => row.map((c) => ({ tag, children: inlineNodes(c, citeHref) }));
      out.push({
        tag: 'table',
        children: [
          { tag: 'thead', children: [{ tag: 'tr', children: cells(header, 'th') }] },
          { tag: 'tbody', children: rows.map((r) => ({ tag: 'tr', children: cells(r, 'td') })) },
        ],
      });
      continue;
    }
    const bullet = /^\s*([-*+]|\d{1,3}[.)])\s+/.exec(line);
    if (bullet) {
      const ordered = /\d/.test(bullet[1]);
      const items = [];
      while (i < lines.length) {
        const item = /^\s*([-*+]|\d{1,3}[.)])\s+(.*)$/.exec(lines[i]);
        if (!item || /\d/.test(item[1]) !== ordered) break;
        items.push({ tag: 'li', children: inlineNodes(item[2], citeHref) });
        i += 1;
      }
      out.push({ tag: ordered ? 'ol' : 'ul', children: items });
      continue;
    }
    if (/^\s*>/.test(line)) {
      const body = [];
      while (i < lines.length && /^\s*>/.test(lines[i])) body.push(lines[i++].replace(/^\s*>\s?/, ''));
      out.push({ tag: 'blockquote', children: [{ tag: 'p', children: inlineNodes(body.join(' '), citeHref) }] });
      continue;
    }
    const para = [];
    while (i < lines.length && lines[i].trim() && !(para.length && isBlockStart(lines[i])) && !TABLE_ROW.test(lines[i])) {
      para.push(lines[i++].trim());
    }
    if (para.length === 0) para.push(lines[i++].trim());
    out.push({ tag: 'p', children: inlineNodes(para.join(' '), citeHref) });
  }
  return out;
}

/** Builds DOM nodes from a tree; refuses any tag or attribute outside the allowlist. */
export function renderTree(nodes, doc = globalThis.document) {
  const fragment = doc.createDocumentFragment();
  for (const node of nodes) fragment.appendChild(renderNode(node, doc));
  return fragment;
}

function renderNode(node, doc) {
  if (typeof node === 'string') return doc.createTextNode(node);
  if (!ALLOWED_TAGS.has(node.tag)) return doc.createTextNode('');
  const el = doc.createElement(node.tag);
  const allowed = ALLOWED_ATTRS[node.tag];
  for (const [name, value] of Object.entries(node.attrs ?? {})) {
    if (!allowed?.has(name) && !DATA_ATTRS.has(name)) continue;
    if (URL_ATTRS.has(name) && !safeUrl(value)) continue; // only absolute http(s)
    el.setAttribute(name, String(value));
  }
  for (const child of node.children ?? []) el.appendChild(renderNode(child, doc));
  return el;
}

/** markdown -> DocumentFragment, safe to append anywhere. */
export function renderMarkdown(markdown, doc = globalThis.document, options = {}) {
  return renderTree(markdownToTree(markdown, options), doc);
}
