// Live progress of a run (steps, per-section text as it streams) and the rendered result.

import { renderMarkdown, renderTree } from '../lib/markdown.js';
import { degradedReasons, humanUrl, previewTree, resultSummary } from '../lib/preview.js';
import { draftFraction, newProgress, progressAfter } from '../lib/progress.js';
import { safeUrl } from '../lib/inline.js';
import { t } from '../chrome/i18n.js';
import { ERROR_CODES } from '../lib/error-codes.js';
import { stepDetail, warningDetail } from '../lib/server-messages.js';
import { $, clear, h } from './dom.js';

// a server message by name, '' when the panel has none (server-messages.js falls back to the server's sentence)
const lookup = (key) => chrome.i18n.getMessage(key);

// a draft's bar follows the expected time (lib/progress.js); other kinds follow the server
let tracker = null;

/** Clears the progress view; `kind` and `length` of the run that follows (drafts are weighted by time). */
export function resetProgress(kind = null, length = 'standard') {
  tracker = kind === 'draft' ? newProgress(length) : null;
  $('#found-data').hidden = true;
  $('#found-data').open = false;
  clear($('#found-data-list'));
  $('#progress').hidden = true;
  delete $('#progress').dataset.state;
  $('#elapsed').textContent = '';
  $('#progress-bar').value = 0;
  clear($('#steps'));
  clear($('#sections-live'));
  $('#sections-live').hidden = false;
  clear($('#warnings'));
  $('#warnings').hidden = true;
}

function stepLabel(name) {
  // per-section steps are named section:<id>; their detail carries the section title
  if (String(name).startsWith('section:')) return chrome.i18n.getMessage('step_section') || String(name);
  const key = `step_${String(name).replace(/[^a-z0-9_]/gi, '_')}`;
  const label = chrome.i18n.getMessage(key);
  return label || String(name);
}

// Each section streams into a box titled with its section title (from the section step's
// detail, or section.done), with its own status.
function sectionBox(id, title) {
  const live = $('#sections-live');
  let box = [...live.children].find((el) => el.dataset.sectionId === String(id));
  if (!box) {
    box = h(
      'section',
      { dataset: { sectionId: String(id), status: 'started' } },
      h('div', { class: 'section-head' }, h('strong', { class: 'section-title' }), h('span', { class: 'section-status muted' }, t('status_started'))),
      h('div', { class: 'live-text' }),
    );
    live.append(box);
  }
  if (title) {
    const heading = box.querySelector('.section-title');
    if (heading) heading.textContent = String(title);
  }
  return box;
}

function advance(event, data) {
  const bar = $('#progress-bar');
  const server = typeof data?.progress === 'number' ? Math.max(0, Math.min(1, data.progress)) : null;
  let value = event === 'run.completed' ? 1 : server;
  if (tracker) {
    tracker = progressAfter(tracker, event, data);
    value = Math.max(server ?? 0, draftFraction(tracker));
  }
  // never backwards (parallel sections report in any order)
  if (value !== null && (!bar.hasAttribute('value') || value > bar.value)) bar.value = value;
}

/**
 * The data a run found (the gather step's `items`: datasets with provider, as-of date and
 * citation number), as an expandable list under the steps ("데이터 11건" can be opened).
 */
function showFound(items) {
  const list = clear($('#found-data-list'));
  for (const item of items) {
    const meta = [item.provider === 'upload' ? t('uploadedFile') : item.provider, item.as_of && item.provider !== 'upload' ? `${t('asOf')} ${item.as_of}` : '']
      .filter(Boolean)
      .join(' · ');
    list.append(h('li', { dataset: { key: String(item.key ?? '') } }, item.n ? `[${item.n}] ` : '', String(item.title ?? item.key ?? ''), meta ? h('span', { class: 'muted' }, ` — ${meta}`) : null));
  }
  $('#found-data-summary').textContent = t('foundData', [String(items.length)]);
  $('#found-data').hidden = items.length === 0;
}

function setSectionStatus(box, status) {
  box.dataset.status = status;
  box.querySelector('.section-status').textContent = chrome.i18n.getMessage(`status_${status}`) || status;
}

/** Applies one run event to the progress view. Returns the result on run.completed. */
export function applyEvent(event, data) {
  $('#progress').hidden = false;
  if (event === 'step' || event === 'section.delta' || event === 'section.done' || event === 'run.completed') advance(event, data);
  switch (event) {
    case 'run.started':
      $('#progress-bar').removeAttribute('value');
      return null;
    case 'step': {
      const steps = $('#steps');
      let item = [...steps.children].find((el) => el.dataset.name === String(data.name));
      if (!item) {
        item = h('li', { dataset: { name: String(data.name) } });
        steps.append(item);
      }
      item.dataset.status = data.status ?? '';
      const status = chrome.i18n.getMessage(`status_${data.status}`) || data.status || '';
      const detail = stepDetail(lookup, data);
      item.textContent = `${stepLabel(data.name)} · ${status}${detail ? ` — ${detail}` : ''}`;
      if (Array.isArray(data.items)) showFound(data.items);
      if (String(data.name).startsWith('section:')) {
        const box = sectionBox(String(data.name).slice('section:'.length), detail);
        setSectionStatus(box, data.status ?? '');
      }
      return null;
    }
    case 'section.delta': {
      const box = sectionBox(data.section_id);
      box.querySelector('.live-text')?.append(document.createTextNode(String(data.text ?? '')));
      return null;
    }
    case 'section.done': {
      const box = sectionBox(data.section_id, data.title);
      const body = h('div', { class: 'markdown' });
      body.append(renderMarkdown(data.markdown ?? ''));
      const titled = /^\s*#{1,6}\s/.test(data.markdown ?? '');
      setSectionStatus(box, 'done');
      // a section whose text starts with its own heading does not repeat its title
      box.querySelector('.section-title').hidden = titled;
      box.querySelector('.live-text').replaceWith(body);
      return null;
    }
    case 'warning':
      addWarning(data);
      return null;
    case 'run.completed':
      return data.result ?? data;
    default:
      return null;
  }
}

