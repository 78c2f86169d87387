// Service worker: the toolbar button opens the side panel, and the panel is enabled only
// on Google Docs documents (per tab). Without the "tabs" permission Chrome reveals a tab's
// URL only for our host permissions (docs.google.com/document/*), so a tab whose URL we
// cannot see is, correctly, not a document.

import { gateway } from './src/chrome/gateway.js';
import { runCards } from './src/chrome/run-cards.js';
import { cardAfterEvent, terminalStatus } from './src/lib/run-card.js';
import { docIdFromUrl, DOCS_URL_PATTERN } from './src/lib/doc-url.js';

const PANEL = 'sidepanel.html';

async function applyToTab(tabId, url) {
  const enabled = docIdFromUrl(url) !== null;
  try {
    await chrome.sidePanel.setOptions(enabled ? { tabId, path: PANEL, enabled: true } : { tabId, enabled: false });
  } catch {
    // the tab closed meanwhile
  }
}

async function setup() {
  await chrome.sidePanel.setPanelBehavior({ openPanelOnActionClick: true });
  // Off everywhere by default; each Docs tab turns it on for itself.
  await chrome.sidePanel.setOptions({ enabled: false });
  const tabs = await chrome.tabs.query({ url: DOCS_URL_PATTERN });
  await Promise.all(tabs.map((tab) => applyToTab(tab.id, tab.url)));
}

chrome.runtime.onInstalled.addListener(setup);
chrome.runtime.onStartup.addListener(setup);

chrome.tabs.onUpdated.addListener((tabId, info, tab) => {
  if (info.url !== undefined || info.status === 'loading') applyToTab(tabId, tab.url);
});

// ---------- runs that outlive the panel ----------
// While a panel is open it follows its run itself (and keeps a port to this worker open).
// When the last panel closes, this worker re-attaches to every running run card with
// GET /v1/runs/{id}/events + Last-Event-ID (the last seq the panel saw), updates the card
// when the run ends and shows a notification. An alarm re-wakes the worker (Chrome stops an
// idle service worker) so a long run is still noticed.


const panels = new Set();
const watching = new Map(); // runId -> AbortController
const ALARM = 'finscribe-watch-runs';

chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== 'panel') return;
  panels.add(port);
  port.onDisconnect.addListener(() => {
    panels.delete(port);
    if (panels.size === 0) watchRunningCards();
  });
});

async function watchRunningCards() {
  const cards = Object.values(await runCards.all()).filter((c) => c.status === 'running');
  if (cards.length === 0) {
    await chrome.alarms.clear(ALARM);
    return;
  }
  await chrome.alarms.create(ALARM, { periodInMinutes: 0.5 });
  for (const card of cards) if (!watching.has(card.runId)) watch(card);
}

async function watch(card) {
  const controller = new AbortController();
  watching.set(card.runId, controller);
  // calling an extension API every 20 s keeps this worker alive while it reads the stream
  const keepAlive = setInterval(() => chrome.runtime.getPlatformInfo(), 20_000);
  let lastSeq = card.lastSeq;
  try {
    for await (const { event, data } of gateway.runEvents(card.runId, { after: card.lastSeq, signal: controller.signal })) {
      lastSeq = Math.max(lastSeq, Number(data?.seq) || 0);
      const status = terminalStatus(event, data);
      if (!status) continue;
      const notify = panels.size === 0;
      await runCards.update(card.runId, (c) =>
        // a panel that already handled the end keeps its `seen`
        c.status === 'running' ? { ...cardAfterEvent({ ...c, lastSeq }, event, data), seen: !notify } : c,
      );
      if (notify) await notifyEnded(card, status);
      break;
    }
  } catch {
    // gateway unreachable or signed out: the alarm tries again
  } finally {
    clearInterval(keepAlive);
    watching.delete(card.runId);
  }
}

async function notifyEnded(card, status) {
  const title = { completed: 'notifyDone', waiting: 'notifyWaiting' }[status] ?? 'notifyFailed';
  await chrome.notifications.create(`run:${card.docId}:${card.runId}`, {
    type: 'basic',
    iconUrl: 'icons/128.png',
    title: chrome.i18n.getMessage(title),
    message: `${card.prompt || chrome.i18n.getMessage(`kind_${card.kind}`)}\n${chrome.i18n.getMessage('notifyBody')}`,
  });
}

chrome.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === ALARM && panels.size === 0) watchRunningCards();
});

// Clicking the notification brings its document's tab to the front (the panel, opened
// there, shows the result).
chrome.notifications.onClicked.addListener(async (id) => {
  const [, docId] = id.split(':');
  if (!docId) return;
  const [tab] = await chrome.tabs.query({ url: `https://docs.google.com/document/d/${docId}/*` });
  if (!tab) return;
  await chrome.tabs.update(tab.id, { active: true });
  await chrome.windows.update(tab.windowId, { focused: true });
  try {
    await chrome.sidePanel.open({ tabId: tab.id });
  } catch {
    // Chrome may not count a notification click as a user gesture
  }
  chrome.notifications.clear(id);
});

chrome.runtime.onStartup.addListener(watchRunningCards);
