import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import {
  BUILTIN_IDS,
  SECTION_INSTRUCTIONS_MAX_CHARS,
  SECTION_TITLE_MAX_CHARS,
  TEMPLATE_NAME_MAX_CHARS,
  TEMPLATE_SECTIONS_MAX,
  TEMPLATE_TITLE_MAX_CHARS,
  TemplateError,
  comparesCompanies,
  templateFromOutline,
  templateFromText,
  templateLabel,
} from '../src/lib/templates.js';

const KIT = new URL('../../common/src/finscribe_common/contract/', import.meta.url);
const kitSource = readFileSync(new URL('templates.py', KIT), 'utf8');
const kitConstant = (name) => Number(kitSource.match(new RegExp(`^${name}: Final = ([0-9_]+)`, 'm'))[1].replaceAll('_', ''));

test("the panel's limits are the kit's template contract", () => {
  assert.equal(TEMPLATE_NAME_MAX_CHARS, kitConstant('TEMPLATE_NAME_MAX_CHARS'));
  assert.equal(TEMPLATE_TITLE_MAX_CHARS, kitConstant('TEMPLATE_TITLE_MAX_CHARS'));
  assert.equal(TEMPLATE_SECTIONS_MAX, kitConstant('TEMPLATE_SECTIONS_MAX'));
  assert.equal(SECTION_INSTRUCTIONS_MAX_CHARS, kitConstant('SECTION_INSTRUCTIONS_MAX_CHARS'));
  assert.match(kitSource, new RegExp(`title: str = Field\\(min_length=1, max_length=${SECTION_TITLE_MAX_CHARS}\\)`));
});

test('every built-in template has a name and a description in both languages', () => {
  const ids = ['company_analysis', 'earnings_review', 'investment_memo', 'peer_comparison'];
  for (const id of ids) assert.ok(readFileSync(new URL(`report_templates/${id}.json`, KIT)), id);
  assert.deepEqual([...BUILTIN_IDS].sort(), ids);
  for (const lang of ['ko', 'en']) {
    const messages = JSON.parse(readFileSync(new URL(`../_locales/${lang}/messages.json`, import.meta.url), 'utf8'));
    for (const id of ids) {
      assert.ok(messages[`template_${id}_name`]?.message, `${lang} ${id} name`);
      assert.ok(messages[`template_${id}_desc`]?.message, `${lang} ${id} description`);
    }
  }
});

test("the chooser names built-ins in the panel's language and saved ones as written", () => {
  const en = { template_peer_comparison_name: 'Peer comparison', template_peer_comparison_desc: 'Side by side' };
  const message = (key) => en[key] ?? '';
  const peer = { id: 'peer_comparison', builtin: true, name: '동종사 비교', description: '비교', min_companies: 2 };
  assert.deepEqual(templateLabel(peer, message), { name: 'Peer comparison', description: 'Side by side' });
  // a built-in the panel has no words for keeps the server's
  assert.deepEqual(templateLabel({ id: 'sector_note', builtin: true, name: '업종 노트', description: '' }, message), { name: '업종 노트', description: '' });
  // a saved template named like a built-in id is the user's, not translated
  const mine = { id: `u_${'a'.repeat(32)}`, builtin: false, name: 'peer_comparison', description: '내 양식' };
  assert.deepEqual(templateLabel(mine, message), { name: 'peer_comparison', description: '내 양식' });
  assert.equal(comparesCompanies(peer), true);
  assert.equal(comparesCompanies({ id: 'earnings_review', min_companies: 1 }), false);
  assert.equal(comparesCompanies(null), false);
});

test('an edited outline becomes the body of POST /v1/templates', () => {
  const outline = {
    title: '삼성전자 {분기} 점검',
    sections: [{ title: ' 주가 동향 ', section_id: 's2' }, { title: '투자 포인트', instructions: ' 세 가지로 요약 ' }],
  };
  assert.deepEqual(templateFromOutline(' 내 점검 양식 ', outline, { company: '삼성전자' }), {
    name: '내 점검 양식',
    title: '{company} 분기 점검',
    sections: [{ title: '주가 동향' }, { title: '투자 포인트', instructions: '세 가지로 요약' }],
  });
  // no title: the caller's default (it names {company})
  // a title the user did not write is ours, saved in both languages (an English run reads 'report')
  const untitled = templateFromOutline('a', { sections: [{ title: 'x' }] });
  assert.deepEqual([untitled.title, untitled.title_en], ['{company} 보고서', '{company} report']);
  assert.equal(templateFromOutline('a', { title: '내 양식', sections: [{ title: 'x' }] }).title_en, undefined);
  const refused = (name, value, key) => assert.throws(() => templateFromOutline(name, value), (e) => e instanceof TemplateError && e.key === key);
  refused(' ', outline, 'templateNameRequired');
  refused('x'.repeat(TEMPLATE_NAME_MAX_CHARS + 1), outline, 'templateNameTooLong');
  refused('a', { sections: [] }, 'outlineNeedsSection');
  refused('a', { sections: Array.from({ length: TEMPLATE_SECTIONS_MAX + 1 }, (_, i) => ({ title: `s${i}` })) }, 'outlineTooMany');
  refused('a', { sections: [{ title: 'ok' }, { title: ' ' }] }, 'outlineEmptyTitle');
  refused('a', { sections: [{ title: 'x'.repeat(SECTION_TITLE_MAX_CHARS + 1) }] }, 'templateSectionTooLong');
  // code points, as the kit counts: 100 emoji are 100 characters
  assert.equal(templateFromOutline('😀'.repeat(TEMPLATE_NAME_MAX_CHARS), outline).name.length, 200);
});

test("the options page's one-section-a-line text becomes the same body", () => {
  assert.deepEqual(templateFromText(' 점검 ', '{company} 점검', '개요 | 두 문장으로\n\n 주가 동향 \n리스크|세 가지로 | 짧게\n'), {
    name: '점검',
    title: '{company} 점검',
    sections: [{ title: '개요', instructions: '두 문장으로' }, { title: '주가 동향' }, { title: '리스크', instructions: '세 가지로 | 짧게' }],
  });
  assert.throws(() => templateFromText('a', '', ' \n '), (e) => e.key === 'outlineNeedsSection');
  assert.throws(() => templateFromText('a', '', ' | 지시만'), (e) => e.key === 'outlineEmptyTitle');
});
