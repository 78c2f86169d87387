// Every error and warning code the gateway and the orchestrator can emit has a sentence in
// both languages and an action (src/lib/error-codes.js). The codes are read from the server
// sources, so a new code without a sentence fails here: ApiError subclasses' `code = "..."`,
// `code="..."` keyword uses (raise ..., sweep_stale), `"code": "..."` in event dicts,
// RunRelayError (gateway) / RunFailed (orchestrator) ("...") and ctx.warn("...").

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { ACTION, ERROR_CODES, describeError } from '../src/lib/error-codes.js';

const repo = new URL('../..', import.meta.url).pathname;
const ROOTS = ['gateway/src', 'orchestrator/src', 'common/src'];
const PATTERNS = [
  /\bcode\s*=\s*"([A-Za-z_]+)"/g,
  /"code":\s*"([A-Za-z_]+)"/g,
  /\b(?:RunRelayError|RunFailed)\(\s*"([A-Za-z_]+)"/g,
  /\.warn\(\s*"([A-Za-z_]+)"/g,
];

function pythonFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    // the test kit (fakes) lives in testkit/, outside these roots: it is not what a server emits
    if (name === '__pycache__') continue;
    if (statSync(path).isDirectory()) out.push(...pythonFiles(path));
    else if (name.endsWith('.py')) out.push(path);
  }
  return out;
}

export function serverCodes() {
  const codes = new Map();
  for (const root of ROOTS) {
    for (const file of pythonFiles(join(repo, root))) {
      const source = readFileSync(file, 'utf8');
      for (const pattern of PATTERNS) {
        for (const m of source.matchAll(pattern)) if (!codes.has(m[1])) codes.set(m[1], file.slice(repo.length));
      }
    }
  }
  return codes;
}

const messages = (lang) => JSON.parse(readFileSync(join(repo, 'extension', '_locales', lang, 'messages.json'), 'utf8'));

test('the enumeration finds the codes of every kind of source (the grep itself works)', () => {
  const codes = serverCodes();
  for (const known of ['validation_error', 'invalid_token', 'too_many_concurrent_runs', 'orchestrator_unavailable', 'gateway_restarted', 'llm_unavailable', 'no_data', 'unverified_number', 'ambiguous_company']) {
    assert.ok(codes.has(known), `${known} not found in the server sources`);
  }
  assert.ok(codes.size >= 40, `only ${codes.size} codes found`);
});

test('every code the gateway and orchestrator can emit has an action and a sentence in Korean and English', () => {
  const en = messages('en');
  const ko = messages('ko');
  const missing = [];
  for (const [code, file] of serverCodes()) {
    if (!(code in ERROR_CODES)) missing.push(`${code} (${file}): no entry in src/lib/error-codes.js`);
    if (!en[`err_${code}`]?.message?.trim()) missing.push(`${code} (${file}): no English sentence err_${code} (tools/locales.py)`);
    if (!ko[`err_${code}`]?.message?.trim()) missing.push(`${code} (${file}): no Korean sentence err_${code}`);
  }
  assert.deepEqual(missing, []);
});

test('every mapped code has both sentences, a known action, and Korean that is Korean', () => {
  const en = messages('en');
  const ko = messages('ko');
  for (const [code, action] of Object.entries(ERROR_CODES)) {
    assert.ok(Object.values(ACTION).includes(action), code);
    assert.ok(en[`err_${code}`]?.message, `err_${code} en`);
    assert.match(ko[`err_${code}`]?.message ?? '', /[가-힣]/, `err_${code} ko`);
    assert.notEqual(en[`err_${code}`].message, ko[`err_${code}`].message, code);
  }
});

test('describeError: known codes, the unreachable server, unknown codes by status', () => {
  assert.deepEqual(describeError({ code: 'too_many_concurrent_runs', status: 429 }), { code: 'too_many_concurrent_runs', key: 'err_too_many_concurrent_runs', action: 'retry' });
  assert.equal(describeError(new TypeError('Failed to fetch')).code, 'network');
  assert.equal(describeError({ code: 'network', status: 0 }).action, 'retry');
  assert.equal(describeError({ code: 'not_configured' }).code, 'client_not_configured');
  assert.equal(describeError({ code: 'not_configured', status: 503 }).action, 'options');
  assert.equal(describeError({ code: 'http_502', status: 502 }).code, 'server_error');
  assert.equal(describeError({ code: 'something_new', status: 400 }).code, 'request_error');
  assert.equal(describeError({ code: 'token_expired', status: 401 }).action, 'signIn');
  assert.equal(describeError({ code: 'PERMISSION_DENIED', status: 403 }).key, 'err_PERMISSION_DENIED');
});
