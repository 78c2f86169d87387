import assert from 'node:assert/strict';
import { test } from 'node:test';

import { buildRunRequest } from '../src/lib/run-request.js';

test('draft options follow API.md', () => {
  assert.deepEqual(
    buildRunRequest('draft', { prompt: ' 삼성전자 2023 실적 리포트 ', company: '삼성전자', length: 'long', sections: '개요\n\n실적\n', language: 'ko', as_of: '2024-06-28' }),
    { kind: 'draft', prompt: '삼성전자 2023 실적 리포트', options: { company: '삼성전자', length: 'long', sections: ['개요', '실적'], language: 'ko', as_of: '2024-06-28' } },
  );
  assert.deepEqual(buildRunRequest('draft', { prompt: 'x', length: 'huge', language: 'fr' }).options, { length: 'standard', language: 'ko' });
  assert.throws(() => buildRunRequest('draft', { prompt: 'x', as_of: '2024-13-45' }), { field: 'as_of' });
  assert.throws(() => buildRunRequest('draft', { prompt: '' }), { field: 'prompt', code: 'required' });
  assert.equal(buildRunRequest('draft', { prompt: 'x', review_outline: true }).options.review_outline, true);
  assert.equal('review_outline' in buildRunRequest('draft', { prompt: 'x' }).options, false);
  // the PDFs chosen: absent means all of them, [] none; only with use_files for a paragraph
  const id = 'a'.repeat(32);
  assert.equal('file_ids' in buildRunRequest('draft', { prompt: 'x' }).options, false);
  assert.deepEqual(buildRunRequest('draft', { prompt: 'x', file_ids: [id, id] }).options.file_ids, [id]);
  assert.deepEqual(buildRunRequest('ask', { prompt: 'x', file_ids: [] }).options.file_ids, []);
  assert.equal('file_ids' in buildRunRequest('paragraph', { prompt: 'x', use_files: false, file_ids: [id] }).options, false);
  assert.equal('file_ids' in buildRunRequest('rewrite', { text: 'x', file_ids: [id] }).options, false);
  assert.throws(() => buildRunRequest('draft', { prompt: 'x', file_ids: ['../x'] }), { field: 'file_ids', code: 'invalid' });
  assert.throws(() => buildRunRequest('draft', { prompt: 'x', file_ids: Array.from({ length: 101 }, (_, i) => i.toString(16).padStart(32, '0')) }), { field: 'file_ids' });
  assert.equal(buildRunRequest('draft', { prompt: 'x', template: 'earnings_review' }).options.template, 'earnings_review');
  assert.throws(() => buildRunRequest('draft', { prompt: 'x', template: '../x' }), { field: 'template', code: 'invalid' });
  assert.throws(() => buildRunRequest('draft', { prompt: 'x', template: 'investment_memo', sections: 'a' }), { field: 'template' });
});

test('paragraph, rewrite, chart and ask', () => {
  assert.deepEqual(buildRunRequest('paragraph', { prompt: 'p', use_files: true, language: 'en' }).options, { use_files: true, language: 'en' });
  assert.deepEqual(buildRunRequest('rewrite', { prompt: '', text: '원문', mode: 'formal', target_chars: '200' }).options, { text: '원문', mode: 'formal' , target_chars: 200 });
  assert.deepEqual(buildRunRequest('rewrite', { text: '원문', mode: 'bogus', target_chars: '' }).options, { text: '원문', mode: 'polish' });
  assert.throws(() => buildRunRequest('rewrite', { text: ' ' }), { field: 'text' });
  assert.throws(() => buildRunRequest('rewrite', { text: 'x', target_chars: '1.5' }), { field: 'target_chars' });
  assert.deepEqual(buildRunRequest('chart', { prompt: '', file_id: 'f1' }).options, { file_id: 'f1' });
  assert.deepEqual(buildRunRequest('ask', { prompt: '왜?', company: '' }), { kind: 'ask', prompt: '왜?', options: {} });
  assert.throws(() => buildRunRequest('ask', { prompt: '' }), { field: 'prompt' });
  assert.throws(() => buildRunRequest('shell', { prompt: 'x' }), { field: 'kind' });
  assert.throws(() => buildRunRequest('ask', { prompt: 'x'.repeat(8001) }), { code: 'too_long' });
});

test('as_of must be a real calendar day and text is well-formed, as the gateway requires', () => {
  for (const asOf of ['2024-02-30', '2023-02-29', '2024-04-31', '2024-00-10']) {
    assert.throws(() => buildRunRequest('ask', { prompt: 'x', as_of: asOf }), { field: 'as_of', code: 'invalid' }, asOf);
  }
  assert.equal(buildRunRequest('ask', { prompt: 'x', as_of: '2024-02-29' }).options.as_of, '2024-02-29');
  assert.equal(buildRunRequest('ask', { prompt: 'a\ud800b' }).prompt, 'a\ufffdb');
  const rewrite = buildRunRequest('rewrite', { text: '\udc00원문 😀' });
  assert.equal(rewrite.options.text, '\ufffd원문 😀');
  assert.ok(rewrite.options.text.isWellFormed());
});
