import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const root = new URL('..', import.meta.url).pathname;
const load = (lang) => JSON.parse(readFileSync(join(root, '_locales', lang, 'messages.json'), 'utf8'));

function sources() {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (name === 'tests' || name === 'node_modules' || name === '_locales') continue;
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(js|html|json)$/.test(name)) out.push(readFileSync(path, 'utf8'));
    }
  };
  walk(root);
  return out.join('\n');
}

test('Korean and English have the same messages with the same placeholders', () => {
  const en = load('en');
  const ko = load('ko');
  assert.deepEqual(Object.keys(ko).sort(), Object.keys(en).sort());
  for (const key of Object.keys(en)) {
    assert.ok(ko[key].message.trim(), key);
    assert.deepEqual(Object.keys(ko[key].placeholders ?? {}), Object.keys(en[key].placeholders ?? {}), key);
  }
});

test('every message the pages and scripts name exists', () => {
  const en = load('en');
  const code = sources();
  const named = new Set();
  for (const m of code.matchAll(/data-i18n(?:-[a-z]+)?="([A-Za-z_]+)"/g)) named.add(m[1]);
  for (const m of code.matchAll(/\bt\('([A-Za-z_]+)'/g)) named.add(m[1]);
  for (const m of code.matchAll(/__MSG_([A-Za-z_]+)__/g)) named.add(m[1]);
  for (const kind of ['draft', 'paragraph', 'rewrite', 'chart', 'ask']) named.add(`kind_${kind}`);
  for (const [field, code_] of [['prompt', 'required'], ['prompt', 'too_long'], ['text', 'required'], ['as_of', 'invalid'], ['target_chars', 'invalid'], ['kind', 'unknown']]) {
    named.add(`form_${field}_${code_}`);
  }
  const missing = [...named].filter((k) => !(k in en));
  assert.deepEqual(missing, []);
});

test('manifest: least privilege and a strict CSP', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));
  assert.equal(manifest.manifest_version, 3);
  assert.deepEqual(manifest.permissions.sort(), ['alarms', 'identity', 'notifications', 'sidePanel', 'storage']);
  assert.equal(manifest.content_security_policy.extension_pages, "script-src 'self'; object-src 'self'");
  assert.doesNotMatch(JSON.stringify(manifest), /unsafe-|<all_urls>|"tabs"|"scripting"|content_scripts/);
  assert.ok(!manifest.host_permissions.some((p) => p.includes('*://*') || p.startsWith('https://*/') || p.startsWith('http://*/')));
});
