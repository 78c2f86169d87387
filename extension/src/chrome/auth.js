// Google sign-in with chrome.identity.launchWebAuthFlow (see README "Sign-in").
// Tokens live in chrome.storage.session: memory only, gone when the browser closes, and
// shared by the panel and the options page. Google's implicit flow gives no refresh token,
// so "refresh" is a silent re-authorisation (prompt=none) that succeeds while the Google
// session and the grant exist.

import { AuthError, buildAuthUrl, parseAuthResponse, randomToken } from '../lib/oauth.js';
import { getConfig } from './config.js';

const KEY = 'auth';
const EARLY_MS = 60_000; // renew a minute before expiry so a request never carries a dying token

export class SignInRequired extends Error {
  constructor(message = 'sign-in required') {
    super(message);
    this.code = 'sign_in_required';
  }
}

export async function storedAuth() {
  const { [KEY]: auth } = await chrome.storage.session.get(KEY);
  return auth ?? null;
}

async function authorize({ interactive }) {
  const config = await getConfig();
  if (!config.clientId) throw new AuthError('not_configured', 'OAuth client id is not set (options page)');
  const previous = await storedAuth();
  const state = randomToken();
  const nonce = randomToken();
  const url = buildAuthUrl({
    authUrl: config.oauthAuthUrl,
    clientId: config.clientId,
    redirectUri: chrome.identity.getRedirectURL(),
    state,
    nonce,
    interactive,
    loginHint: previous?.email,
  });
  let responseUrl;
  try {
    responseUrl = await chrome.identity.launchWebAuthFlow({ url, interactive });
  } catch (error) {
    throw new AuthError(interactive ? 'cancelled' : 'interaction_required', error?.message ?? String(error));
  }
  if (!responseUrl) throw new AuthError('cancelled', 'sign-in was closed');
  const auth = parseAuthResponse(responseUrl, { state, nonce, clientId: config.clientId });
  await chrome.storage.session.set({ [KEY]: auth });
  return auth;
}

export function signIn() {
  return authorize({ interactive: true });
}

let refreshing = null;

/** One silent renewal at a time; callers that race share it. Throws SignInRequired when Google wants the user. */
export function refresh() {
  refreshing ??= authorize({ interactive: false })
    .catch(async (error) => {
      await chrome.storage.session.remove(KEY);
      throw new SignInRequired(error?.message);
    })
    .finally(() => {
      refreshing = null;
    });
  return refreshing;
}

async function fresh() {
  const auth = await storedAuth();
  if (!auth) throw new SignInRequired();
  if (auth.expiresAt - EARLY_MS > Date.now()) return auth;
  return refresh();
}

/** The bearer for the gateway: the Google ID token, or `dev:<email>` in dev mode. */
export async function gatewayToken() {
  const config = await getConfig();
  if (config.authMode === 'dev') {
    if (!config.devEmail) throw new SignInRequired('dev e-mail is not set (options page)');
    return `dev:${config.devEmail}`;
  }
  return (await fresh()).idToken;
}

/** The bearer for the Docs API: the OAuth access token with the documents scope. */
export async function docsToken() {
  return (await fresh()).accessToken;
}

/** Revokes the grant at Google (best effort: offline must not keep the user signed in) and forgets the tokens. */
export async function signOut() {
  const auth = await storedAuth();
  await chrome.storage.session.remove(KEY);
  if (!auth?.accessToken) return;
  const config = await getConfig();
  try {
    await fetch(config.oauthRevokeUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: auth.accessToken }).toString(),
    });
  } catch {
    // the local tokens are gone either way
  }
}

export function onAuthChanged(listener) {
  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === 'session' && changes[KEY]) listener(changes[KEY].newValue ?? null);
  });
}
