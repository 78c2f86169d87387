// Evaluated in the panel page by test_extension_panel_runs.py: every text style at once.
(() => {
    // every text style the panel has, on screen at once: error with its action and details,
    // warnings, status, degraded banner, summary, run card, links, badges, notes, steps
    const show = (sel, text) => { const el = document.querySelector(sel); el.hidden = false; if (text) el.textContent = text; return el; };
    show('#error'); show('#error-text', '서버에 연결할 수 없습니다.'); show('#error-action', '다시 시도'); show('#error-details');
    show('#warnings').append(Object.assign(document.createElement('li'), { textContent: '수치 하나를 확인하지 못했습니다.' }));
    show('#status', '작업 중…');
    show('#demo-badge', 'DEMO');
    show('#progress'); show('#steps').append(Object.assign(document.createElement('li'), { textContent: '데이터 수집 · 실패' }));
    document.querySelector('#steps li:last-child').dataset.status = 'failed';
    show('#result'); show('#degraded', '언어 모델 없이 데이터만으로 작성했습니다.'); show('#result-summary', '기준일 2024-12-30 · 출처 1건');
    show('#inserted-mark'); show('#insert-note', '문서 끝에 삽입했습니다.'); show('#undo-insert');
    show('#run-card'); show('#run-card-prompt', '삼성전자 개요'); show('#run-card-status', '실행 중'); show('#run-card-elapsed', '0:42');
    show('#conflict'); show('#conflict-text', '그사이 누군가 문서를 고쳤습니다.');
    document.querySelector('#result-body').append(Object.assign(document.createElement('a'), { href: 'https://dart.fss.or.kr/', textContent: '반기보고서' }));
    for (const b of document.querySelectorAll('button')) b.disabled = false;
})
