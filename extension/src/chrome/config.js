// Settings from the options page, kept in chrome.storage.local. Every endpoint the panel
// talks to is here, so a deployment (or a test) can point it at its own gateway and at a
// stand-in for Google; the defaults are the local dev gateway and Google's real endpoints.

export const DEFAULTS = Object.freeze({
  gatewayUrl: 'http://127.0.0.1:8000',
  authMode: 'google', // 'google': Google sign-in; 'dev': the gateway's AUTH_MODE=dev on loopback
  devEmail: '',
  clientId: '',
  oauthAuthUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
  oauthRevokeUrl: 'https://oauth2.googleapis.com/revoke',
  docsApiUrl: 'https://docs.googleapis.com',
});

const trimSlash = (url) => String(url ?? '').trim().replace(/\/+$/, '');

export function normalizeConfig(raw) {
  const merged = { ...DEFAULTS, ...(raw ?? {}) };
  return {
    ...merged,
    gatewayUrl: trimSlash(merged.gatewayUrl) || DEFAULTS.gatewayUrl,
    docsApiUrl: trimSlash(merged.docsApiUrl) || DEFAULTS.docsApiUrl,
    oauthAuthUrl: String(merged.oauthAuthUrl).trim() || DEFAULTS.oauthAuthUrl,
    oauthRevokeUrl: String(merged.oauthRevokeUrl).trim() || DEFAULTS.oauthRevokeUrl,
    clientId: String(merged.clientId ?? '').trim(),
    devEmail: String(merged.devEmail ?? '').trim(),
    authMode: merged.authMode === 'dev' ? 'dev' : 'google',
  };
}

export async function getConfig() {
  const { config } = await chrome.storage.local.get('config');
  return normalizeConfig(config);
}

export async function saveConfig(values) {
  const config = normalizeConfig(values);
  await chrome.storage.local.set({ config });
  return config;
}

/** Calls `listener(config)` whenever the options change. */
export function onConfigChanged(listener) {
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && changes.config) listener(normalizeConfig(changes.config.newValue));
  });
}
