// The run card: what the panel (and the service worker) keep about a document's latest run
// in chrome.storage.local, so a run outlives the panel that started it. Pure: no chrome.*.
//
// A card is {runId, sessionId, docId, kind, prompt, status, lastSeq, startedAt, finishedAt,
// seen}. `lastSeq` is the last event `seq` (API.md "Run events") handed to whoever followed
// the run; it is what goes into `Last-Event-ID` when a follower re-attaches with
// `GET /v1/runs/{id}/events`. `seen` is false when the run ended while no panel showed it.

export const RUN_CARDS_KEY = 'runCards';
const PROMPT_KEEP = 200; // the card only labels the run; the gateway keeps the full prompt

/** A card for a run that has just started (times are epoch milliseconds). */
export function newCard({ runId, sessionId, docId, kind, prompt, startedAt = Date.now() }) {
  return {
    runId: String(runId),
    sessionId: String(sessionId),
    docId: String(docId),
    kind: String(kind),
    prompt: String(prompt ?? '').slice(0, PROMPT_KEEP),
    status: 'running',
    lastSeq: 0,
    startedAt,
    finishedAt: null,
    seen: true,
  };
}

/** The run status a terminal event ends in, or null for a non-terminal event. */
export function terminalStatus(event, data) {
  if (event === 'run.completed') return 'completed';
  // a draft waiting for its outline review: its stream ends; resuming makes it running again
  if (event === 'run.waiting') return 'waiting';
  if (event === 'run.failed') return data?.error?.code === 'cancelled' ? 'cancelled' : 'failed';
  return null;
}

/** The card after one event: `lastSeq` only grows; a terminal event ends the card. */
export function cardAfterEvent(card, event, data, now = Date.now()) {
  const seq = Number(data?.seq);
  const next = { ...card, lastSeq: Number.isInteger(seq) && seq > card.lastSeq ? seq : card.lastSeq };
  const status = terminalStatus(event, data);
  if (status && card.status === 'running') Object.assign(next, { status, finishedAt: now });
  return next;
}

/** The card of a run row from `GET /v1/runs/{id}` (status running|completed|failed|cancelled). */
export function cardFromRun(card, run, now = Date.now()) {
  if (!run || run.status === 'running' || card.status !== 'running') return card;
  return { ...card, status: String(run.status), finishedAt: now };
}

/** Elapsed time as m:ss (or h:mm:ss), from epoch milliseconds. */
export function formatElapsed(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
