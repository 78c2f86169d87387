// The side panel: follows the active Docs tab, keeps one gateway session per document,
// runs the five kinds with live progress, and writes results into the document.

import { SignInRequired, onAuthChanged, signIn, signOut, storedAuth } from '../chrome/auth.js';
import { getConfig, onConfigChanged } from '../chrome/config.js';
import { docsApi } from '../chrome/docs-api.js';
import { ApiError, ConflictError } from '../chrome/errors.js';
import { gateway } from '../chrome/gateway.js';
import { localize, t, uiLanguage } from '../chrome/i18n.js';
import { runCards } from '../chrome/run-cards.js';
import { endAnchor, findParagraph, isImageFetchError, listParagraphs } from '../lib/doc-outline.js';
import { docIdFromUrl } from '../lib/doc-url.js';
import { replaceParagraphRequests, resultToRequests } from '../lib/docs-requests.js';
import { ACTION, describeError } from '../lib/error-codes.js';
import { anchorAfter, insertionUndo, isParagraphResult, replacementText, undoRequest } from '../lib/insertion.js';
import { cardAfterEvent, formatElapsed, newCard, terminalStatus } from '../lib/run-card.js';
import { FormError, buildRunRequest } from '../lib/run-request.js';
import { currentDocTab, docTitleOf, onDocTabMaybeChanged } from './current-doc.js';
import { $, clear, formatDate, h } from './dom.js';
import { setupFiles } from './files-view.js';
import { setupCompanyField } from './company-field.js';
import { setupHistory } from './history-view.js';
import { OutlineError, addSection, editedOutline, hideReview, showReview } from './outline-review.js';
import { absolutizeCharts, addWarning, applyEvent, hideResult, resetProgress, showCitation, showResult } from './run-view.js';
import { setupTabs } from './tabs.js';

const state = {
  config: null,
  docId: null,
  docTitle: '',
  sessionId: null,
  doc: null, // last documents.get answer
  paragraphs: [],
  result: null,
  run: null, // {controller, runId, lastSeq, card, detached}
  pendingConflict: null,
  writing: false, // a Docs write is under way: every write button is disabled
  lastInsertion: null, // {docId, undo, revisionId}: what "undo" deletes, guarded by revision
  retry: null, // what the error's Retry button does
  resultRunId: null, // the run whose result is shown (History marks it inserted)
  waiting: null, // {runId, card}: a draft whose outline awaits the user's approval
  checking: false, // the company name is being checked before a run
};

// ---------- status and errors ----------

function status(text) {
  $('#status').textContent = text ?? '';
}

/**
 * Shows an error as a sentence that says what happened and what to do (lib/error-codes.js,
 * `err_<code>` messages), with the one button that helps (retry, open the settings, sign in
 * again) and the server's own wording and request id under "details".
 */
function showError(error, { retry = null } = {}) {
  const box = $('#error');
  if (!error) {
    box.hidden = true;
    $('#error-text').textContent = '';
    state.retry = null;
    return;
  }
  let message;
  let action = ACTION.none;
  let detail = '';
  if (error instanceof SignInRequired) {
    message = t('err_sign_in_required');
    action = ACTION.signIn;
  } else if (error instanceof FormError) {
    message = t(`form_${error.field}_${error.code}`);
  } else if (!error?.code && !error?.status && error?.name !== 'TypeError' && error?.message) {
    message = error.message; // the panel's own sentence (already localised)
  } else {
    const described = describeError(error);
    message = t(described.key);
    action = described.action;
    detail = [error?.code, error?.message].filter(Boolean).join(': ');
  }
  if (error?.requestId) detail += ` (request id ${error.requestId})`;
  $('#error-text').textContent = message;
  $('#error-detail').textContent = detail;
  $('#error-details').hidden = !detail;
  const button = $('#error-action');
  state.retry = action === ACTION.retry ? (retry ?? (() => refreshContext({ force: true }))) : null;
  button.dataset.action = action;
  button.textContent = { retry: t('retry'), options: t('openSettings'), signIn: t('signIn') }[action] ?? '';
  button.hidden = action === ACTION.none;
  box.hidden = false;
  if (action === ACTION.signIn) renderAuth();
}

function onErrorAction() {
  const action = $('#error-action').dataset.action;
  const retry = state.retry;
  showError(null);
  if (action === ACTION.options) chrome.runtime.openOptionsPage();
  else if (action === ACTION.signIn) guarded(() => signIn());
  else if (action === ACTION.retry) retry?.();
}

