// Runs the extension's request builders against the documented Docs model: build the
// requests for a document, check the body against the discovery document, apply it all or
// nothing, and return what a reader would see. Shared by the hand-written and the
// property-based tests.

import assert from 'node:assert/strict';

import { endAnchor, listParagraphs } from '../../src/lib/doc-outline.js';
import { replaceParagraphRequests, resultToRequests } from '../../src/lib/docs-requests.js';
import { DocsBody, LINK_COLOR } from './docs-body.mjs';
import { validateBatchUpdate } from './discovery.mjs';
import { documentOf } from './fixtures.mjs';
import { canonical, pushRun, readerView } from './reader.mjs';

/** Asserts a batchUpdate body conforms to docs.v1.json. */
export function assertConforms(body) {
  assert.deepEqual(validateBatchUpdate(body), [], 'the body violates the Docs discovery document');
}

/** Inserts `result` at the end of the document described by `items` (as the panel does). */
export function insertAtEnd(items, result, { labels = {}, images = true, anchor = null } = {}) {
  const json = documentOf(items);
  const body = DocsBody.fromDocument(json);
  const at = anchor ?? endAnchor(json);
  const out = resultToRequests(result, at, labels, { images });
  if (out.requests.length) {
    assertConforms({ requests: out.requests, writeControl: { requiredRevisionId: json.revisionId } });
    body.applyBatch(out.requests);
  }
  return { body, out, view: readerView(body), anchor: at };
}

/** Replaces the n-th listed paragraph of the document described by `items` with `result`. */
export function replaceParagraph(items, n, result) {
  const json = documentOf(items);
  const body = DocsBody.fromDocument(json);
  const paragraph = listParagraphs(json)[n];
  const request = replaceParagraphRequests(result, paragraph, json.revisionId);
  assertConforms(request);
  body.applyBatch(request.requests);
  return { body, request, view: readerView(body) };
}

// ---------- expectations, written from what a reader should see ----------

export const LINK = (url) => ({ underline: true, link: url, foregroundColor: LINK_COLOR });
export const SUP = (url) => (url ? { ...LINK(url), baselineOffset: 'SUPERSCRIPT' } : { baselineOffset: 'SUPERSCRIPT' });

/** An expected paragraph: runs as [text, style] pairs (or one plain string). */
export function para(runs, { style = {}, bullet = null, images = null } = {}) {
  const list = typeof runs === 'string' ? [[runs, {}]] : runs;
  const merged = [];
  for (const [text, s] of list) pushRun(merged, text, s);
  const item = { text: merged.map((r) => r.text).join(''), runs: merged, style: { ...style, namedStyleType: style.namedStyleType ?? 'NORMAL_TEXT' } };
  if (images) item.images = images;
  if (bullet) item.bullet = { list: bullet.list, level: bullet.level ?? 0, ordered: !!bullet.ordered };
  return item;
}

/** The canonical form of an expected document (lists renamed by first appearance, table gaps dropped). */
export const expected = (items) => canonical(items);
