// The company field: suggestions from the gateway's company search while typing
// (GET /v1/companies/resolve, into a <datalist>), and before a run the question "which
// company?" when the name fits several listed companies ("삼성") — a draft is never written
// about a company the user did not pick. A name nobody lists stops before the run.

import { gateway } from '../chrome/gateway.js';
import { t } from '../chrome/i18n.js';
import { $, clear, h } from './dom.js';

const DEBOUNCE_MS = 250;
const label = (item) => `${item.name} (${item.ticker}${item.market ? ` · ${item.market}` : ''})`;

export function setupCompanyField() {
  let timer = null;
  let controller = null;
  let confirmed = ''; // the name the user picked from the question (or a clear match)

  function suggest() {
    clearTimeout(timer);
    const q = $('#company').value.trim();
    if (!q) return;
    timer = setTimeout(async () => {
      controller?.abort();
      controller = new AbortController();
      try {
        const answer = await gateway.resolveCompanies(q, { signal: controller.signal });
        if ($('#company').value.trim() !== q) return;
        clear($('#company-options')).append(...(answer.items ?? []).map((item) => h('option', { value: item.name, label: label(item) })));
      } catch {
        // suggestions are a help only: the run itself still checks the name
      }
    }, DEBOUNCE_MS);
  }

  function hideQuestion() {
    $('#company-question').hidden = true;
    clear($('#company-choices'));
  }

  /**
   * Resolves before a run. `onPick(name)` starts the run again once the user chose.
   * Returns 'go' (run now), 'asked' (the question is shown) or an Error to show
   * (company_not_found: no listed company by that name).
   */
  async function check(onPick) {
    hideQuestion();
    const field = $('#company');
    const q = field.value.trim();
    if (!q || q === confirmed || field.closest('[hidden]')) return 'go';
    let answer;
    try {
      answer = await gateway.resolveCompanies(q);
    } catch {
      return 'go'; // the search is down: the orchestrator's resolve step still refuses unknown names
    }
    const items = answer.items ?? [];
    if (!items.length) return Object.assign(new Error(t('err_company_not_found')), { code: 'company_not_found', field: 'company' });
    if (!answer.ambiguous) {
      confirmed = q;
      return 'go';
    }
    $('#company-question-text').textContent = t('companyWhich', [q]);
    clear($('#company-choices')).append(
      ...items.map((item) =>
        h('button', {
          type: 'button',
          dataset: { ticker: item.ticker },
          onclick: () => {
            field.value = item.name;
            confirmed = item.name;
            hideQuestion();
            onPick(item.name);
          },
        }, label(item)),
      ),
    );
    $('#company-question').hidden = false;
    $('#company-choices button')?.focus();
    return 'asked';
  }

  $('#company').addEventListener('input', () => {
    hideQuestion();
    suggest();
  });
  return { check, hideQuestion };
}