async function guarded(task, { retry } = {}) {
  showError(null);
  try {
    return await task();
  } catch (error) {
    if (error?.name === 'AbortError') return undefined;
    showError(error, { retry: retry ?? (() => guarded(task, { retry })) });
    return undefined;
  }
}

// ---------- auth ----------

async function renderAuth() {
  const auth = await storedAuth();
  const dev = state.config.authMode === 'dev';
  $('#account').textContent = auth?.email || (dev ? `${state.config.devEmail} (dev)` : '');
  $('#sign-in').hidden = !!auth;
  $('#sign-out').hidden = !auth;
}

function signedInForGateway(auth) {
  return state.config.authMode === 'dev' ? !!state.config.devEmail : !!auth;
}

// ---------- document context ----------

function setEnabled(enabled) {
  for (const el of document.querySelectorAll('#run-form button[type="submit"], #file-input, #refresh-doc')) {
    el.disabled = !enabled;
  }
  renderWriteButtons();
}

// Context changes arrive in bursts (tab events, sign-in); they are handled one at a time.
let contextQueue = Promise.resolve();
function refreshContext(options) {
  contextQueue = contextQueue.then(() => applyContext(options)).catch((error) => showError(error));
  return contextQueue;
}

async function applyContext({ force = false } = {}) {
  const tab = await currentDocTab();
  const docId = tab ? docIdFromUrl(tab.url) : null;
  if (!force && docId === state.docId) {
    if (tab && docTitleOf(tab) !== state.docTitle) {
      state.docTitle = docTitleOf(tab);
      $('#doc-title').textContent = state.docTitle;
    }
    return;
  }
  // another document: stop following (the run goes on at the gateway; its card remembers it)
  if (state.run && docId !== state.docId) detachRun();
  Object.assign(state, { docId, docTitle: docTitleOf(tab), sessionId: null, doc: null, paragraphs: [], result: null, lastInsertion: null });
  $('#run-card').hidden = true;
  state.waiting = null;
  hideReview();
  hideResult();
  resetProgress();
  renderParagraphs();
  files.clear();
  history.clear();
  $('#doc-title').textContent = docId ? state.docTitle || docId : t('noDocument');
  if (!docId) {
    setEnabled(false);
    status('');
    return;
  }
  const auth = await storedAuth();
  if (!signedInForGateway(auth)) {
    setEnabled(false);
    status(t('signInToStart'));
    return;
  }
  setEnabled(false); // until the gateway answers: a Run that cannot work is not offered
  await guarded(async () => {
    status(t('connecting'));
    const session = await gateway.ensureSession(docId, state.docTitle || undefined);
    if (state.docId !== docId) return;
    state.sessionId = session.session_id;
    setEnabled(true);
    status('');
    await Promise.all([files.load(state.sessionId), history.load(state.sessionId), auth ? loadDoc() : null]);
    await resumeCard(docId, session.session_id);
  });
}

async function loadDoc() {
  if (!state.docId) return;
  const docId = state.docId;
  const doc = await docsApi.get(docId);
  if (state.docId !== docId) return;
  state.doc = doc;
  state.paragraphs = listParagraphs(doc);
  renderParagraphs();
}

function renderParagraphs() {
  const select = $('#paragraph');
  const previous = select.value;
  clear(select).append(h('option', { value: '' }, t('paragraphNone')));
  state.paragraphs.forEach((p, i) => {
    const prefix = p.headingLevel !== null ? `${'#'.repeat(Math.max(1, p.headingLevel))} ` : '¶ ';
    const label = prefix + (p.text.length > 70 ? `${p.text.slice(0, 70)}…` : p.text);
    select.append(h('option', { value: String(i), title: p.text }, label));
  });
  if (previous && Number(previous) < state.paragraphs.length) select.value = previous;
  onParagraphChosen();
}

// Replace is offered only for a result that is a paragraph (never a report in place of a sentence).
const canReplace = () => !!state.result && isParagraphResult(state.result);

function chosenParagraph() {
  const value = $('#paragraph').value;
  return value === '' ? null : (state.paragraphs[Number(value)] ?? null);
}

let autoFilledText = '';
function onParagraphChosen() {
  const chosen = chosenParagraph();
  renderWriteButtons();
  $('#replace-preview').hidden = true;
  // Rewrite works on the chosen paragraph unless the user typed their own text.
  const text = $('#text');
  if (chosen && (text.value === '' || text.value === autoFilledText)) {
    text.value = chosen.text;
    autoFilledText = chosen.text;
  }
}

