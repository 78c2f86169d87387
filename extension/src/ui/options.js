// Options page: gateway URL, sign-in mode, OAuth client id and the Google endpoints.
// A gateway or endpoint outside the built-in host permissions is asked for at save time
// (optional_host_permissions), so the extension holds only the hosts the user chose.

import { DEFAULTS, getConfig, normalizeConfig, saveConfig } from '../chrome/config.js';
import { localize, t } from '../chrome/i18n.js';
import { $ } from './dom.js';
import { setupTemplateManager } from './options-templates.js';

const FIELDS = ['gatewayUrl', 'clientId', 'devEmail', 'oauthAuthUrl', 'oauthRevokeUrl', 'docsApiUrl'];

function fill(config) {
  for (const name of FIELDS) $(`#${name}`).value = config[name];
  $(config.authMode === 'dev' ? '#authDev' : '#authGoogle').checked = true;
}

function originPattern(url) {
  const { protocol, hostname } = new URL(url);
  return `${protocol}//${hostname}/*`;
}

function said(text, kind = 'ok') {
  $('#saved').textContent = text;
  $('#saved').dataset.kind = kind;
}

async function save(event) {
  event.preventDefault();
  said(''); // a previous "Saved." must not stand next to a save that fails
  const form = $('#options');
  if (!form.reportValidity()) return;
  const values = Object.fromEntries(new FormData(form).entries());
  const config = normalizeConfig(values);
  const origins = [config.gatewayUrl, config.docsApiUrl, config.oauthRevokeUrl].map(originPattern);
  // Must run inside the click's user gesture, before any other await.
  try {
    const granted = await chrome.permissions.request({ origins: [...new Set(origins)] });
    if (!granted) {
      said(t('optPermissionDenied'), 'error');
      return;
    }
    await saveConfig(config);
  } catch (error) {
    said(`${t('optSaveFailed')} ${error?.message ?? ''}`.trim(), 'error');
    return;
  }
  said(t('saved'));
}

async function main() {
  localize();
  $('#redirect').textContent = chrome.identity.getRedirectURL();
  fill(await getConfig());
  $('#options').addEventListener('submit', save);
  $('#options').addEventListener('input', () => said(''));
  $('#reset').addEventListener('click', () => fill(normalizeConfig(DEFAULTS)));
  await setupTemplateManager();
}

main();
