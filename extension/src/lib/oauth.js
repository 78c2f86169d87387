// Google sign-in through chrome.identity.launchWebAuthFlow, the pure half: building the
// authorization URL and checking what comes back. One round trip asks for
// `response_type=token id_token`, so Google returns both an ID token (sent to the gateway,
// which verifies it against Google's JWKS) and an access token with the Docs scope (sent
// to the Docs API). See README "Sign-in" for why this flow and not getAuthToken.

export const SCOPES = ['openid', 'email', 'profile', 'https://www.googleapis.com/auth/documents'];

export function randomToken(bytes = 16, crypto = globalThis.crypto) {
  const buf = new Uint8Array(bytes);
  crypto.getRandomValues(buf);
  return Array.from(buf, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function buildAuthUrl({ authUrl, clientId, redirectUri, state, nonce, interactive, loginHint }) {
  const url = new URL(authUrl);
  url.searchParams.set('client_id', clientId);
  url.searchParams.set('response_type', 'token id_token');
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('scope', SCOPES.join(' '));
  url.searchParams.set('state', state);
  url.searchParams.set('nonce', nonce);
  url.searchParams.set('include_granted_scopes', 'true');
  // Silent refresh must never show UI: prompt=none makes Google answer with an error instead.
  url.searchParams.set('prompt', interactive ? 'select_account' : 'none');
  if (loginHint) url.searchParams.set('login_hint', loginHint);
  return url.toString();
}

function base64UrlDecode(text) {
  const normal = text.replace(/-/g, '+').replace(/_/g, '/');
  const padded = normal + '='.repeat((4 - (normal.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder().decode(bytes);
}

/** The claims of a JWT, unverified: the gateway verifies the signature; here we only read nonce, email and exp. */
export function decodeJwtPayload(jwt) {
  const parts = String(jwt).split('.');
  if (parts.length !== 3) throw new Error('not a JWT');
  return JSON.parse(base64UrlDecode(parts[1]));
}

export class AuthError extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/**
 * Checks the redirect URL that launchWebAuthFlow resolved with and returns the tokens.
 * @returns {{idToken, accessToken, expiresAt, email, name, sub}}
 */
export function parseAuthResponse(responseUrl, { state, nonce, clientId, now = Date.now() }) {
  const url = new URL(responseUrl);
  const params = new URLSearchParams(url.hash.replace(/^#/, '') || url.search.replace(/^\?/, ''));
  if (params.get('error')) {
    throw new AuthError(params.get('error'), params.get('error_description') || params.get('error'));
  }
  if (params.get('state') !== state) throw new AuthError('state_mismatch', 'sign-in answer does not match the request');
  const idToken = params.get('id_token');
  const accessToken = params.get('access_token');
  if (!idToken || !accessToken) throw new AuthError('incomplete', 'sign-in answer lacks a token');
  const claims = decodeJwtPayload(idToken);
  if (claims.nonce !== nonce) throw new AuthError('nonce_mismatch', 'ID token nonce does not match the request');
  if (clientId && claims.aud !== clientId) throw new AuthError('audience_mismatch', 'ID token is for another client');
  const expiresIn = Number(params.get('expires_in') || 3600);
  const idExpiry = Number(claims.exp) * 1000;
  const expiresAt = Math.min(now + expiresIn * 1000, Number.isFinite(idExpiry) ? idExpiry : Infinity);
  return {
    idToken,
    accessToken,
    expiresAt,
    email: claims.email ?? '',
    name: claims.name ?? '',
    sub: claims.sub ?? '',
  };
}