/**
 * A warning as a sentence in the panel's language (err_<code>, lib/error-codes.js) with the
 * server's specific wording under it (which number, which section), also in the panel's
 * language when its code and params are known (lib/server-messages.js).
 */
export function addWarning(warning) {
  const list = $('#warnings');
  const code = typeof warning?.code === 'string' && warning.code in ERROR_CODES ? warning.code : null;
  // deduplicated by the server's sentence, shown in the panel's language
  const key = `${code ?? ''}|${String(warning?.message ?? warning?.code ?? warning)}`;
  const detail = warningDetail(lookup, warning) || String(warning);
  // the result repeats the warnings already streamed as events
  if ([...list.children].some((li) => li.dataset.key === key)) return;
  list.hidden = false;
  const item = h('li', { dataset: { key, code: code ?? '' } });
  if (code) item.append(t(`err_${code}`), h('small', {}, detail));
  else item.append(detail);
  list.append(item);
}

/** Chart URLs may be relative to the gateway; the Docs API and the preview need absolute ones. */
export function absolutizeCharts(result, gatewayUrl) {
  const fix = (item) => {
    if (!item || typeof item !== 'object' || !item.url) return item;
    try {
      return { ...item, url: new URL(item.url, `${gatewayUrl}/`).href };
    } catch {
      return item;
    }
  };
  return {
    ...result,
    charts: (result.charts ?? []).map(fix),
    blocks: (result.blocks ?? []).map((b) => (b?.type === 'chart' ? fix(b) : b)),
  };
}

/**
 * Shows the result as the document will read once inserted (lib/preview.js: the same blocks,
 * order and words as the Docs insertion, charts in place), once: the streamed section boxes
 * give way to it. Above it a summary line and, when the run was degraded, a banner.
 */
export function showResult(result, labels) {
  // results of the demo stack (`make demo`, API.md `demo: true`) are recorded data, never live:
  // the badge says so next to the title; the first block carries the notice too
  $('#demo-badge').hidden = result.demo !== true;
  const article = $('#result');
  const body = clear($('#result-body'));
  const tree = previewTree(result, labels);
  if (tree.length) body.append(renderTree(tree));
  else {
    // no blocks (an answer): its markdown, citations linked
    const citations = new Map((result.citations ?? []).map((c) => [Number(c.n), safeUrl(c.url)]));
    body.append(renderMarkdown(result.markdown ?? '', document, { citeHref: (n) => citations.get(n) ?? null }));
  }
  $('#sections-live').hidden = true;
  renderSummary(result);
  for (const w of result.warnings ?? []) addWarning(w);
  article.hidden = false;
}

function renderSummary(result) {
  const s = resultSummary(result);
  const parts = [];
  if (s.asOf) parts.push(t('sumAsOf', [s.asOf]));
  if (s.sources) parts.push(t('sumSources', [String(s.sources)]));
  if (s.seconds) parts.push(t('sumDuration', [s.seconds >= 10 ? s.seconds.toFixed(0) : s.seconds.toFixed(s.seconds < 1 ? 2 : 1)]));
  if (s.llmCalls !== null) parts.push(t('sumLlm', [String(s.llmCalls)]));
  if (s.costUsd !== null) parts.push(`US$${s.costUsd.toFixed(s.costUsd && s.costUsd < 0.01 ? 4 : 2)}`);
  if (s.models.length) parts.push(s.models.join(', '));
  $('#result-summary').textContent = parts.join(' · ');
  const reasons = degradedReasons(result);
  const banner = $('#degraded');
  banner.hidden = reasons.length === 0;
  banner.textContent = reasons.map((r) => t(`degraded_${r}`)).join(' ');
}

export function hideResult() {
  $('#result').hidden = true;
  $('#conflict').hidden = true;
  $('#replace-preview').hidden = true;
  $('#insert-note').textContent = '';
  clear($('#result-body'));
}

/**
 * A citation in the preview opens a small card: the source's title, provider and date, and
 * a link a person can read (the DART viewer rather than an API URL).
 */
export function showCitation(result, sup) {
  const n = Number(sup.dataset.cite);
  const citation = (result?.citations ?? []).find((c) => Number(c.n) === n);
  document.getElementById('cite-pop')?.remove();
  if (!citation) return;
  const pop = h('span', { id: 'cite-pop', class: 'cite-pop', role: 'dialog', 'aria-label': `[${n}]` });
  const href = humanUrl(citation.url);
  // an upload: its page and the passage cited, and no 기준일 (its as_of is the run's date)
  const upload = citation.provider === 'upload';
  const meta = upload
    ? [t('uploadedFile'), Number.isInteger(citation.page) ? t('citePage', [String(citation.page)]) : '']
    : [citation.provider, citation.as_of ? `${t('asOf')} ${citation.as_of}` : ''];
  pop.append(...[
    h('strong', {}, `[${n}] ${String(citation.title ?? citation.provider ?? '')}`),
    h('span', { class: 'muted' }, meta.filter(Boolean).join(' · ')),
    citation.passage ? h('q', { class: 'cite-passage' }, String(citation.passage)) : null,
    href ? h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, t('openSource')) : null,
    h('button', { type: 'button', class: 'link', onclick: () => pop.remove() }, t('dismiss')),
  ].filter(Boolean)); // DOM append would write a null as the text "null"
  sup.after(pop);
}
