// Run cards in chrome.storage.local (lib/run-card.js): one per document, the latest run.
// Local, not session storage: a run must outlive the panel and the service worker that
// watches it while the panel is closed.

import { RUN_CARDS_KEY } from '../lib/run-card.js';

async function all() {
  const { [RUN_CARDS_KEY]: cards } = await chrome.storage.local.get(RUN_CARDS_KEY);
  return cards ?? {};
}

// Writes are chained so two updates in the same tick cannot lose each other.
let queue = Promise.resolve();
function write(change) {
  queue = queue.then(async () => {
    const cards = await all();
    const next = change(cards);
    if (next) await chrome.storage.local.set({ [RUN_CARDS_KEY]: next });
  });
  return queue;
}

export const runCards = {
  all,
  async forDoc(docId) {
    return (await all())[docId] ?? null;
  },
  put(card) {
    return write((cards) => ({ ...cards, [card.docId]: card }));
  },
  /** Applies `fn` to the card of `runId` (wherever it is) and stores the answer. */
  update(runId, fn) {
    return write((cards) => {
      const entry = Object.entries(cards).find(([, c]) => c.runId === runId);
      if (!entry) return null;
      return { ...cards, [entry[0]]: fn(entry[1]) };
    });
  },
  remove(docId) {
    return write((cards) => {
      const { [docId]: _gone, ...rest } = cards;
      return rest;
    });
  },
};
