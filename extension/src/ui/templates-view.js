// The report-template chooser of the draft form and "save as template" in the outline review
// (API.md templates). The chooser lists the built-ins (named in the panel's language) and the
// user's saved templates with their descriptions; a template that compares companies
// (min_companies > 1) shows the companies field in place of the company field, any template
// hides the free sections field (the gateway refuses both together). A saved template can be
// deleted from the chooser.

import { gateway } from '../chrome/gateway.js';
import { t } from '../chrome/i18n.js';
import { describeError } from '../lib/error-codes.js';
import { TEMPLATES_CHANGED, TemplateError, comparesCompanies, templateFromOutline, templateLabel } from '../lib/templates.js';
import { $, clear, h } from './dom.js';

const message = (key) => chrome.i18n.getMessage(key) || '';

/**
 * `status(text)` writes the panel's status line, `onError(error)` shows an error box.
 * Returns {load, clear, apply, chosen, saveFrom}.
 */
export function setupTemplates({ status, onError }) {
  let templates = [];

  const chosen = () => templates.find((item) => item.id === $('#template').value) ?? null;

  /** Shows the fields the chosen template needs (after showKindOptions set them by kind). */
  function apply() {
    const template = chosen();
    const draft = !$('#template-field').hidden;
    const peers = draft && comparesCompanies(template);
    $('#companies-field').hidden = !peers;
    if (draft) $('#company-field').hidden = peers;
    $('#sections-field').hidden = !draft || !!template;
    $('#template-description').textContent = template ? templateLabel(template, message).description : t('templateNoneHint');
    $('#template-delete').hidden = !template || !!template.builtin;
  }

  function render(selected = $('#template').value) {
    const select = clear($('#template'));
    select.append(h('option', { value: '' }, t('templateNone')));
    const builtins = templates.filter((item) => item.builtin);
    const saved = templates.filter((item) => !item.builtin);
    const option = (item) => h('option', { value: item.id }, templateLabel(item, message).name);
    if (builtins.length) select.append(h('optgroup', { label: t('templateBuiltins') }, ...builtins.map(option)));
    if (saved.length) select.append(h('optgroup', { label: t('templateSaved') }, ...saved.map(option)));
    select.value = templates.some((item) => item.id === selected) ? selected : '';
    apply();
  }

  /** GET /v1/templates; `selected` keeps (or sets) the choice when it is listed. */
  async function load(selected) {
    templates = await gateway.listTemplates();
    render(selected);
  }

  function reset() {
    templates = [];
    render('');
  }

  async function removeChosen() {
    const template = chosen();
    if (!template || template.builtin) return;
    if (!globalThis.confirm(t('templateDeleteConfirm', [template.name]))) return;
    try {
      await gateway.deleteTemplate(template.id);
      await load('');
      status(t('templateDeleted', [template.name]));
    } catch (error) {
      onError(error);
    }
  }

  // ---------- save an edited outline as a template ----------

  let outlineOf = null; // () => the edited outline, from the review

  function openSave(getOutline) {
    outlineOf = getOutline;
    $('#template-save-error').textContent = '';
    $('#template-save-dialog').hidden = false;
    $('#template-name').focus();
  }

  function closeSave() {
    $('#template-save-dialog').hidden = true;
    $('#template-save-error').textContent = '';
    outlineOf = null;
  }

  /** Saves; the gateway's refusals (same name, too many, outside the shape) become sentences in the dialog. */
  async function confirmSave() {
    const company = $('#company').value;
    const getOutline = outlineOf;
    if (!getOutline) return;
    const say = (text) => {
      $('#template-save-error').textContent = text;
    };
    let body;
    try {
      body = templateFromOutline($('#template-name').value, getOutline(), { company });
    } catch (error) {
      if (error instanceof TemplateError) return say(t(error.key, error.params));
      return say(error.message); // the outline's own check (already a sentence)
    }
    const button = $('#template-save-confirm');
    button.disabled = true;
    try {
      const saved = await gateway.saveTemplate(body);
      await load($('#template').value);
      closeSave();
      $('#template-name').value = '';
      status(t('templateSaved_done', [saved.name]));
    } catch (error) {
      say(error?.code === 'validation_error' ? t('templateInvalid') : t(describeError(error).key));
    } finally {
      button.disabled = false;
    }
    return undefined;
  }

  $('#template').addEventListener('change', apply);
  // the options page saved or deleted a template: list it (or drop it) at once
  chrome.runtime.onMessage.addListener((message) => {
    if (message?.type === TEMPLATES_CHANGED && templates.length) load($('#template').value).catch(() => {});
  });
  $('#template-delete').addEventListener('click', removeChosen);
  $('#template-save-cancel').addEventListener('click', closeSave);
  $('#template-save-confirm').addEventListener('click', confirmSave);
  // a refusal is about the name typed then: typing again clears it
  $('#template-name').addEventListener('input', () => {
    $('#template-save-error').textContent = '';
  });
  $('#template-name').addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      $('#template-save-confirm').click();
    }
  });

  return { load, clear: reset, apply, chosen, openSave, closeSave };
}
