// Which Google Docs document a tab shows. Only https://docs.google.com/document/d/<id>/...
// counts (also the /u/<n>/ multi-account form); anything else is "no document".

const DOC_RE = /^\/document(?:\/u\/\d+)?\/d\/([A-Za-z0-9_-]{10,200})(?:[/?#]|$)/;

export function docIdFromUrl(raw) {
  if (typeof raw !== 'string') return null;
  let url;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.hostname !== 'docs.google.com') return null;
  const match = DOC_RE.exec(url.pathname);
  return match ? match[1] : null;
}

export const DOCS_URL_PATTERN = 'https://docs.google.com/document/*';
