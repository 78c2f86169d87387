// Normalises a run result's `blocks` (API.md: heading|paragraph|bullets|table|chart|quote)
// into one strict shape, tolerating the field spellings a producer may use, so the Docs
// conversion and the preview never guess.

import { cleanText, safeUrl } from './inline.js';

function textOf(value) {
  if (value == null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'object') return textOf(value.text ?? value.markdown ?? value.value ?? '');
  return '';
}

function withCitations(text, citations) {
  const body = cleanText(text).trim();
  if (!Array.isArray(citations) || citations.length === 0) return body;
  // Markers already in the text win; block-level citations are appended only when absent.
  if (/\[\^?\d{1,3}\]/.test(body)) return body;
  const marks = citations
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0)
    .map((n) => `[${n}]`)
    .join('');
  return marks ? `${body}${marks}` : body;
}

function clampLevel(level) {
  // a missing level (null, undefined, '') means a section heading: 2, as the orchestrator writes them
  if (level === null || level === undefined || level === '') return 2;
  const n = Number(level);
  if (!Number.isFinite(n)) return 2;
  return Math.min(3, Math.max(1, Math.round(n)));
}

function chartFor(block, charts) {
  const list = Array.isArray(charts) ? charts : [];
  let chart = block.chart && typeof block.chart === 'object' ? block.chart : null;
  if (!chart && Number.isInteger(block.chart_index)) chart = list[block.chart_index] ?? null;
  if (!chart && block.chart_id) chart = list.find((c) => c.chart_id === block.chart_id) ?? null;
  if (!chart && Number.isInteger(block.index)) chart = list[block.index] ?? null;
  if (!chart && Number.isInteger(block.chart)) chart = list[block.chart] ?? null;
  const { chart: _embedded, ...own } = block;
  const merged = { ...(chart ?? {}), ...own, url: own.url ?? chart?.url };
  const url = safeUrl(merged.url);
  if (!url) return null;
  return {
    type: 'chart',
    url,
    title: cleanText(merged.title ?? '').trim(),
    alt: cleanText(merged.alt ?? merged.title ?? '').trim(),
    source: merged.source ?? null,
  };
}

const SOURCES_TITLES = new Set(['출처', 'sources', 'source', 'references', '참고 자료', '참고자료']);

/**
 * A producer may end its blocks with its own plain-text sources list (a "출처" heading and
 * "[n] ..." bullets). The Docs conversion writes a linked sources list from `citations`
 * instead, so that one is dropped rather than written twice.
 */
function withoutSourcesSection(blocks, citations) {
  if (!Array.isArray(citations) || citations.length === 0) return blocks;
  const out = [];
  for (let i = 0; i < blocks.length; i += 1) {
    const block = blocks[i];
    const next = blocks[i + 1];
    const isTitle = block?.type === 'heading' && SOURCES_TITLES.has(String(textOf(block)).trim().toLowerCase());
    const items = Array.isArray(next?.items) ? next.items : [];
    if (isTitle && next?.type === 'bullets' && items.length && items.every((it) => /^\s*\[\d+\]/.test(textOf(it)))) {
      i += 1;
      continue;
    }
    out.push(block);
  }
  return out;
}

const MAX_NESTING = 8; // Docs lists have nesting levels 0-8

/** List items in document order with their nesting level: an item may carry its own `items` (or `children`). */
function flattenItems(list, level) {
  const out = [];
  for (const item of Array.isArray(list) ? list : []) {
    const text = withCitations(textOf(item), item?.citations).replace(/\n/g, ' ');
    if (text) out.push({ text, level: Math.min(level, MAX_NESTING) });
    const children = item && typeof item === 'object' ? (item.items ?? item.children) : null;
    if (Array.isArray(children)) out.push(...flattenItems(children, level + 1));
  }
  return out;
}

/** Returns strict blocks: heading{level,text} paragraph{text} quote{text} bullets{items,levels,ordered} table{header,rows} chart{url,title,alt}. */
export function normalizeBlocks(result) {
  const out = [];
  const blocks = withoutSourcesSection(Array.isArray(result?.blocks) ? result.blocks : [], result?.citations);
  for (const block of blocks) {
    if (!block || typeof block !== 'object') continue;
    switch (block.type) {
      case 'heading': {
        const text = cleanText(textOf(block)).replace(/\n/g, ' ').trim();
        if (text) out.push({ type: 'heading', level: clampLevel(block.level), text });
        break;
      }
      case 'paragraph':
      case 'quote': {
        const text = withCitations(textOf(block), block.citations);
        if (text) out.push({ type: block.type, text });
        break;
      }
      case 'bullets':
      case 'list': {
        const flat = flattenItems(block.items, 0);
        const items = flat.map((f) => f.text);
        if (block.citations?.length && items.length) {
          items[items.length - 1] = withCitations(items[items.length - 1], block.citations);
        }
        if (items.length) out.push({ type: 'bullets', items, levels: flat.map((f) => f.level), ordered: !!block.ordered });
        break;
      }
      case 'table': {
        const header = (block.header ?? block.columns ?? block.headers ?? []).map((c) => cleanText(textOf(c)).trim());
        const rows = (Array.isArray(block.rows) ? block.rows : [])
          .filter(Array.isArray)
          .map((row) => row.map((c) => cleanText(textOf(c)).replace(/\n/g, ' ').trim()));
        const width = Math.max(header.length, ...rows.map((r) => r.length), 0);
        if (width === 0 || (header.length === 0 && rows.length === 0)) break;
        const pad = (row) => [...row, ...Array(width - row.length).fill('')];
        out.push({
          type: 'table',
          header: header.length ? pad(header) : null,
          rows: rows.map(pad),
          caption: cleanText(block.caption ?? block.title ?? '').trim(),
        });
        break;
      }
      case 'chart': {
        const chart = chartFor(block, result.charts);
        if (chart) out.push(chart);
        break;
      }
      default:
        break;
    }
  }
  return out;
}

/**
 * The text that replaces a paragraph in place: the result's text blocks, one paragraph each.
 * Tables and charts have no place inside a paragraph and are left out, and a result whose
 * only text is a heading (a chart result: heading, chart, table, sources) has nothing to put
 * there. A result without blocks falls back to its markdown's plain paragraphs (never its
 * tables, images or markers).
 */
export function replacementParagraphs(result) {
  const texts = [];
  const blocks = Array.isArray(result?.blocks) ? result.blocks : [];
  const normalized = normalizeBlocks(result);
  const hasBody = normalized.some((b) => b.type === 'paragraph' || b.type === 'quote' || b.type === 'bullets');
  for (const block of hasBody ? normalized : []) {
    if (block.type === 'paragraph' || block.type === 'quote' || block.type === 'heading') texts.push(block.text);
    if (block.type === 'bullets') texts.push(...block.items);
  }
  if (blocks.length === 0 && typeof result?.markdown === 'string') {
    for (const para of cleanText(result.markdown).split(/\n{2,}/)) {
      const lines = para
        .split('\n')
        .filter((line) => !/^\s*(\||!\[|```)/.test(line))
        .map((line) => line.replace(/^\s*(#{1,6}|>|[-*•]|\d+[.)])\s+/, '').trim());
      const text = lines.filter(Boolean).join(' ');
      if (text) texts.push(text);
    }
  }
  return texts;
}