// ---------- runs ----------

function formValues() {
  const form = $('#run-form');
  const values = Object.fromEntries(new FormData(form).entries());
  values.use_files = $('#use_files').checked;
  values.review_outline = $('#review_outline').checked;
  // the PDFs this run may read: sent only when the user left some out (absent: all)
  const boxes = [...document.querySelectorAll('#run-files-list input[type="checkbox"]')];
  if (!$('#run-files').hidden && boxes.some((b) => !b.checked)) values.file_ids = boxes.filter((b) => b.checked).map((b) => b.value);
  return values;
}

function showKindOptions() {
  const kind = $('#kind').value;
  for (const el of document.querySelectorAll('[data-kinds]')) el.hidden = !el.dataset.kinds.split(' ').includes(kind);
  // the PDF choice only when there are PDFs to choose from
  if (!$('#run-files-list').children.length) $('#run-files').hidden = true;
}

function setRunning(running) {
  $('#run').disabled = running || !state.sessionId;
  $('#cancel').disabled = !running;
  $('#kind').disabled = running;
  // the form folds away while a run is active so progress and text are on screen
  $('#run-form').classList.toggle('collapsed', running);
  clearInterval(elapsedTimer);
  if (running) elapsedTimer = setInterval(renderElapsed, 1000);
  renderElapsed();
}

let elapsedTimer = null;
function renderElapsed() {
  const run = state.run;
  if (!run?.startedAt) return;
  const text = formatElapsed(Date.now() - run.startedAt);
  $('#elapsed').textContent = text;
  $('#run-card-elapsed').textContent = text;
}

function renderCard(card) {
  const box = $('#run-card');
  if (!card) {
    box.hidden = true;
    return;
  }
  box.hidden = false;
  box.dataset.status = card.status;
  box.dataset.runId = card.runId;
  $('#run-card-kind').textContent = t(`kind_${card.kind}`);
  $('#run-card-prompt').textContent = card.prompt;
  $('#run-card-prompt').title = card.prompt;
  $('#run-card-status').textContent = chrome.i18n.getMessage(`run_${card.status}`) || card.status;
  if (card.finishedAt) $('#run-card-elapsed').textContent = formatElapsed(card.finishedAt - card.startedAt);
}

async function startRun(event) {
  event.preventDefault();
  if (state.run || !state.sessionId) return;
  showError(null);
  let body;
  try {
    body = buildRunRequest($('#kind').value, formValues());
  } catch (error) {
    showError(error);
    const field = document.getElementById(error.field);
    field?.focus();
    return;
  }
  if (state.checking) return;
  if (body.options.company) {
    // "삼성" fits several listed companies: ask which before writing anything
    state.checking = true;
    const answer = await company.check(() => $('#run-form').requestSubmit()).finally(() => {
      state.checking = false;
    });
    if (answer === 'asked') return;
    if (answer instanceof Error) {
      showError(answer);
      $('#company').focus();
      return;
    }
  }
  const sessionId = state.sessionId;
  const docId = state.docId;
  const controller = new AbortController();
  state.run = { controller, runId: null, lastSeq: 0, card: null, detached: false, startedAt: Date.now(), sessionId, docId, kind: body.kind, prompt: body.prompt ?? '', length: body.options.length };
  state.result = null;
  beginRunView();
  const events = gateway.streamRun(sessionId, body, {
    signal: controller.signal,
    onWait: (ms) => status(t('rateLimited', [String(Math.ceil(ms / 1000))])),
  });
  await followRun(events, () => $('#run-form').requestSubmit());
}

function beginRunView({ keepProgress = false } = {}) {
  state.lastInsertion = null;
  state.waiting = null;
  hideReview();
  hideResult();
  if (!keepProgress) resetProgress(state.run?.kind, state.run?.length);
  $('#progress').dataset.state = 'running';
  setRunning(true);
  status(t('running'));
}

/** Re-attaches to a run this document started earlier (the panel was closed or switched). */
async function attachRun(card) {
  const controller = new AbortController();
  state.run = { controller, runId: card.runId, lastSeq: 0, card, detached: false, startedAt: card.startedAt, sessionId: card.sessionId, docId: card.docId, kind: card.kind, prompt: card.prompt, length: card.length };
  state.result = null;
  beginRunView();
  renderCard(card);
  status(t('reattached'));
  // from the first event (no Last-Event-ID): the view is rebuilt, then followed live
  await followRun(gateway.runEvents(card.runId, { after: 0, signal: controller.signal }), null);
}

