import assert from 'node:assert/strict';
import { test } from 'node:test';

import { backoffDelay, fetchWithBackoff, retryAfterMs } from '../src/lib/backoff.js';

test('Retry-After in seconds or as an HTTP date', () => {
  assert.equal(retryAfterMs('3'), 3000);
  assert.equal(retryAfterMs('0.5'), 500);
  const now = Date.parse('2024-06-28T00:00:00Z');
  assert.equal(retryAfterMs('Fri, 28 Jun 2024 00:00:10 GMT', now), 10000);
  assert.equal(retryAfterMs('soon'), null);
  assert.equal(retryAfterMs(null), null);
});

test('exponential backoff with jitter stays within [ceiling/2, ceiling]', () => {
  assert.equal(backoffDelay(0, { random: () => 0 }), 250);
  assert.equal(backoffDelay(0, { random: () => 1 }), 500);
  assert.equal(backoffDelay(3, { random: () => 1 }), 4000);
  assert.equal(backoffDelay(10, { random: () => 1 }), 8000);
});

const response = (status, headers = {}) => new Response(status === 204 ? null : '{}', { status, headers });

test('retries 429 with the server-given wait, then returns the success', async () => {
  const answers = [response(429, { 'Retry-After': '2' }), response(429), response(200)];
  const waits = [];
  const got = await fetchWithBackoff(async () => answers.shift(), {
    sleep: async (ms) => waits.push(ms),
    random: () => 1,
  });
  assert.equal(got.status, 200);
  assert.deepEqual(waits, [2000, 1000]);
});

test('gives up after the attempts and returns the last 429; other errors are not retried', async () => {
  let calls = 0;
  const got = await fetchWithBackoff(async () => (calls++, response(429, { 'Retry-After': '1' })), { attempts: 3, sleep: async () => {} });
  assert.equal(got.status, 429);
  assert.equal(calls, 3);
  calls = 0;
  const failed = await fetchWithBackoff(async () => (calls++, response(500)), { sleep: async () => {} });
  assert.equal(failed.status, 500);
  assert.equal(calls, 1);
});

test('an abort during the wait stops the retries', async () => {
  const controller = new AbortController();
  const pending = fetchWithBackoff(async () => response(429, { 'Retry-After': '30' }), { signal: controller.signal });
  controller.abort();
  await assert.rejects(pending, { name: 'AbortError' });
});
