// The side panel: follows the active Docs tab, keeps one gateway session per document,
// runs the five kinds with live progress, and writes results into the document.

import { SignInRequired, onAuthChanged, signIn, signOut, storedAuth } from '../chrome/auth.js';
import { getConfig, onConfigChanged } from '../chrome/config.js';
import { docsApi } from '../chrome/docs-api.js';
import { ApiError, ConflictError } from '../chrome/errors.js';
import { gateway } from '../chrome/gateway.js';
import { localize, t, uiLanguage } from '../chrome/i18n.js';
import { endAnchor, findParagraph, isImageFetchError, listParagraphs } from '../lib/doc-outline.js';
import { docIdFromUrl } from '../lib/doc-url.js';
import { hasReplacementText, replaceParagraphRequests, resultToRequests } from '../lib/docs-requests.js';
import { FormError, buildRunRequest } from '../lib/run-request.js';
import { currentDocTab, docTitleOf, onDocTabMaybeChanged } from './current-doc.js';
import { $, clear, h } from './dom.js';
import { setupFiles } from './files-view.js';
import { setupHistory } from './history-view.js';
import { absolutizeCharts, addWarning, applyEvent, hideResult, resetProgress, showResult } from './run-view.js';
import { setupTabs } from './tabs.js';

const state = {
  config: null,
  docId: null,
  docTitle: '',
  sessionId: null,
  doc: null, // last documents.get answer
  paragraphs: [],
  result: null,
  run: null, // {controller, runId}
  pendingConflict: null,
};

// ---------- status and errors ----------

function status(text) {
  $('#status').textContent = text ?? '';
}

function showError(error) {
  const box = $('#error');
  if (!error) {
    box.hidden = true;
    box.textContent = '';
    return;
  }
  let message;
  if (error instanceof SignInRequired || error?.code === 'sign_in_required') message = t('errorSignIn');
  else if (error?.code === 'not_configured' && !error.status) message = t('errorClientId');
  else if (error instanceof FormError) message = t(`form_${error.field}_${error.code}`);
  else message = error?.message || String(error);
  if (error?.requestId) message += ` (${error.requestId})`;
  box.textContent = message;
  box.hidden = false;
  if (error instanceof SignInRequired || error?.code === 'sign_in_required') renderAuth();
}