/** Stops following the current run without cancelling it at the gateway. */
function detachRun() {
  if (!state.run) return;
  state.run.detached = true;
  state.run.controller.abort();
}

let savedAt = 0;
/** Keeps the run card current: always on a terminal event, else at most every 2 s. */
async function saveCard(type, data) {
  const run = state.run;
  if (!run?.card) return;
  run.card = { ...cardAfterEvent(run.card, type, data), seen: true };
  const terminal = terminalStatus(type, data) !== null;
  if (terminal || Date.now() - savedAt > 2000) {
    savedAt = Date.now();
    await runCards.put(run.card).catch(() => {});
  }
  renderCard(run.card);
}

/**
 * Follows a run's events until its terminal event. A stream that ends early (network, proxy,
 * a gateway replica going away) is re-attached with GET /v1/runs/{id}/events and the last
 * seq seen as Last-Event-ID, so every event arrives exactly once.
 */
async function followRun(firstEvents, retry) {
  const run = state.run;
  let finished = false;
  let waiting = null;
  let failure = null;
  try {
    let events = firstEvents;
    for (let attempt = 0; ; attempt += 1) {
      for await (const { event: type, data } of events) {
        if (data && typeof data === 'object') {
          const seq = Number(data.seq);
          if (Number.isInteger(seq) && seq <= run.lastSeq) continue; // already shown
          if (Number.isInteger(seq)) run.lastSeq = seq;
          if (data.run_id && !run.runId) run.runId = data.run_id;
          if (run.runId && !run.card) {
            run.card = { ...newCard({ runId: run.runId, sessionId: run.sessionId, docId: run.docId, kind: run.kind, prompt: run.prompt, startedAt: run.startedAt }), length: run.length };
            await runCards.put(run.card).catch(() => {});
          }
        }
        await saveCard(type, data);
        if (type === 'run.failed') {
          finished = true;
          failure = Object.assign(new Error(data.error?.message ?? t('runFailed')), { code: data.error?.code });
          break;
        }
        if (type === 'outline.review') {
          run.review = data;
          continue;
        }
        if (type === 'run.waiting') {
          finished = true;
          waiting = data;
          break;
        }
        const result = applyEvent(type, data);
        if (type === 'run.completed') {
          finished = true;
          presentResult(result, run.runId);
          break;
        }
      }
      if (finished || !run.runId || attempt >= 4) break;
      await new Promise((resolve) => setTimeout(resolve, 500 * (attempt + 1)));
      events = gateway.runEvents(run.runId, { after: run.lastSeq, signal: run.controller.signal });
    }
    if (failure) throw failure;
    if (waiting) presentReview(run, waiting);
    else if (!finished) status(t('runStillRunning'));
  } catch (error) {
    if (error?.name === 'AbortError') {
      if (!run.detached) {
        // Cancel: the gateway stops the run (a run that already finished answers 409 and
        // simply shows up in History).
        if (run.runId) await gateway.cancelRun(run.runId).catch(() => {});
        $('#progress').dataset.state = 'cancelled';
        if (run.card) {
          run.card = { ...run.card, status: 'cancelled', finishedAt: Date.now() };
          await runCards.put(run.card).catch(() => {});
          renderCard(run.card);
        }
        status(t('cancelled'));
      }
    } else {
      $('#progress').dataset.state = error?.code === 'cancelled' ? 'cancelled' : 'failed';
      status('');
      showError(error, { retry });
      // the run asks about the company: put the cursor where the answer goes
      if (['company_not_found', 'ambiguous_company', 'duplicate_company', 'not_in_demo'].includes(error?.code)) setTimeout(() => companyFieldOfRun().focus(), 0);
    }
  } finally {
    if (state.run === run) {
      state.run = null;
      setRunning(false);
      if (state.sessionId === run.sessionId) history.load(run.sessionId).catch(() => {});
    }
  }
}

/** After the document's session is ready: a run of this document that outlived its panel. */
async function resumeCard(docId, sessionId) {
  const card = await runCards.forDoc(docId);
  if (!card || card.sessionId !== sessionId || state.docId !== docId || state.run) return;
  renderCard(card);
  if (card.status === 'running' || card.status === 'waiting') {
    // followed in the background; a waiting draft replays its outline for review
    attachRun(card);
    return;
  }
  if (card.seen) return;
  // it ended while no panel showed it: show how
  await runCards.put({ ...card, seen: true });
  const run = await gateway.getRun(card.runId);
  if (run.result) {
    presentResult(run.result, card.runId);
    status(t('finishedWhileClosed'));
  } else if (run.error) {
    showError(Object.assign(new Error(run.error.message), { code: run.error.code }));
  }
}

