// The panel's request builder against the kit's run contract (docs/run-contract.schema.json,
// exported from finscribe_common.contract.runs): every constant in run-request.js is the
// contract's, and every request the builder returns validates against the schema the
// gateway enforces. A limit changed on one side only fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

import {
  FormError,
  KINDS,
  LENGTHS,
  MAX_COMPANY_CHARS,
  MAX_PROMPT_CHARS,
  MAX_REWRITE_CHARS,
  MAX_SECTION_TITLE_CHARS,
  MAX_SECTIONS,
  PEERS_RANGE,
  REWRITE_MODES,
  TARGET_CHARS_RANGE,
  TEMPLATE_ID_PATTERN,
  buildRunRequest,
} from '../src/lib/run-request.js';

const contract = JSON.parse(readFileSync(new URL('../../docs/run-contract.schema.json', import.meta.url), 'utf8'));
const schema = contract.run_create;
const defs = schema.$defs;
// strict: false because pydantic writes OpenAPI's `discriminator` keyword next to oneOf
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(schema);

// pydantic writes an optional field as anyOf [the type, null]
const branch = (prop) => (prop.anyOf ? prop.anyOf.find((s) => s.type !== 'null') : prop);

test('the builder uses the contract limits', () => {
  assert.deepEqual([...KINDS].sort(), Object.keys(schema.discriminator.mapping).sort());
  assert.equal(defs.DraftRun.properties.prompt.maxLength, MAX_PROMPT_CHARS);
  assert.equal(branch(defs.DraftOptions.properties.company).maxLength, MAX_COMPANY_CHARS);
  const sections = branch(defs.DraftOptions.properties.sections);
  assert.equal(sections.maxItems, MAX_SECTIONS);
  assert.equal(sections.items.maxLength, MAX_SECTION_TITLE_CHARS);
  assert.deepEqual(defs.DraftOptions.properties.length.enum, LENGTHS);
  const companies = branch(defs.DraftOptions.properties.companies);
  assert.deepEqual([companies.minItems, companies.maxItems], PEERS_RANGE);
  assert.equal(companies.items.maxLength, MAX_COMPANY_CHARS);
  assert.equal(branch(defs.DraftOptions.properties.template).pattern, TEMPLATE_ID_PATTERN.source);
  assert.deepEqual(defs.RewriteOptions.properties.mode.enum, REWRITE_MODES);
  assert.equal(defs.RewriteOptions.properties.text.maxLength, MAX_REWRITE_CHARS);
  const target = branch(defs.RewriteOptions.properties.target_chars);
  assert.deepEqual([target.minimum, target.maximum], TARGET_CHARS_RANGE);
});

function forms() {
  const long = (n) => '가'.repeat(n);
  return [
    ['draft', { company: '삼성전자' }],
    ['draft', { company: '삼성전자', review_outline: true }],
    ['draft', { company: '삼성전자', file_ids: ['0123456789abcdef0123456789abcdef'] }],
    ['draft', { company: '삼성전자', file_ids: [] }],
    ['paragraph', { prompt: '요약', file_ids: Array.from({ length: 100 }, (_, i) => i.toString(16).padStart(32, '0')) }],
    ['ask', { prompt: '요약', file_ids: ['f'.repeat(32)] }],
    ['draft', { company: '삼성전자', template: 'earnings_review' }],
    ['draft', { companies: '현대자동차, 기아', template: 'peer_comparison' }],
    ['draft', { companies: ['삼성전자', 'SK하이닉스', 'NAVER', '카카오', long(MAX_COMPANY_CHARS)] }],
    ['draft', { company: '삼성전자', template: `u_${'0'.repeat(32)}` }],
    ['draft', { prompt: long(MAX_PROMPT_CHARS), company: long(MAX_COMPANY_CHARS), length: 'long', as_of: '2024-09-30' }],
    ['draft', { prompt: 'x', sections: Array.from({ length: MAX_SECTIONS }, (_, i) => `섹션 ${i}`).join('\n'), language: 'en' }],
    ['draft', { prompt: 'x', sections: long(MAX_SECTION_TITLE_CHARS) }],
    ['paragraph', { prompt: '요약', use_files: false, company: 'NAVER', language: 'en', as_of: '2024-11-20' }],
    ['rewrite', { text: long(MAX_REWRITE_CHARS), mode: 'formal', target_chars: String(TARGET_CHARS_RANGE[1]) }],
    ['rewrite', { text: '문장', mode: 'summarize', target_chars: String(TARGET_CHARS_RANGE[0]) }],
    ['chart', { file_id: '0123456789abcdef0123456789abcdef' }],
    ['chart', { prompt: '주가', company: '기아', as_of: '2024-06-28' }],
    ['ask', { prompt: '영업이익률은?', company: '카카오', as_of: '2024-09-30' }],
    ['ask', { prompt: 'Operating margin?', language: 'en' }],
    // emoji count as one character in the contract (code points), two UTF-16 units here
    ['ask', { prompt: '😀'.repeat(MAX_PROMPT_CHARS) }],
  ];
}

