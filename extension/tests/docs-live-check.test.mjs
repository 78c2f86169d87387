// The maintainer's live check (tools/docs-live-check.mjs) runs end to end here against a
// loopback stand-in for the Docs API that applies batches with the documented model, so the
// script itself is known to work before a maintainer points it at Google with a real token.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { promisify } from 'node:util';

import { DocsBody } from './docs-model/docs-body.mjs';
import { documentOf } from './docs-model/fixtures.mjs';

const run = promisify(execFile);
const SCRIPT = new URL('../tools/docs-live-check.mjs', import.meta.url).pathname;

test('without a token the live check says it is skipped', async () => {
  const { stdout } = await run('node', [SCRIPT], { env: { PATH: process.env.PATH } });
  assert.match(stdout, /^skipped/);
});

test('the live check runs both steps against a Docs API stand-in', async () => {
  let doc = DocsBody.fromDocument(documentOf([{ text: 'old content' }, { text: 'more', bullet: 'BULLET_DISC_CIRCLE_SQUARE' }], { documentId: 'scratch' }));
  const server = createServer(async (req, res) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    const answer = (status, json) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(json));
    };
    if (req.headers.authorization !== 'Bearer test-token') return answer(401, { error: { code: 401 } });
    if (req.method === 'GET' && req.url === '/v1/documents/scratch') return answer(200, doc.toDocument());
    if (req.method === 'POST' && req.url === '/v1/documents/scratch:batchUpdate') {
      try {
        doc.applyBatch(JSON.parse(raw).requests);
        return answer(200, { documentId: 'scratch', replies: [] });
      } catch (error) {
        return answer(400, { error: { code: 400, message: error.message } });
      }
    }
    return answer(404, { error: { code: 404 } });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const api = `http://127.0.0.1:${server.address().port}`;
    const { stdout } = await run('node', [SCRIPT, '--token', 'test-token', '--document', 'scratch', '--api', api]);
    assert.match(stdout, /1x1 table at 2\.\.7, next paragraph at 7/);
    assert.match(stdout, /gives the document the model predicts/);
  } finally {
    server.close();
  }
  doc = null;
});
