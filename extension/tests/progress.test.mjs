import assert from 'node:assert/strict';
import test from 'node:test';

import { DRAFT_SHARES, draftFraction, newProgress, progressAfter } from '../src/lib/progress.js';

const apply = (events, length = 'short') => events.reduce((p, [e, d]) => progressAfter(p, e, d), newProgress(length));

test('the shares add up to the whole draft', () => {
  const sum = Object.values(DRAFT_SHARES).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 1) < 1e-9);
});

test('the bar moves while the sections stream, not only when they end', () => {
  const before = [
    ['step', { name: 'resolve', status: 'done' }],
    ['step', { name: 'gather', status: 'done' }],
    ['step', { name: 'outline', status: 'done' }],
    ['step', { name: 'section:s1', status: 'started', detail: '개요' }],
    ['step', { name: 'section:s2', status: 'started', detail: '주가 동향' }],
  ];
  const atStart = draftFraction(apply(before));
  assert.ok(Math.abs(atStart - 0.2) < 1e-9, String(atStart)); // data and outline: 20% of the time
  // short draft, two sections: 1,500 characters each expected; half of each written
  const half = apply([...before, ['section.delta', { section_id: 's1', text: '가'.repeat(750) }], ['section.delta', { section_id: 's2', text: '나'.repeat(750) }]]);
  assert.ok(Math.abs(draftFraction(half) - (0.2 + 0.35)) < 1e-9);
  // a section that wrote more than expected waits at 95% of its share until section.done
  const over = apply([...before, ['section.delta', { section_id: 's1', text: '가'.repeat(5000) }]]);
  assert.ok(Math.abs(draftFraction(over) - (0.2 + 0.7 * (0.95 / 2))) < 1e-9);
  const done = apply([...before, ['section.done', { section_id: 's1' }], ['step', { name: 'section:s2', status: 'done' }]]);
  assert.ok(Math.abs(draftFraction(done) - 0.9) < 1e-9);
  const finished = apply([...before, ['section.done', { section_id: 's1' }], ['section.done', { section_id: 's2' }], ['step', { name: 'charts', status: 'done' }], ['step', { name: 'assemble', status: 'started' }]]);
  assert.ok(Math.abs(draftFraction(finished) - 0.975) < 1e-9);
  assert.equal(draftFraction(progressAfter(finished, 'run.completed', {})), 1);
});

test('never backwards along a real event order, never above 1, and emoji count as one character', () => {
  const events = [['step', { name: 'resolve', status: 'started' }], ['step', { name: 'resolve', status: 'done' }], ['step', { name: 'gather', status: 'started' }], ['step', { name: 'gather', status: 'done' }], ['step', { name: 'outline', status: 'done' }]];
  for (let i = 0; i < 3; i += 1) events.push(['step', { name: `section:s${i}`, status: 'started' }]);
  for (let k = 0; k < 40; k += 1) events.push(['section.delta', { section_id: `s${k % 3}`, text: '😀가'.repeat(40) }]);
  for (let i = 0; i < 3; i += 1) events.push(['section.done', { section_id: `s${i}` }]);
  events.push(['step', { name: 'charts', status: 'done' }], ['step', { name: 'assemble', status: 'done' }], ['run.completed', {}]);
  let p = newProgress('standard');
  let last = 0;
  for (const [e, d] of events) {
    p = progressAfter(p, e, d);
    const f = draftFraction(p);
    assert.ok(f >= last - 1e-12 && f <= 1, `${e}: ${f} after ${last}`);
    last = f;
  }
  assert.equal(last, 1);
  assert.equal(apply([['section.delta', { section_id: 's1', text: '😀' }]]).sections.s1.chars, 1);
});
