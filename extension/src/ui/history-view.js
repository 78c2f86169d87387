// The session's earlier runs; opening one shows its result again, ready to insert.

import { gateway } from '../chrome/gateway.js';
import { t, uiLanguage } from '../chrome/i18n.js';
import { $, clear, formatDate, h } from './dom.js';

export function setupHistory({ onOpen }) {
  let sessionId = null;

  function render(runs) {
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
            h('span', { class: 'muted' }, formatDate(run.created_at, uiLanguage())),
          ),
          h('span', { class: 'badge' }, chrome.i18n.getMessage(`run_${run.status}`) || String(run.status ?? '')),
          h('button', { type: 'button', class: 'link', 'aria-label': t('openRunLabel', [prompt.slice(0, 40)]), onclick: () => onOpen(run.run_id) }, t('open')),
        ),
      );
    }
  }

  return {
    async load(sid) {
      sessionId = sid;
      const runs = await gateway.listRuns(sid);
      if (sid === sessionId) render(runs);
    },
    clear() {
      sessionId = null;
      render([]);
    },
  };
}
