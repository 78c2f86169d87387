// The options page's manager of the user's saved report templates (API.md templates): lists
// them with their sections, deletes one, and saves a new one written as one section a line
// (`title | instructions`). The panel's chooser is told to reload (TEMPLATES_CHANGED).

import { SignInRequired } from '../chrome/auth.js';
import { gateway } from '../chrome/gateway.js';
import { t } from '../chrome/i18n.js';
import { describeError } from '../lib/error-codes.js';
import { TEMPLATES_CHANGED, TemplateError, templateFromText } from '../lib/templates.js';
import { $, clear, h } from './dom.js';

function say(selector, text, kind = 'ok') {
  $(selector).textContent = text;
  $(selector).dataset.kind = kind;
}

/** A refusal as a sentence: the panel's own checks, then the gateway's codes (422: the shape). */
function sentence(error) {
  if (error instanceof TemplateError) return t(error.key, error.params);
  if (error instanceof SignInRequired) return t('err_sign_in_required');
  if (error?.code === 'validation_error') return t('templateInvalid');
  return t(describeError(error).key);
}

function announce() {
  // no panel open: nobody to tell
  chrome.runtime.sendMessage({ type: TEMPLATES_CHANGED }).catch(() => {});
}

async function render() {
  const list = $('#template-list');
  let saved;
  try {
    saved = (await gateway.listTemplates()).filter((item) => !item.builtin);
  } catch (error) {
    clear(list);
    say('#template-list-status', sentence(error), 'error');
    return;
  }
  say('#template-list-status', saved.length ? '' : t('optTemplatesNone'));
  clear(list).append(
    ...saved.map((item) =>
      h('li', { dataset: { templateId: item.id } },
        h('strong', {}, item.name),
        h('span', { class: 'muted' }, ` — ${item.sections.map((s) => s.title).join(' · ')}`),
        h('button', { type: 'button', class: 'link remove', 'aria-label': t('templateDeleteNamed', [item.name]), onclick: () => remove(item) }, t('delete'))),
    ),
  );
}

async function remove(item) {
  if (!globalThis.confirm(t('templateDeleteConfirm', [item.name]))) return;
  try {
    await gateway.deleteTemplate(item.id);
    announce();
    await render();
    say('#template-list-status', t('templateDeleted', [item.name]));
  } catch (error) {
    say('#template-list-status', sentence(error), 'error');
  }
}

async function add(event) {
  event.preventDefault();
  say('#template-form-status', '');
  const form = $('#template-form');
  try {
    const body = templateFromText(form.name.value, form.title.value, form.sections.value);
    const saved = await gateway.saveTemplate(body);
    form.reset();
    announce();
    await render();
    say('#template-form-status', t('templateSaved_done', [saved.name]));
  } catch (error) {
    say('#template-form-status', sentence(error), 'error');
  }
}

export function setupTemplateManager() {
  $('#template-form').addEventListener('submit', add);
  $('#template-form').addEventListener('input', () => say('#template-form-status', ''));
  return render();
}
