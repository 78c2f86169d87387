// Which Docs tab the panel works on. In the side panel: the active tab of the panel's
// window (the panel is only enabled on Docs tabs). Opened as a normal tab
// (chrome-extension://<id>/sidepanel.html, handy for a wide view and for tests): the most
// recently used Docs tab.

import { docIdFromUrl, DOCS_URL_PATTERN } from '../lib/doc-url.js';

export function docTitleOf(tab) {
  return String(tab?.title ?? '').replace(/\s+-\s+Google (Docs|문서)\s*$/, '').trim();
}

export async function currentDocTab() {
  const win = await chrome.windows.getCurrent();
  const [active] = await chrome.tabs.query({ active: true, windowId: win.id });
  if (active && docIdFromUrl(active.url)) return active;
  const self = await chrome.tabs.getCurrent();
  if (!self) return null;
  const tabs = (await chrome.tabs.query({ url: DOCS_URL_PATTERN })).filter((tab) => docIdFromUrl(tab.url));
  tabs.sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0));
  return tabs[0] ?? null;
}

/** Calls `listener()` when the tab the panel should follow may have changed. */
export function onDocTabMaybeChanged(listener) {
  chrome.tabs.onActivated.addListener(() => listener());
  chrome.tabs.onUpdated.addListener((_id, info) => {
    if (info.url !== undefined || info.title !== undefined) listener();
  });
  chrome.tabs.onRemoved.addListener(() => listener());
  chrome.windows.onFocusChanged.addListener(() => listener());
}