/** The draft stopped after its outline: show it for editing; nothing is written until approved. */
function presentReview(run, waiting) {
  state.waiting = { runId: run.runId, card: run.card, kind: run.kind, length: run.length, sessionId: run.sessionId, docId: run.docId, prompt: run.prompt, startedAt: run.startedAt, lastSeq: run.lastSeq };
  $('#progress').dataset.state = 'waiting';
  showReview(run.review ?? {}, waiting?.expires_at);
  status(t('outlineWaiting'));
  $('#outline-review').scrollIntoView({ block: 'start' });
  $('#outline-title').focus();
}

/** Approve (with the user's edits): POST /v1/runs/{id}/resume, then follow the run's further events. */
async function approveOutline() {
  const waiting = state.waiting;
  if (!waiting || state.run) return;
  let outline;
  try {
    outline = editedOutline();
  } catch (error) {
    if (error instanceof OutlineError) {
      $('#outline-error').textContent = error.message;
      return;
    }
    throw error;
  }
  $('#outline-error').textContent = '';
  $('#outline-approve').disabled = true;
  const controller = new AbortController();
  const card = waiting.card ? { ...waiting.card, status: 'running', finishedAt: null } : null;
  state.run = { controller, runId: waiting.runId, lastSeq: waiting.lastSeq, card, detached: false, startedAt: waiting.startedAt, sessionId: waiting.sessionId, docId: waiting.docId, kind: waiting.kind, prompt: waiting.prompt, length: waiting.length };
  if (card) await runCards.put(card).catch(() => {});
  renderCard(card);
  beginRunView({ keepProgress: true });
  $('#progress').dataset.state = 'running';
  await followRun(gateway.resumeRun(waiting.runId, { outline }, { signal: controller.signal }), null);
}

/** Discarding a waiting draft cancels it at the gateway (History then says 취소됨). */
async function discardOutline() {
  const waiting = state.waiting;
  if (!waiting) return;
  await guarded(async () => {
    await gateway.cancelRun(waiting.runId).catch((error) => {
      if (error?.status !== 409) throw error;
    });
    state.waiting = null;
    hideReview();
    $('#progress').dataset.state = 'cancelled';
    if (waiting.card) {
      const card = { ...waiting.card, status: 'cancelled', finishedAt: Date.now() };
      await runCards.put(card).catch(() => {});
      renderCard(card);
    }
    status(t('cancelled'));
    history.load(waiting.sessionId).catch(() => {});
  });
}

function presentResult(result, runId = null) {
  state.resultRunId = runId;
  state.result = absolutizeCharts(result ?? {}, state.config.gatewayUrl);
  state.lastInsertion = null;
  showResult(state.result, labels());
  status(t('done'));
  $('#progress').dataset.state = 'done';
  renderWriteButtons();
  $('#result').focus();
}

function cancelRun() {
  state.run?.controller.abort();
}

// ---------- peer comparison (options.companies): kept apart to ease merges ----------

/** A list option's separator in its form field: companies on one line, sections one per line. */
const listSeparator = (name) => (name === 'companies' ? ', ' : '\n');

/** The field naming the run's companies: the peer list when it is filled, else the one company. */
const companyFieldOfRun = () => ($('#companies')?.value.trim() ? $('#companies') : $('#company'));

/** Puts a run's kind, prompt and options back into the form (History: reopen, re-run). */
function restoreForm(run) {
  $('#kind').value = run.kind;
  showKindOptions();
  $('#prompt').value = run.prompt ?? '';
  const options = run.options ?? {};
  for (const [name, value] of Object.entries(options)) {
    const field = document.getElementById(name);
    if (!field || !$('#run-form').contains(field)) continue;
    if (field.type === 'checkbox') field.checked = !!value;
    else field.value = Array.isArray(value) ? value.join(listSeparator(name)) : String(value ?? '');
  }
  for (const name of ['company', 'companies', 'as_of', 'sections', 'text', 'target_chars']) {
    if (!(name in options)) $(`#${name}`).value = '';
  }
  $('#review_outline').checked = !!options.review_outline;
  const chosen = Array.isArray(options.file_ids) ? new Set(options.file_ids) : null;
  for (const box of document.querySelectorAll('#run-files-list input[type="checkbox"]')) box.checked = !chosen || chosen.has(box.value);
}

