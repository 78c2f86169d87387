// The outline review (API.md "Outline review"): a draft started with review_outline stops
// after `outline.review`; this small editable list lets the user reorder, rename, delete and
// add sections, change a section's instructions and approve. The approved outline goes to
// POST /v1/runs/{id}/resume: kept sections keep their `section_id` (and so their data), new
// ones have none (the orchestrator gives them all the run's data).

import { t, uiLanguage } from '../chrome/i18n.js';
import { $, clear, formatDate, h } from './dom.js';

export const MAX_SECTIONS = 12;
export const MAX_TITLE = 200;
export const MAX_INSTRUCTIONS = 2000;
export const MAX_REPORT_TITLE = 300;

export class OutlineError extends Error {}

function sectionItem(section, datasets) {
  const used = (section.data ?? []).map((key) => datasets.get(key) ?? key);
  const li = h('li', { class: 'outline-item', dataset: { sectionId: section.section_id ?? '' } });
  const title = h('input', { class: 'section-title-input', value: String(section.title ?? ''), maxlength: String(MAX_TITLE), 'aria-label': t('outlineSectionTitle') });
  const instructions = h('textarea', { class: 'section-instructions', rows: '2', maxlength: String(MAX_INSTRUCTIONS), 'aria-label': t('outlineInstructions'), placeholder: t('outlineInstructionsPlaceholder') });
  instructions.value = String(section.instructions ?? '');
  const move = (delta) => {
    const sibling = delta < 0 ? li.previousElementSibling : li.nextElementSibling;
    if (!sibling) return;
    if (delta < 0) sibling.before(li);
    else sibling.after(li);
    renumber();
    li.querySelector(delta < 0 ? '.up' : '.down')?.focus();
  };
  li.append(...[
    h('div', { class: 'outline-row' },
      h('span', { class: 'outline-n' }),
      title,
      h('button', { type: 'button', class: 'icon up', 'aria-label': t('outlineUp'), title: t('outlineUp'), onclick: () => move(-1) }, '↑'),
      h('button', { type: 'button', class: 'icon down', 'aria-label': t('outlineDown'), title: t('outlineDown'), onclick: () => move(1) }, '↓'),
      h('button', { type: 'button', class: 'link remove', 'aria-label': t('outlineRemove'), onclick: () => { li.remove(); renumber(); } }, t('delete')),
    ),
    section.purpose ? h('p', { class: 'muted' }, String(section.purpose)) : null,
    used.length ? h('p', { class: 'muted outline-data' }, t('outlineData', [used.join(', ')])) : null,
    instructions,
  ].filter(Boolean)); // DOM append would write a null as the text "null"
  return li;
}

function renumber() {
  const items = [...$('#outline-sections').children];
  items.forEach((li, i) => {
    li.querySelector('.outline-n').textContent = `${i + 1}.`;
    li.querySelector('.up').disabled = i === 0;
    li.querySelector('.down').disabled = i === items.length - 1;
  });
  $('#outline-add').disabled = items.length >= MAX_SECTIONS;
}

/** Shows the proposed outline (the `outline.review` event's data, or GET /v1/runs/{id}'s `review`). */
export function showReview(review, expiresAt) {
  const datasets = new Map((review?.datasets ?? []).map((d) => [d.key, d.title]));
  $('#outline-title').value = String(review?.title ?? '');
  clear($('#outline-sections')).append(...(review?.sections ?? []).map((s) => sectionItem(s, datasets)));
  $('#outline-expires').textContent = expiresAt ? t('outlineExpires', [formatDate(expiresAt, uiLanguage())]) : '';
  $('#outline-error').textContent = '';
  $('#outline-review').hidden = false;
  $('#outline-approve').disabled = false;
  renumber();
}

export function hideReview() {
  $('#outline-review').hidden = true;
  clear($('#outline-sections'));
}

export function addSection() {
  const li = sectionItem({ title: '' }, new Map());
  $('#outline-sections').append(li);
  renumber();
  li.querySelector('.section-title-input').focus();
}

/** The edited outline as the resume body's `outline`; OutlineError when it cannot be sent. */
export function editedOutline() {
  const sections = [...$('#outline-sections').children].map((li) => {
    const section = { title: li.querySelector('.section-title-input').value.trim() };
    if (li.dataset.sectionId) section.section_id = li.dataset.sectionId;
    const instructions = li.querySelector('.section-instructions').value.trim();
    if (instructions) section.instructions = instructions;
    return section;
  });
  if (!sections.length) throw new OutlineError(t('outlineNeedsSection'));
  if (sections.length > MAX_SECTIONS) throw new OutlineError(t('outlineTooMany', [String(MAX_SECTIONS)]));
  const empty = sections.findIndex((s) => !s.title);
  if (empty >= 0) {
    $('#outline-sections').children[empty].querySelector('.section-title-input').focus();
    throw new OutlineError(t('outlineEmptyTitle', [String(empty + 1)]));
  }
  const outline = { sections };
  const title = $('#outline-title').value.trim().slice(0, MAX_REPORT_TITLE);
  if (title) outline.title = title;
  return outline;
}