async function guarded(task) {
  showError(null);
  try {
    return await task();
  } catch (error) {
    if (error?.name === 'AbortError') return undefined;
    showError(error);
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
  for (const el of document.querySelectorAll('#run-form button[type="submit"], #file-input, #insert-end, #refresh-doc')) {
    el.disabled = !enabled;
  }
}

// Context changes arrive in bursts (tab events, sign-in); they are handled one at a time.
let contextQueue = Promise.resolve();
function refreshContext(options) {
  contextQueue = contextQueue.then(() => applyContext(options)).catch(showError);
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
  if (state.run && docId !== state.docId) state.run.controller.abort();
  Object.assign(state, { docId, docTitle: docTitleOf(tab), sessionId: null, doc: null, paragraphs: [], result: null });
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
  await guarded(async () => {
    status(t('connecting'));
    const session = await gateway.ensureSession(docId, state.docTitle || undefined);
    if (state.docId !== docId) return;
    state.sessionId = session.session_id;
    setEnabled(true);
    status('');
    await Promise.all([files.load(state.sessionId), history.load(state.sessionId), auth ? loadDoc() : null]);
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

// Replace is offered only for a result with text to put in the paragraph (not a chart-only one).
const canReplace = () => !!state.result && hasReplacementText(state.result);

function chosenParagraph() {
  const value = $('#paragraph').value;
  return value === '' ? null : (state.paragraphs[Number(value)] ?? null);
}

let autoFilledText = '';
function onParagraphChosen() {
  const chosen = chosenParagraph();
  $('#replace').disabled = !chosen || !canReplace();
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
  return values;
}

function showKindOptions() {
  const kind = $('#kind').value;
  for (const el of document.querySelectorAll('[data-kinds]')) el.hidden = !el.dataset.kinds.split(' ').includes(kind);
}

function setRunning(running) {
  $('#run').disabled = running || !state.sessionId;
  $('#cancel').disabled = !running;
  $('#kind').disabled = running;
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
  const sessionId = state.sessionId;
  const controller = new AbortController();
  state.run = { controller, runId: null };
  state.result = null;
  hideResult();
  resetProgress();
  setRunning(true);
  status(t('running'));
  let finished = false;
  try {
    const events = gateway.streamRun(sessionId, body, {
      signal: controller.signal,
      onWait: (ms) => status(t('rateLimited', [String(Math.ceil(ms / 1000))])),
    });
    for await (const { event: type, data } of events) {
      if (data && typeof data === 'object' && data.run_id) state.run.runId ??= data.run_id;
      if (type === 'run.failed') {
        finished = true;
        throw Object.assign(new Error(data.error?.message ?? t('runFailed')), { code: data.error?.code });
      }
      const result = applyEvent(type, data);
      if (type === 'run.completed') {
        finished = true;
        presentResult(result);
      }
    }
    if (!finished && state.run.runId) {
      // The stream ended early: the gateway keeps the run, so fetch how it ended.
      const run = await gateway.getRun(state.run.runId);
      if (run.result) presentResult(run.result);
      else if (run.error) throw Object.assign(new Error(run.error.message), { code: run.error.code });
      else status(t('runStillRunning'));
    }
  } catch (error) {
    if (error?.name === 'AbortError') {
      // Closing the stream only stops this panel waiting; the gateway stops the run itself.
      // A run that already finished answers 409 and simply shows up in History.
      if (state.run?.runId) await gateway.cancelRun(state.run.runId).catch(() => {});
      status(t('cancelled'));
    } else {
      status('');
      showError(error);
    }
  } finally {
    state.run = null;
    setRunning(false);
    if (state.sessionId === sessionId) history.load(sessionId).catch(() => {});
  }
}

function presentResult(result) {
  state.result = absolutizeCharts(result ?? {}, state.config.gatewayUrl);
  showResult(state.result);
  status(t('done'));
  $('#replace').disabled = !chosenParagraph() || !canReplace();
  $('#result').focus();
}

function cancelRun() {
  state.run?.controller.abort();
}

// ---------- writing into the document ----------

const labels = () => ({ sourcesTitle: t('sourcesTitle'), asOf: t('asOf') });
const waitStatus = (ms) => status(t('rateLimited', [String(Math.ceil(ms / 1000))]));

async function insertAtEnd() {
  if (!state.result || !state.docId) return;
  await guarded(async () => {
    status(t('inserting'));
    // Re-read right before writing: the end index and revision must be current. A
    // concurrent edit between the read and the write fails the batch; the end of the
    // document is unambiguous, so read again and retry once.
    let images = true;
    for (let attempt = 0; ; attempt += 1) {
      const doc = await docsApi.get(state.docId);
      const { requests } = resultToRequests(state.result, endAnchor(doc), labels(), { images });
      try {
        await docsApi.batchUpdate(state.docId, { requests, writeControl: { requiredRevisionId: doc.revisionId } }, { onWait: waitStatus });
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
    status(t('inserted'));
  });
}

async function replaceChosen() {
  const chosen = chosenParagraph();
  if (!canReplace() || !chosen || !state.doc) return;
  await guarded(async () => {
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
  await guarded(async () => {
    try {
      await writeReplacement(pending.paragraph, pending.revisionId);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      await offerAfterConflict(pending.paragraph);
    }
  });
}

// ---------- views ----------

const files = setupFiles({ onError: showError, onFilesChanged: renderChartFiles, status });
const history = setupHistory({
  onError: showError,
  onOpen: async (runId) =>
    guarded(async () => {
      const run = await gateway.getRun(runId);
      resetProgress();
      if (run.result) {
        presentResult(run.result);
        tabs.select('tab-write');
      } else {
        showError(Object.assign(new Error(run.error?.message ?? t('runNoResult')), { code: run.error?.code }));
      }
    }),
});
let tabs;

function renderChartFiles(list) {
  const select = $('#file_id');
  const previous = select.value;
  clear(select).append(h('option', { value: '' }, t('chartFileNone')));
  for (const file of list.filter((f) => f.kind === 'csv')) select.append(h('option', { value: file.file_id }, file.name));
  select.value = [...select.options].some((o) => o.value === previous) ? previous : '';
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
  $('#paragraph').addEventListener('change', onParagraphChosen);
  $('#refresh-doc').addEventListener('click', () => guarded(loadDoc));
  $('#insert-end').addEventListener('click', insertAtEnd);
  $('#replace').addEventListener('click', replaceChosen);
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
  $('#refresh-history').addEventListener('click', () => state.sessionId && history.load(state.sessionId).catch(showError));
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && state.run) cancelRun();
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && document.activeElement?.closest('#run-form')) {
      $('#run-form').requestSubmit();
    }
  });
  onDocTabMaybeChanged(() => refreshContext().catch(showError));
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

main().catch(showError);
