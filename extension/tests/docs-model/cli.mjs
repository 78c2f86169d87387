// The documented Docs body model as a process, for the Python e2e fake Docs API
// (extension/tests/conftest.py): one implementation of the model for both test suites.
//
// stdin:  {"document": <documents.get JSON>, "body": <BatchUpdateDocumentRequest>}
// stdout: {"document": <documents.get JSON after the batch>}
//      or {"error": {"code": 400, "status": "INVALID_ARGUMENT", "message": "..."}}
// The body is first checked against the official discovery document (docs.v1.json), as
// Google checks a request's JSON before applying it; the batch is all or nothing.

import { readFileSync } from 'node:fs';

import { DocsBody, DocsError } from './docs-body.mjs';
import { validateBatchUpdate } from './discovery.mjs';

const input = JSON.parse(readFileSync(0, 'utf8'));
let answer;
try {
  const problems = validateBatchUpdate(input.body);
  if (problems.length) throw new DocsError(`Invalid JSON payload received. ${problems.join('; ')}`);
  const body = DocsBody.fromDocument(input.document);
  body.applyBatch(input.body.requests);
  answer = { document: body.toDocument() };
} catch (error) {
  if (!(error instanceof DocsError)) throw error;
  answer = { error: { code: 400, status: 'INVALID_ARGUMENT', message: error.message } };
}
process.stdout.write(JSON.stringify(answer));
