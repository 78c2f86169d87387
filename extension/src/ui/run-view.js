// Live progress of a run (steps, per-section text as it streams) and the rendered result.

import { renderMarkdown } from '../lib/markdown.js';
import { safeUrl } from '../lib/inline.js';
import { t } from '../chrome/i18n.js';
import { $, clear, h } from './dom.js';

export function resetProgress() {
  $('#progress').hidden = true;
  $('#progress-bar').value = 0;
  clear($('#steps'));
  clear($('#sections-live'));
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

function sectionBox(id) {
  const live = $('#sections-live');
  let box = [...live.children].find((el) => el.dataset.sectionId === String(id));
  if (!box) {
    box = h('section', { dataset: { sectionId: String(id) } }, h('div', { class: 'live-text' }));
    live.append(box);
  }
  return box;
}

/** Applies one run event to the progress view. Returns the result on run.completed. */
export function applyEvent(event, data) {
  $('#progress').hidden = false;
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
      item.textContent = `${stepLabel(data.name)} · ${status}${data.detail ? ` — ${data.detail}` : ''}`;
      if (typeof data.progress === 'number') $('#progress-bar').value = Math.max(0, Math.min(1, data.progress));
      return null;
    }
    case 'section.delta': {
      const box = sectionBox(data.section_id);
      box.querySelector('.live-text')?.append(document.createTextNode(String(data.text ?? '')));
      return null;
    }
    case 'section.done': {
      const box = sectionBox(data.section_id);
      const body = h('div', { class: 'markdown' });
      body.append(renderMarkdown(data.markdown ?? ''));
      const titled = /^\s*#{1,6}\s/.test(data.markdown ?? '');
      box.replaceChildren(...(titled ? [] : [h('strong', {}, String(data.title ?? ''))]), body);
      return null;
    }
    case 'warning':
      addWarning(data);
      return null;
    case 'run.completed':
      $('#progress-bar').value = 1;
      return data.result ?? data;
    default:
      return null;
  }
}

export function addWarning(warning) {
  const list = $('#warnings');
  const text = String(warning?.message ?? warning?.code ?? warning);
  // the result repeats the warnings already streamed as events
  if ([...list.children].some((li) => li.textContent === text)) return;
  list.hidden = false;
  list.append(h('li', {}, text));
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

export function showResult(result) {
  // results of the demo stack (`make demo`, API.md `demo: true`) are recorded data, never live:
  // the badge says so next to the title; the markdown's first line carries the notice too
  $('#demo-badge').hidden = result.demo !== true;
  const article = $('#result');
  const body = clear($('#result-body'));
  const citations = new Map((result.citations ?? []).map((c) => [Number(c.n), safeUrl(c.url)]));
  // the markdown usually opens with the title as its own heading (after the demo notice, if any)
  const opensWithTitle = /^\s*(?:>[^\n]*\n\s*)?#{1,6}\s/.test(result.markdown ?? '');
  if (result.title && !opensWithTitle) body.append(h('h2', {}, String(result.title)));
  body.append(renderMarkdown(result.markdown ?? '', document, { citeHref: (n) => citations.get(n) ?? null }));
  for (const chart of result.charts ?? []) {
    const src = safeUrl(chart.url);
    if (src) body.append(h('figure', {}, h('img', { src, alt: String(chart.alt ?? chart.title ?? '') }), h('figcaption', {}, String(chart.title ?? ''))));
  }
  // the orchestrator's markdown usually ends with its own "[n] ..." list already
  const listed = /^\s*[-*]\s*\[\d+\]/m.test(result.markdown ?? '');
  if ((result.citations ?? []).length && !listed) {
    const list = h('ol', { class: 'sources' });
    for (const c of result.citations) {
      const href = safeUrl(c.url);
      const title = String(c.title ?? c.provider ?? '');
      list.append(
        h('li', { value: String(c.n) }, href ? h('a', { href, target: '_blank', rel: 'noopener noreferrer' }, title) : title, ` (${[c.provider, c.as_of].filter(Boolean).join(', ')})`),
      );
    }
    body.append(h('h3', {}, t('sourcesTitle')), list);
  }
  for (const w of result.warnings ?? []) addWarning(w);
  article.hidden = false;
}

export function hideResult() {
  $('#result').hidden = true;
  $('#conflict').hidden = true;
  clear($('#result-body'));
}
