import assert from 'node:assert/strict';
import { test } from 'node:test';

import { SseParser, readSse } from '../src/lib/sse.js';

const STREAM =
  'event: run.started\ndata: {"run_id":"r1","seq":1,"kind":"draft"}\n\n' +
  ': keep-alive\n\n' +
  'event: section.delta\r\ndata: {"run_id":"r1","seq":2,"section_id":"s1",\r\ndata: "text":"삼성전자 😀"}\r\n\r\n' +
  'event: run.completed\rdata: {"run_id":"r1","seq":3,"result":{}}\r\r';

function bodyFrom(bytes, cuts) {
  let start = 0;
  const pieces = [];
  for (const cut of [...cuts, bytes.length]) {
    pieces.push(bytes.slice(start, cut));
    start = cut;
  }
  return new ReadableStream({
    start(controller) {
      for (const p of pieces) controller.enqueue(p);
      controller.close();
    },
  });
}

async function collect(body) {
  const out = [];
  for await (const e of readSse(body)) out.push(e);
  return out;
}

const EXPECTED = [
  { event: 'run.started', data: { run_id: 'r1', seq: 1, kind: 'draft' }, id: null },
  { event: 'section.delta', data: { run_id: 'r1', seq: 2, section_id: 's1', text: '삼성전자 😀' }, id: null },
  { event: 'run.completed', data: { run_id: 'r1', seq: 3, result: {} }, id: null },
];

test('parses events with LF, CRLF and CR endings, comments and multi-line data', async () => {
  const bytes = new TextEncoder().encode(STREAM);
  assert.deepEqual(await collect(bodyFrom(bytes, [])), EXPECTED);
});

test('every split point, including inside UTF-8 characters and between CR and LF, gives the same events', async () => {
  const bytes = new TextEncoder().encode(STREAM);
  for (let cut = 1; cut < bytes.length; cut += 1) {
    assert.deepEqual(await collect(bodyFrom(bytes, [cut])), EXPECTED, `cut at ${cut}`);
  }
  const everyByte = Array.from({ length: bytes.length - 1 }, (_, i) => i + 1);
  assert.deepEqual(await collect(bodyFrom(bytes, everyByte)), EXPECTED);
});

test('BOM, ids, field without colon, non-JSON data; an unterminated last event is dropped', () => {
  const events = [];
  const parser = new SseParser((e) => events.push(e));
  parser.feed('\ufeffid: 7\ndata\ndata:plain\n\nevent: x\ndata: tail');
  parser.end();
  assert.deepEqual(events, [{ event: 'message', data: '\nplain', id: '7' }]);
});
