// Uploads (PDF/CSV) with progress, the session's file list with index status, delete.

import { gateway } from '../chrome/gateway.js';
import { t } from '../chrome/i18n.js';
import { $, clear, formatBytes, h } from './dom.js';

// gateway FileStatus: pending -> indexed (PDF in RAG) | stored (CSV) | failed
const FINAL = new Set(['indexed', 'stored', 'failed']);
const POLL_MS = 2000;
const ACCEPTED = /\.(pdf|csv)$/i;

export function setupFiles({ onError, onFilesChanged, status }) {
  let sessionId = null;
  let timer = null;
  let list = [];

  function render() {
    const ul = clear($('#file-list'));
    $('#files-empty').hidden = list.length > 0;
    for (const file of list) {
      const state = String(file.status ?? '');
      const detail = [file.kind?.toUpperCase(), formatBytes(file.bytes), file.pages ? t('pages', [String(file.pages)]) : '', file.rows ? t('rows', [String(file.rows)]) : '']
        .filter(Boolean)
        .join(' · ');
      ul.append(
        h(
          'li',
          { dataset: { fileId: file.file_id } },
          h('span', { class: 'grow' }, h('span', {}, String(file.name ?? file.file_id)), h('br'), h('span', { class: 'muted' }, detail)),
          h('span', { class: 'badge', dataset: { status: state }, title: file.status_reason ?? undefined }, chrome.i18n.getMessage(`file_${state}`) || state),
          h('button', { type: 'button', class: 'link', 'aria-label': t('deleteFile', [String(file.name ?? '')]), onclick: () => remove(file) }, t('delete')),
        ),
      );
    }
    onFilesChanged?.(list);
  }

  function schedule() {
    clearTimeout(timer);
    if (sessionId && list.some((f) => f.status && !FINAL.has(String(f.status)))) {
      timer = setTimeout(() => load(sessionId).catch(onError), POLL_MS);
    }
  }

  async function load(sid) {
    sessionId = sid;
    const answer = await gateway.listFiles(sid);
    if (sid !== sessionId) return;
    list = answer;
    render();
    schedule();
  }

  async function remove(file) {
    if (!confirm(t('deleteConfirm', [String(file.name ?? '')]))) return;
    try {
      await gateway.deleteFile(sessionId, file.file_id);
      await load(sessionId);
    } catch (error) {
      onError(error);
    }
  }

  async function upload(sid, files) {
    const progress = $('#upload-progress');
    for (const file of files) {
      if (!ACCEPTED.test(file.name)) {
        onError(new Error(t('uploadWrongType', [file.name])));
        continue;
      }
      progress.hidden = false;
      progress.value = 0;
      status(t('uploading', [file.name]));
      try {
        await gateway.uploadFile(sid, file, { onProgress: (f) => (progress.value = f) });
        status(t('uploaded', [file.name]));
      } catch (error) {
        status('');
        onError(error);
      }
    }
    progress.hidden = true;
    await load(sid).catch(onError);
  }

  return {
    load,
    upload,
    clear() {
      sessionId = null;
      list = [];
      clearTimeout(timer);
      render();
    },
  };
}
