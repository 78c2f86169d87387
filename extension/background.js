// Service worker: the toolbar button opens the side panel, and the panel is enabled only
// on Google Docs documents (per tab). Without the "tabs" permission Chrome reveals a tab's
// URL only for our host permissions (docs.google.com/document/*), so a tab whose URL we
// cannot see is, correctly, not a document.

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
