// The preview is the document: the result's blocks rendered in exactly the order and with
// exactly the words the Docs insertion writes (docs-requests.js: normalizeBlocks, charts in
// place with their italic caption, a table's bold caption, then the "Sources" list), as a tree
// for markdown.js's allowlisted DOM builder. Pure: no DOM, no chrome.*.
//
// Also the summary line of a result (as-of date, sources, duration, cost, model) and whether
// the run was degraded (written without the LLM, or with sources missing).

import { normalizeBlocks } from './blocks.js';
import { rendersText, sourcesLine, usableCitations } from './docs-requests.js';
import { inlineNodes } from './markdown.js';

// 1,234 / -5.2% / △3.1%p / 300조원 / 12.5배: a number with an optional Korean unit
const NUMERIC = /^[-+−△▲▼]?\s*\d[\d,]*(\.\d+)?\s*(%p?|원|조원?|억원?|만원?|천원|백만원|배|x|KRW|USD)?$/;

/**
 * @param {object} result the run result
 * @param {{sourcesTitle?:string, asOf?:string}} labels the words the insertion uses
 * @returns {object[]} tree nodes ({tag, attrs?, children} or text); each top-level node has
 *   attrs['data-block'] naming the document paragraph kind it becomes
 */
export function previewTree(result, labels = {}) {
  const words = { sourcesTitle: labels.sourcesTitle ?? 'Sources', asOf: labels.asOf ?? 'as of', uploaded: labels.uploaded ?? 'upload' };
  const citations = usableCitations(result);
  const urls = new Map(citations.map((c) => [c.n, c.url]));
  const inline = (text) => inlineNodes(text, (n) => urls.get(n) ?? null);
  const block = (tag, kind, children, attrs = {}) => ({ tag, attrs: { ...attrs, 'data-block': kind }, children });
  const out = [];
  for (const b of normalizeBlocks(result)) {
    if (!rendersText(b)) continue;
    switch (b.type) {
      case 'heading':
        out.push(block(`h${Math.min(3, b.level)}`, 'heading', inline(b.text)));
        break;
      case 'paragraph':
        out.push(block('p', 'paragraph', inline(b.text)));
        break;
      case 'quote':
        out.push(block('blockquote', 'quote', [{ tag: 'p', children: inline(b.text) }]));
        break;
      case 'bullets':
        out.push(
          block(
            b.ordered ? 'ol' : 'ul',
            'bullets',
            b.items.map((item, i) => ({ tag: 'li', attrs: { 'data-level': String(b.levels[i] ?? 0) }, children: inline(item) })),
          ),
        );
        break;
      case 'table': {
        if (b.caption) out.push(block('p', 'caption', [{ tag: 'strong', children: inline(b.caption) }]));
        // number cells align right, like the figures in a financial table
        const cell = (c, tag) => ({ tag, attrs: NUMERIC.test(c.trim()) ? { 'data-num': '' } : {}, children: inline(c) });
        const row = (cells, tag) => ({ tag: 'tr', children: cells.map((c) => cell(c, tag)) });
        out.push(
          block('table', 'table', [
            ...(b.header ? [{ tag: 'thead', children: [row(b.header, 'th')] }] : []),
            { tag: 'tbody', children: b.rows.map((r) => row(r, 'td')) },
          ]),
        );
        break;
      }
      case 'chart':
        out.push(block('figure', 'chart', [{ tag: 'img', attrs: { src: b.url, alt: b.alt || b.title || '' }, children: [] }]));
        if (b.title) out.push(block('p', 'chart-title', [{ tag: 'em', children: [b.title] }]));
        break;
      default:
        break;
    }
  }
  if (citations.length) {
    out.push(block('h2', 'heading', [words.sourcesTitle]));
    for (const c of citations) {
      const { title, meta } = sourcesLine(c, words);
      const label = title || c.url || '';
      const linked = c.url ? { tag: 'a', attrs: { href: c.url, rel: 'noopener noreferrer', target: '_blank' }, children: [label] } : label;
      out.push(block('p', 'source', [`[${c.n}] `, linked, ...(meta ? [` (${meta})`] : [])]));
    }
  }
  return out;
}

/**
 * The result's summary: the newest as-of date of its sources, how many sources, duration
 * (s, from timings.total), cost (USD), LLM calls and the providers that answered.
 */
export function resultSummary(result) {
  const citations = Array.isArray(result?.citations) ? result.citations : [];
  // an upload's `as_of` is the run's date, not a date of the data: it sets no 기준일
  const dates = citations.filter((c) => c?.provider !== 'upload').map((c) => String(c?.as_of ?? '')).filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)).sort();
  const usage = result?.usage ?? {};
  const timings = result?.timings ?? {};
  const total = Number(timings.total);
  const seconds = Number.isFinite(total) ? total : Object.values(timings).map(Number).filter(Number.isFinite).reduce((a, b) => a + b, 0);
  return {
    asOf: dates.at(-1) ?? null,
    sources: citations.length,
    seconds: seconds > 0 ? seconds : null,
    costUsd: Number.isFinite(Number(usage.cost_usd)) ? Number(usage.cost_usd) : null,
    llmCalls: Number.isFinite(Number(usage.llm_calls)) ? Number(usage.llm_calls) : null,
    models: Object.keys(usage.by_provider ?? {}),
  };
}

const DEGRADING = { llm_unavailable: 'dataOnly', section_fallback: 'dataOnly', source_unavailable: 'sourcesMissing', not_recorded_in_demo: 'sourcesMissing', chart_dropped: 'sourcesMissing' };

/** Why the result is degraded: a set of 'dataOnly' | 'sourcesMissing', from its warnings. */
export function degradedReasons(result) {
  const reasons = new Set();
  for (const w of result?.warnings ?? []) if (DEGRADING[w?.code]) reasons.add(DEGRADING[w.code]);
  return [...reasons];
}

/**
 * The link a person opens for a citation: an Open DART API URL carrying a receipt number
 * becomes the DART viewer page of that filing, one carrying a corp_code that company's
 * filings on the DART site; any other http(s) URL is kept.
 */
export function humanUrl(url) {
  let parsed;
  try {
    parsed = new URL(String(url ?? ''));
  } catch {
    return null;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return null;
  const rcept = parsed.searchParams.get('rcept_no') ?? parsed.searchParams.get('rcpNo');
  if (parsed.hostname === 'opendart.fss.or.kr' && rcept && /^\d{14}$/.test(rcept)) {
    return `https://dart.fss.or.kr/dsaf001/main.do?rcpNo=${rcept}`;
  }
  // any other Open DART API call (company overview, statements, key metrics) is about one
  // company: its page of filings on the DART site, never the API (which needs a key)
  const corp = parsed.searchParams.get('corp_code');
  if (parsed.hostname === 'opendart.fss.or.kr' && corp && /^\d{8}$/.test(corp)) {
    return `https://dart.fss.or.kr/dsab007/main.do?option=corp&textCrpCik=${corp}`;
  }
  if (parsed.hostname === 'opendart.fss.or.kr') return 'https://dart.fss.or.kr/';
  return parsed.href;
}