// ---------- writing into the document ----------

const labels = () => ({ sourcesTitle: t('sourcesTitle'), asOf: t('asOf'), uploaded: t('uploadedFile') });
const waitStatus = (ms) => status(t('rateLimited', [String(Math.ceil(ms / 1000))]));

/** Insert / insert-after / replace / undo are enabled only when they can do something and no write is under way. */
function renderWriteButtons() {
  const ready = !!state.result && !!state.docId && !state.writing;
  $('#insert-end').disabled = !ready;
  $('#insert-after').disabled = !ready || !chosenParagraph();
  $('#replace').disabled = !ready || !chosenParagraph() || !canReplace();
  $('#replace').title = state.result && !canReplace() ? t('replaceOnlyParagraph') : '';
  const undo = $('#undo-insert');
  undo.hidden = !state.lastInsertion;
  undo.disabled = state.writing;
  $('#inserted-mark').hidden = !state.lastInsertion;
  $('#result').dataset.inserted = state.lastInsertion ? 'true' : 'false';
}

function note(text) {
  $('#insert-note').textContent = text ?? '';
}

/**
 * One Docs write at a time: a double click, or a click while an insert is still being
 * written, is ignored (the buttons are also disabled), so a result is never written twice.
 */
async function writing(task) {
  if (state.writing) return undefined;
  state.writing = true;
  renderWriteButtons();
  note('');
  try {
    return await guarded(task);
  } finally {
    state.writing = false;
    renderWriteButtons();
  }
}

/**
 * Writes the result at the anchor `where(doc)` gives for a freshly read document (end, or
 * after the chosen paragraph), with that read's revision. Remembers exactly what was
 * inserted (insertionUndo) and the revision the write produced, for Undo.
 */
async function insertResult(where, doneMessage) {
  if (!state.result || !state.docId) return;
  await writing(async () => {
    status(t('inserting'));
    const docId = state.docId;
    // Re-read right before writing: the anchor and revision must be current. A concurrent
    // edit between the read and the write fails the batch; read again and retry once.
    let images = true;
    for (let attempt = 0; ; attempt += 1) {
      const doc = await docsApi.get(docId);
      const anchor = where(doc);
      if (!anchor) throw new Error(t('paragraphGone'));
      const built = resultToRequests(state.result, anchor, labels(), { images });
      try {
        const reply = await docsApi.batchUpdate(docId, { requests: built.requests, writeControl: { requiredRevisionId: doc.revisionId } }, { onWait: waitStatus });
        if (state.resultRunId) history.markInserted(state.resultRunId);
        const undo = insertionUndo(doc, anchor, built);
        const revisionId = reply?.writeControl?.requiredRevisionId;
        state.lastInsertion = undo && revisionId ? { docId, undo, revisionId } : null;
        break;
      } catch (error) {
        // Google fetches chart images itself; when it cannot (a gateway on loopback or
        // behind a login), the whole batch fails: write the charts as links instead.
        if (images && error instanceof ApiError && isImageFetchError(error.status, error.message)) {
          images = false;
          addWarning({ message: t('chartsAsLinks') });
          continue;
        }
        if (!(error instanceof ConflictError) || attempt >= 1) throw error;
      }
    }
    await loadDoc();
    status(doneMessage);
    note(doneMessage);
  });
}

const insertAtEnd = () => insertResult((doc) => endAnchor(doc), t('inserted'));

function insertAfterChosen() {
  const chosen = chosenParagraph();
  if (!chosen) return undefined;
  return insertResult((doc) => {
    const now = findParagraph(doc, chosen);
    return now ? anchorAfter(doc, now) : null;
  }, t('insertedAfter'));
}

/** Deletes exactly what the last insertion wrote, only if nobody edited the document since. */
async function undoInsertion() {
  const last = state.lastInsertion;
  if (!last || last.docId !== state.docId) return;
  await writing(async () => {
    status(t('inserting'));
    try {
      await docsApi.batchUpdate(last.docId, undoRequest(last.undo, last.revisionId), { onWait: waitStatus });
    } catch (error) {
      if (error instanceof ConflictError) {
        state.lastInsertion = null;
        throw Object.assign(new Error(error.message), { code: 'undo_conflict' });
      }
      throw error;
    }
    state.lastInsertion = null;
    await loadDoc();
    status(t('undone'));
    note(t('undone'));
  });
}