test('every request the builder returns is valid under the contract', () => {
  for (const [kind, form] of forms()) {
    const body = buildRunRequest(kind, form);
    assert.ok(validate(body), `${kind}: ${JSON.stringify(validate.errors)}`);
  }
});

test('what the contract refuses, the builder refuses first', () => {
  const over = [
    ['draft', { prompt: 'x'.repeat(MAX_PROMPT_CHARS + 1) }, 'prompt'],
    ['draft', { prompt: 'x', company: 'x'.repeat(MAX_COMPANY_CHARS + 1) }, 'company'],
    ['draft', { prompt: 'x', sections: Array.from({ length: MAX_SECTIONS + 1 }, (_, i) => `s${i}`).join('\n') }, 'sections'],
    ['draft', { prompt: 'x', sections: 'x'.repeat(MAX_SECTION_TITLE_CHARS + 1) }, 'sections'],
    ['rewrite', { text: 'x'.repeat(MAX_REWRITE_CHARS + 1), mode: 'polish' }, 'text'],
    ['rewrite', { text: 'x', target_chars: String(TARGET_CHARS_RANGE[0] - 1) }, 'target_chars'],
    ['draft', { companies: '삼성전자' }, 'companies'],
    ['draft', { companies: 'a,b,c,d,e,f' }, 'companies'],
    ['draft', { companies: 'NAVER, naver' }, 'companies'],
    ['draft', { companies: `기아, ${'x'.repeat(MAX_COMPANY_CHARS + 1)}` }, 'companies'],
    ['draft', { companies: '기아, 현대차', sections: '요약' }, 'sections'],
    ['ask', { prompt: '' }, 'prompt'],
    ['chart', { prompt: '' }, 'prompt'],
  ];
  for (const [kind, form, field] of over) {
    assert.throws(() => buildRunRequest(kind, form), (e) => e instanceof FormError && e.field === field, `${kind} ${field}`);
  }
  // and the schema refuses the same bodies when built by hand
  assert.equal(validate({ kind: 'rewrite', prompt: '', options: { text: 'x'.repeat(MAX_REWRITE_CHARS + 1), mode: 'polish' } }), false);
  assert.equal(validate({ kind: 'draft', prompt: 'x', options: { sections: Array(MAX_SECTIONS + 1).fill('s') } }), false);
  assert.equal(validate({ kind: 'draft', prompt: 'x', options: { lenght: 'short' } }), false);
  assert.equal(validate({ kind: 'draft', prompt: '', options: { companies: ['기아'] } }), false);
  assert.equal(validate({ kind: 'draft', prompt: '', options: { companies: ['a', 'b', 'c', 'd', 'e', 'f'] } }), false);
});
