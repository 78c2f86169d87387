import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fillMessage, serverKey, stepDetail, warningDetail } from '../src/lib/server-messages.js';

const root = new URL('..', import.meta.url).pathname;
const locale = (lang) => JSON.parse(readFileSync(join(root, '_locales', lang, 'messages.json'), 'utf8'));
// chrome.i18n.getMessage over a generated locale: '' for an unknown name, `$$` read as `$`
const lookupOf = (lang) => {
  const messages = locale(lang);
  return (key) => (messages[key]?.message ?? '').replaceAll('$$', '$');
};
const en = lookupOf('en');
const ko = lookupOf('ko');

test('every message code of the orchestrator has a sentence in both panel languages', () => {
  const source = readFileSync(join(root, '..', 'orchestrator/src/finscribe_orchestrator/messages.py'), 'utf8');
  const table = source.slice(source.indexOf('MESSAGES'), source.indexOf('SERVICE_LABELS'));
  const codes = new Set([...table.matchAll(/^\s+"([a-z_]+)": (?:"|\()/gm)].map((m) => m[1]));
  assert.ok(codes.size > 50, `read ${codes.size} codes`);
  const missing = [...codes].filter((code) => !en(serverKey(code)) || !ko(serverKey(code)));
  assert.deepEqual(missing, [], 'run `../.venv/bin/python tools/locales.py` in extension/');
});

test('fillMessage fills named params, joins lists, and refuses a template with a missing param', () => {
  assert.equal(fillMessage('{count} datasets', { count: 11 }), '11 datasets');
  assert.equal(fillMessage('removed {numbers} from {section}', { numbers: [7, 9], section: 'A' }), 'removed 7, 9 from A');
  assert.equal(fillMessage('{title} and {names}', { names: 'x' }), null);
  assert.equal(fillMessage('no params', {}), 'no params');
});

test('an English panel says a Korean run step detail in English, a Korean panel in Korean', () => {
  const step = { name: 'gather', status: 'done', detail: '데이터 11건', detail_code: 'step_datasets', detail_params: { count: 11 } };
  assert.equal(stepDetail(en, step), '11 datasets');
  assert.equal(stepDetail(ko, step), '데이터 11건');
  const section = { name: 'section:s1', status: 'started', detail: '주가 동향', detail_code: 'step_section', detail_params: { title: '주가 동향' } };
  assert.equal(stepDetail(en, section), '주가 동향'); // a title is the document's own words
  assert.equal(stepDetail(en, { name: 'resolve', status: 'done', detail: '회사를 찾지 못했습니다', detail_code: 'step_company_missing', detail_params: {} }), 'No company found');
});

test('a step without a code, with an unknown code or missing params keeps the server sentence', () => {
  assert.equal(stepDetail(en, { name: 'x', status: 'done', detail: '그대로' }), '그대로');
  assert.equal(stepDetail(en, { name: 'x', status: 'done', detail: '그대로', detail_code: 'step_from_the_future', detail_params: {} }), '그대로');
  assert.equal(stepDetail(en, { name: 'x', status: 'done', detail: '데이터 3건', detail_code: 'step_datasets' }), '데이터 3건');
  assert.equal(stepDetail(en, { name: 'x', status: 'started' }), '');
});

test('warnings: the specific sentence in the panel language, the service named in it', () => {
  const down = {
    code: 'source_unavailable',
    message: 'DART 공시·재무(dart) 데이터 일부를 가져오지 못해 빼고 작성했습니다 (timeout).',
    params: { service_label: 'DART 공시·재무', service: 'dart', reason: 'timeout' },
  };
  assert.equal(warningDetail(en, down), 'Some DART filings and financials (dart) could not be fetched and was left out (timeout).');
  assert.equal(warningDetail(ko, down), down.message);
  const number = { code: 'unverified_number', message: "'실적'의 숫자 '3조'는 …", params: { section: '실적', value: '3조', detail: '' } };
  assert.equal(warningDetail(en, number), "The figure '3조' in '실적' could not be verified against the fetched data.");
  // `numbers` as the text writes them (section.py); `citations` the numbers themselves
  const cites = { code: 'unknown_citation', message: '…', params: { section: '개요', numbers: '[12], [14]', citations: [12, 14] } };
  assert.equal(warningDetail(en, cites), "Source numbers [12], [14] that do not exist were removed from '개요'.");
});

test('a warning sent under its own message key is said in the panel language', () => {
  // peers.py: peer_chart_partial with the peer_chart_no_prices sentence (no title param)
  const noPrices = {
    code: 'peer_chart_partial', key: 'peer_chart_no_prices', message: '주가 성과 비교 차트는 … (주가 없음: 기아).', params: { names: '기아' },
  };
  assert.equal(warningDetail(en, noPrices), 'No price performance chart: fewer than two companies have prices (no prices: 기아).');
  // rewrite.py: unverified_number with the unverified_number_rewrite sentence (no section)
  const rewrite = { code: 'unverified_number', key: 'unverified_number_rewrite', message: "결과의 숫자 '5%'는 원문에 없습니다.", params: { value: '5%' } };
  assert.equal(warningDetail(en, rewrite), "The figure '5%' in the result is not in the original.");
  const spec = { code: 'chart_spec_fallback', key: 'chart_spec_error', message: '차트 사양 생성 실패: LLM router answered 400', params: { error: 'LLM router answered 400' } };
  assert.equal(warningDetail(en, spec), 'The chart spec could not be made: LLM router answered 400');
});

test('a fallback reason sent as a sentence of its own is said in the panel language too', () => {
  const outline = {
    code: 'outline_fallback', key: 'outline_fallback', message: '목차(outline) 단계만 …',
    params: { reason: { key: 'reason_outline_json', params: { found: 'sections: Field required' } }, step: 'outline' },
  };
  assert.equal(
    warningDetail(en, outline),
    "Only the outline step used the default outline (the LLM's outline JSON did not fit the schema: sections: Field required); the LLM writes the sections.",
  );
  const section = {
    code: 'section_fallback', key: 'section_fallback', message: "'Outlook' 섹션을 …",
    params: { section: 'Outlook', reason: { key: 'reason_timeout', params: {} } },
  };
  assert.equal(warningDetail(ko, section), "'Outlook' 섹션을 LLM으로 쓰지 못해 데이터 문장으로 대신했습니다: 시간 초과");
  // a nested key the panel does not know: the server's sentence, never a half-filled one
  const unknown = { ...section, params: { section: 'Outlook', reason: { key: 'reason_new', params: {} } } };
  assert.equal(warningDetail(en, unknown), section.message);
});

test('a warning without its key (an older run) whose sentence is another key keeps the server sentence', () => {
  // before warnings carried `key`: peer_chart_partial with the no-prices sentence (no title param)
  const noPrices = { code: 'peer_chart_partial', message: '주가 성과 비교 차트는 … (주가 없음: 기아).', params: { names: '기아' } };
  assert.equal(warningDetail(en, noPrices), noPrices.message);
  assert.equal(warningDetail(en, { code: 'chart_dropped', message: 'as sent' }), 'as sent');
  assert.equal(warningDetail(en, 'plain'), '');
});

test("a Korean run's number finding is said in the panel's language, the figure in its own units", () => {
  const warning = {
    code: 'number_wrong_direction',
    key: 'number_wrong_direction',
    message: "'실적 및 재무'의 숫자 '17.75%'의 증감 방향이 데이터와 반대입니다 (데이터는 +17.75% (증가/상승))",
    params: {
      section: '실적 및 재무',
      value: '17.75%',
      detail: { key: 'finding_up', params: { shown: '+17.75%', shown_en: '+17.75%' } },
    },
  };
  assert.equal(
    warningDetail(en, warning),
    "The direction of change of '17.75%' in '실적 및 재무' is the opposite of the data (the data has +17.75%, an increase).",
  );
  assert.equal(warningDetail(ko, warning), warning.message);
  const unit = {
    code: 'number_wrong_unit',
    key: 'number_wrong_unit',
    message: "'실적 및 재무'의 숫자 '26억 6,969만원'의 단위(조·억·만)가 데이터와 다릅니다 (데이터는 26조 6,970억원)",
    params: {
      section: '실적 및 재무',
      value: '26억 6,969만원',
      detail: { key: 'finding_unit', params: { shown: '26조 6,970억원', shown_en: 'KRW 26.7 trillion' } },
    },
  };
  assert.match(warningDetail(en, unit), /differs from the data \(the data has KRW 26\.7 trillion\)\.$/);
  assert.equal(warningDetail(ko, unit), unit.message);
});
