import assert from 'node:assert/strict';
import { test } from 'node:test';

import { buildAuthUrl, decodeJwtPayload, parseAuthResponse, SCOPES } from '../src/lib/oauth.js';

const b64 = (obj) => Buffer.from(JSON.stringify(obj)).toString('base64url');
const jwt = (claims) => `${b64({ alg: 'RS256', kid: 'k1' })}.${b64(claims)}.c2ln`;
const REDIRECT = 'https://abcdefghijklmnopabcdefghijklmnop.chromiumapp.org/';

test('the authorization URL asks for an ID token and a Docs access token', () => {
  const url = new URL(
    buildAuthUrl({
      authUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
      clientId: 'cid.apps.googleusercontent.com',
      redirectUri: REDIRECT,
      state: 's1',
      nonce: 'n1',
      interactive: true,
    }),
  );
  assert.equal(url.origin + url.pathname, 'https://accounts.google.com/o/oauth2/v2/auth');
  assert.equal(url.searchParams.get('response_type'), 'token id_token');
  assert.equal(url.searchParams.get('scope'), 'openid email profile https://www.googleapis.com/auth/documents');
  assert.deepEqual(SCOPES.length, 4);
  assert.equal(url.searchParams.get('redirect_uri'), REDIRECT);
  assert.equal(url.searchParams.get('prompt'), 'select_account');
  assert.equal(url.searchParams.get('nonce'), 'n1');
  const silent = new URL(buildAuthUrl({ authUrl: 'http://127.0.0.1:9/auth', clientId: 'c', redirectUri: REDIRECT, state: 's', nonce: 'n', interactive: false, loginHint: 'a@b.c' }));
  assert.equal(silent.searchParams.get('prompt'), 'none');
  assert.equal(silent.searchParams.get('login_hint'), 'a@b.c');
});

test('the redirect fragment yields both tokens; state, nonce and audience are checked', () => {
  const now = 1_700_000_000_000;
  const id = jwt({ sub: '1234', email: 'kim@example.com', name: '김', nonce: 'n1', aud: 'cid', exp: now / 1000 + 600 });
  const ok = `${REDIRECT}#state=s1&access_token=ya29.x&token_type=Bearer&expires_in=3599&id_token=${id}`;
  assert.deepEqual(parseAuthResponse(ok, { state: 's1', nonce: 'n1', clientId: 'cid', now }), {
    idToken: id,
    accessToken: 'ya29.x',
    expiresAt: now + 600_000,
    email: 'kim@example.com',
    name: '김',
    sub: '1234',
  });
  assert.throws(() => parseAuthResponse(ok, { state: 'other', nonce: 'n1', now }), { code: 'state_mismatch' });
  assert.throws(() => parseAuthResponse(ok, { state: 's1', nonce: 'n2', now }), { code: 'nonce_mismatch' });
  assert.throws(() => parseAuthResponse(ok, { state: 's1', nonce: 'n1', clientId: 'x', now }), { code: 'audience_mismatch' });
  assert.throws(() => parseAuthResponse(`${REDIRECT}#error=interaction_required&state=s1`, { state: 's1', nonce: 'n1' }), {
    code: 'interaction_required',
  });
  assert.throws(() => parseAuthResponse(`${REDIRECT}#state=s1&access_token=a`, { state: 's1', nonce: 'n1' }), { code: 'incomplete' });
});

test('JWT payloads decode as UTF-8', () => {
  assert.deepEqual(decodeJwtPayload(jwt({ name: '홍길동' })), { name: '홍길동' });
  assert.throws(() => decodeJwtPayload('nope'));
});