/** Replace first shows the paragraph as it is and what it becomes; the write needs a second click. */
function previewReplace() {
  const chosen = chosenParagraph();
  if (!canReplace() || !chosen || !state.doc || state.writing) return;
  $('#replace-before').textContent = chosen.text;
  $('#replace-after').textContent = replacementText(state.result);
  $('#replace-preview').hidden = false;
  $('#replace-confirm').focus();
}

async function replaceChosen() {
  const chosen = chosenParagraph();
  $('#replace-preview').hidden = true;
  if (!canReplace() || !chosen || !state.doc) return;
  await writing(async () => {
    status(t('inserting'));
    try {
      await writeReplacement(chosen, state.doc.revisionId);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      await offerAfterConflict(chosen);
    }
  });
}

async function writeReplacement(paragraph, revisionId) {
  const body = replaceParagraphRequests(state.result, paragraph, revisionId);
  await docsApi.batchUpdate(state.docId, body, { onWait: waitStatus });
  $('#conflict').hidden = true;
  state.pendingConflict = null;
  // the paragraph list (and its revision) must be current before the next replace
  await loadDoc();
  status(t('replaced'));
  note(t('replaced'));
}

/** The document changed since the paragraph was read: read it again and ask before replacing. */
async function offerAfterConflict(chosen) {
  const doc = await docsApi.get(state.docId);
  state.doc = doc;
  const current = findParagraph(doc, chosen);
  state.paragraphs = listParagraphs(doc);
  renderParagraphs();
  const box = $('#conflict');
  box.hidden = false;
  if (!current) {
    $('#conflict-text').textContent = t('conflictGone');
    $('#conflict-current').textContent = chosen.text;
    $('#conflict-confirm').hidden = true;
    state.pendingConflict = null;
  } else {
    $('#conflict-text').textContent = t('conflictAsk');
    $('#conflict-current').textContent = current.text;
    $('#conflict-confirm').hidden = false;
    state.pendingConflict = { paragraph: current, revisionId: doc.revisionId };
    const index = state.paragraphs.findIndex((p) => p.startIndex === current.startIndex);
    if (index >= 0) $('#paragraph').value = String(index);
  }
  status(t('conflict'));
  $('#conflict-confirm').hidden ? $('#conflict-cancel').focus() : $('#conflict-confirm').focus();
}

async function confirmConflict() {
  const pending = state.pendingConflict;
  if (!pending) return;
  await writing(async () => {
    try {
      await writeReplacement(pending.paragraph, pending.revisionId);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      await offerAfterConflict(pending.paragraph);
    }
  });
}

// ---------- views ----------

const company = setupCompanyField();
const files = setupFiles({ onError: showError, onFilesChanged: renderChartFiles, status });
const history = setupHistory({
  onError: showError,
  onRerun: (runId) =>
    guarded(async () => {
      if (state.run) return;
      const run = await gateway.getRun(runId);
      restoreForm(run);
      tabs.select('tab-write');
      $('#run-form').requestSubmit();
    }),
  onOpen: async (runId) =>
    guarded(async () => {
      const run = await gateway.getRun(runId);
      if (run.status === 'running' || run.status === 'waiting') {
        // still going: follow it here (its events from the start, then live)
        if (state.run?.runId === runId) return tabs.select('tab-write');
        if (state.run) detachRun();
        tabs.select('tab-write');
        const card = (await runCards.forDoc(state.docId))?.runId === runId ? await runCards.forDoc(state.docId) : null;
        restoreForm(run);
        const fresh = newCard({ runId, sessionId: state.sessionId, docId: state.docId, kind: run.kind, prompt: run.prompt, startedAt: Date.parse(run.created_at) || Date.now() });
        attachRun(card ?? { ...fresh, status: run.status, length: run.options?.length });
        return undefined;
      }
      resetProgress();
      if (run.result) {
        restoreForm(run);
        presentResult(run.result, run.run_id);
        status(t('fromHistory', [formatDate(run.created_at, uiLanguage())]));
        tabs.select('tab-write');
      } else {
        showError(Object.assign(new Error(run.error?.message ?? t('runNoResult')), { code: run.error?.code ?? 'run_expired' }));
      }
      return undefined;
    }),
});
let tabs;

