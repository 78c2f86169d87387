// chrome.i18n lookups and the data-i18n attributes of the HTML pages (text only, never markup).

export function t(key, substitutions) {
  return chrome.i18n.getMessage(key, substitutions) || key;
}

export function uiLanguage() {
  return chrome.i18n.getUILanguage().toLowerCase().startsWith('ko') ? 'ko' : 'en';
}

export function localize(root = document) {
  document.documentElement.lang = uiLanguage();
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
}
