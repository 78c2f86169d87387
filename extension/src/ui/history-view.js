// The session's earlier runs with their duration and whether a result was inserted;
// opening one shows its result again (and its settings in the form), re-running starts it
// again with the same settings. "Inserted" is remembered locally (chrome.storage.local).

import { gateway } from '../chrome/gateway.js';
import { t, uiLanguage } from '../chrome/i18n.js';
import { formatElapsed } from '../lib/run-card.js';
import { $, clear, formatDate, h } from './dom.js';

const INSERTED_KEY = 'insertedRuns';
const INSERTED_KEEP = 500;

async function insertedRuns() {
  const { [INSERTED_KEY]: ids } = await chrome.storage.local.get(INSERTED_KEY);
  return ids ?? [];
}

export function setupHistory({ onOpen, onRerun }) {
  let sessionId = null;
  let lastRuns = [];

  function render(runs, inserted = new Set()) {
    lastRuns = runs;
    const ul = clear($('#run-list'));
    $('#history-empty').hidden = runs.length > 0;
    for (const run of runs) {
      const prompt = String(run.prompt ?? '');
      ul.append(
        h(
          'li',
          { dataset: { runId: run.run_id } },
          h(
            'span',
            { class: 'grow' },
            h('strong', {}, t(`kind_${run.kind}`)),
            ' ',
            prompt.length > 80 ? `${prompt.slice(0, 80)}…` : prompt,
            h('br'),
            h(
              'span',
              { class: 'muted' },
              formatDate(run.created_at, uiLanguage()),
              run.finished_at ? ` · ${formatElapsed(Date.parse(run.finished_at) - Date.parse(run.created_at))}` : '',
              typeof run.cost_usd === 'number' ? ` · US$${run.cost_usd.toFixed(run.cost_usd && run.cost_usd < 0.01 ? 4 : 2)}` : '',
            ),
          ),
          inserted.has(run.run_id) ? h('span', { class: 'badge ok', dataset: { inserted: 'true' } }, t('insertedMark')) : null,
          h('span', { class: 'badge', dataset: { status: String(run.status ?? '') } }, chrome.i18n.getMessage(`run_${run.status}`) || String(run.status ?? '')),
          // a draft waiting for its outline approval opens its outline editor
          h('button', { type: 'button', class: 'link open', 'aria-label': t('openRunLabel', [prompt.slice(0, 40)]), onclick: () => onOpen(run.run_id) }, run.status === 'waiting' ? t('reviewOutline') : t('open')),
          h('button', { type: 'button', class: 'link rerun', 'aria-label': t('rerunLabel', [prompt.slice(0, 40)]), onclick: () => onRerun(run.run_id) }, t('rerun')),
        ),
      );
    }
  }

  return {
    async load(sid) {
      sessionId = sid;
      const [runs, inserted] = await Promise.all([gateway.listRuns(sid), insertedRuns()]);
      if (sid === sessionId) render(runs, new Set(inserted));
    },
    async markInserted(runId) {
      const ids = (await insertedRuns()).filter((id) => id !== runId);
      await chrome.storage.local.set({ [INSERTED_KEY]: [runId, ...ids].slice(0, INSERTED_KEEP) });
      render(lastRuns, new Set([runId, ...ids]));
    },
    clear() {
      sessionId = null;
      render([]);
    },
  };
}