function renderChartFiles(list) {
  const select = $('#file_id');
  const previous = select.value;
  clear(select).append(h('option', { value: '' }, t('chartFileNone')));
  for (const file of list.filter((f) => f.kind === 'csv')) select.append(h('option', { value: file.file_id }, file.name));
  select.value = [...select.options].some((o) => o.value === previous) ? previous : '';
  // the PDFs a draft, paragraph or question may read: all ticked unless the user unticks some
  const box = $('#run-files-list');
  const unticked = new Set([...box.querySelectorAll('input:not(:checked)')].map((i) => i.value));
  const pdfs = list.filter((f) => f.kind === 'pdf' && f.status !== 'failed');
  clear(box).append(
    ...pdfs.map((f) =>
      h('div', { class: 'check' },
        h('input', { type: 'checkbox', id: `use-${f.file_id}`, value: f.file_id, checked: !unticked.has(f.file_id) }),
        h('label', { for: `use-${f.file_id}` }, String(f.name ?? f.file_id))),
    ),
  );
  showKindOptions();
}

// ---------- start ----------

async function main() {
  localize();
  state.config = await getConfig();
  $('#language').value = uiLanguage();
  tabs = setupTabs($('.tabs'));
  showKindOptions();
  setRunning(false);
  $('#kind').addEventListener('change', showKindOptions);
  $('#run-form').addEventListener('submit', startRun);
  $('#cancel').addEventListener('click', cancelRun);
  $('#outline-add').addEventListener('click', addSection);
  $('#outline-approve').addEventListener('click', () => guarded(approveOutline));
  $('#outline-cancel').addEventListener('click', discardOutline);
  $('#paragraph').addEventListener('change', onParagraphChosen);
  $('#refresh-doc').addEventListener('click', () => guarded(loadDoc));
  connectToWorker();
  $('#insert-end').addEventListener('click', insertAtEnd);
  $('#insert-after').addEventListener('click', insertAfterChosen);
  $('#undo-insert').addEventListener('click', undoInsertion);
  $('#replace').addEventListener('click', previewReplace);
  $('#replace-confirm').addEventListener('click', replaceChosen);
  $('#replace-cancel').addEventListener('click', () => {
    $('#replace-preview').hidden = true;
  });
  $('#error-action').addEventListener('click', onErrorAction);
  $('#result-body').addEventListener('click', (event) => {
    const sup = event.target.closest?.('sup[data-cite]');
    if (!sup) return;
    event.preventDefault();
    showCitation(state.result, sup);
  });
  $('#conflict-confirm').addEventListener('click', confirmConflict);
  $('#conflict-cancel').addEventListener('click', () => {
    $('#conflict').hidden = true;
    state.pendingConflict = null;
    status('');
  });
  $('#open-options').addEventListener('click', () => chrome.runtime.openOptionsPage());
  $('#sign-in').addEventListener('click', () =>
    guarded(async () => {
      await signIn(); // the storage change refreshes the panel (onAuthChanged)
    }),
  );
  $('#sign-out').addEventListener('click', () =>
    guarded(async () => {
      await signOut(); // the storage change refreshes the panel (onAuthChanged)
      await renderAuth();
    }),
  );
  $('#file-input').addEventListener('change', (event) => {
    const chosen = [...event.target.files];
    event.target.value = '';
    if (state.sessionId) files.upload(state.sessionId, chosen);
  });
  $('#refresh-history').addEventListener('click', () => state.sessionId && history.load(state.sessionId).catch((error) => showError(error)));
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && state.run) cancelRun();
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && document.activeElement?.closest('#run-form')) {
      $('#run-form').requestSubmit();
    }
  });
  onDocTabMaybeChanged(() => refreshContext().catch((error) => showError(error)));
  onAuthChanged(async () => {
    await renderAuth();
    await refreshContext({ force: true });
  });
  onConfigChanged(async (config) => {
    const before = state.config;
    state.config = config;
    await renderAuth();
    // reconnect only when the change affects whom we talk to or as whom
    const affects =
      before.gatewayUrl !== config.gatewayUrl ||
      before.docsApiUrl !== config.docsApiUrl ||
      before.authMode !== config.authMode ||
      (config.authMode === 'dev' && before.devEmail !== config.devEmail);
    if (affects) await refreshContext({ force: true });
  });
  await renderAuth();
  await refreshContext({ force: true });
  document.body.dataset.ready = 'true';
}

/**
 * The service worker watches running runs while no panel is open (and notifies when one
 * finishes): an open port tells it a panel is here; its disconnect that the panel closed.
 */
function connectToWorker() {
  try {
    const port = chrome.runtime.connect({ name: 'panel' });
    port.onDisconnect.addListener(() => setTimeout(connectToWorker, 1000)); // the worker restarted
  } catch {
    // the extension is reloading
  }
}

main().catch((error) => showError(error));
