"""Source of _locales/{en,ko}/messages.json: edit the tables here, then run
`../.venv/bin/python tools/locales.py` in extension/ (it reads the orchestrator's messages)."""

import json
from pathlib import Path

from finscribe_orchestrator.messages import MESSAGES, SERVICE_LABELS

ROOT = Path(__file__).resolve().parents[1]
# key: (en, ko[, placeholders count])
M = {
    "step_agent": ("Answering with tools", "도구로 답변"),
    "step_assemble": ("Assembling", "정리"),
    "step_chart_spec": ("Planning the chart", "차트 설계"),
    "step_charts": ("Drawing charts", "차트 그리기"),
    "step_data": ("Fetching data", "데이터 수집"),
    "step_done": ("Finishing", "마무리"),
    "step_gather": ("Gathering sources", "자료 수집"),
    "step_grade": ("Checking relevance", "관련성 확인"),
    "step_load_csv": ("Reading the CSV", "CSV 읽기"),
    "step_outline": ("Outlining", "목차 작성"),
    "step_render": ("Rendering", "렌더링"),
    "step_resolve": ("Finding the company", "회사 확인"),
    "step_retrieve": ("Searching your PDFs", "PDF 검색"),
    "step_rewrite": ("Rewriting", "다시 쓰기"),
    "step_rewrite_query": ("Refining the search", "검색어 개선"),
    "step_verify": ("Checking the numbers", "수치 검증"),
    "step_section": ("Writing a section", "섹션 작성"),
    "step_write": ("Writing sections", "섹션 작성"),
    "step_fetch": ("Fetching data", "데이터 수집"),
    "extName": ("FinScribe", "FinScribe"),
    "extDescription": (
        "Drafts financial documents about Korean listed companies in Google Docs from real KRX, DART and Yahoo data.",
        "한국 상장사 금융 문서를 KRX·DART·Yahoo 실데이터로 Google 문서에 작성합니다.",
    ),
    "actionTitle": ("Open FinScribe", "FinScribe 열기"),
    "signIn": ("Sign in with Google", "Google로 로그인"),
    "signOut": ("Sign out", "로그아웃"),
    "settings": ("Settings", "설정"),
    "paragraphLabel": ("Paragraph in this document", "이 문서의 문단"),
    "paragraphNone": ("(none chosen)", "(선택 안 함)"),
    "refreshDoc": ("Re-read document", "문서 다시 읽기"),
    "tabWrite": ("Write", "작성"),
    "tabFiles": ("Files", "파일"),
    "tabHistory": ("History", "기록"),
    "kindLabel": ("What to do", "작업"),
    "kind_draft": ("Draft a report", "보고서 초안"),
    "kind_paragraph": ("Write a paragraph", "문단 작성"),
    "kind_rewrite": ("Rewrite text", "다시 쓰기"),
    "kind_chart": ("Chart", "차트"),
    "kind_ask": ("Ask", "질문"),
    "promptLabel": ("Request", "요청"),
    "promptPlaceholder": ("e.g. Samsung Electronics 2023 results and outlook", "예: 삼성전자 2023년 실적과 전망"),
    "companyLabel": ("Company", "회사"),
    "companyPlaceholder": ("name or ticker (optional)", "회사명 또는 종목코드 (선택)"),
    "companiesLabel": ("Companies to compare (2-5, separated by commas)", "비교할 회사 (2~5개, 쉼표로 구분)"),
    "companiesPlaceholder": ("e.g. Hyundai Motor, Kia (a peer comparison)", "예: 현대자동차, 기아 (동종사 비교)"),
    "languageLabel": ("Language", "언어"),
    "lengthLabel": ("Length", "분량"),
    "length_short": ("Short", "짧게"),
    "length_standard": ("Standard", "보통"),
    "length_long": ("Long", "길게"),
    "asOfLabel": ("As of", "기준일"),
    "sectionsLabel": ("Sections (one per line, optional)", "섹션 (한 줄에 하나, 선택)"),
    "sectionsPlaceholder": ("Overview\nResults\nValuation", "개요\n실적\n밸류에이션"),
    "useFilesLabel": ("Use my uploaded PDFs", "업로드한 PDF 사용"),
    "rewriteTextLabel": ("Text to rewrite", "다시 쓸 글"),
    "rewriteTextPlaceholder": ("Choose a paragraph above or paste text", "위에서 문단을 고르거나 글을 붙여 넣으세요"),
    "modeLabel": ("How", "방식"),
    "mode_polish": ("Polish", "다듬기"),
    "mode_summarize": ("Summarize", "요약"),
    "mode_expand": ("Expand", "확장"),
    "mode_formal": ("Formal", "격식체"),
    "mode_translate_ko": ("Translate to Korean", "한국어로 번역"),
    "mode_translate_en": ("Translate to English", "영어로 번역"),
    "targetCharsLabel": ("Target length (chars)", "목표 글자 수"),
    "chartFileLabel": ("From CSV", "CSV에서"),
    "chartFileNone": ("(company data)", "(회사 데이터)"),
    "run": ("Run", "실행"),
    "cancel": ("Cancel", "취소"),
    "resultTitle": ("Result", "결과"),
    "insertEnd": ("Insert at end", "문서 끝에 삽입"),
    "replaceParagraph": ("Replace chosen paragraph", "선택한 문단 바꾸기"),
    "conflictConfirm": ("Replace it", "바꾸기"),
    "conflict": ("The document changed.", "문서가 변경되었습니다."),
    "conflictAsk": (
        "The document changed since you chose the paragraph. It now reads as below. Replace it?",
        "문단을 고른 뒤 문서가 변경되었습니다. 현재 내용은 아래와 같습니다. 바꿀까요?",
    ),
    "conflictGone": (
        "The chosen paragraph was changed or removed by someone else. Choose it again.",
        "선택한 문단이 다른 사람에 의해 바뀌었거나 삭제되었습니다. 다시 선택하세요.",
    ),
    "uploadLabel": ("Upload PDF or CSV", "PDF 또는 CSV 업로드"),
    "filesEmpty": ("No files in this document's session yet.", "이 문서 세션에 파일이 없습니다."),
    "historyEmpty": ("No runs yet.", "실행 기록이 없습니다."),
    "refresh": ("Refresh", "새로고침"),
    "open": ("Open", "열기"),
    "delete": ("Delete", "삭제"),
    "sourcesTitle": ("Sources", "출처"),
    "asOf": ("as of", "기준"),
    "asOfHint": (
        "The date the figures are taken as of (charts: the period ends here). Empty: today.",
        "수치의 기준일입니다(차트는 이 날까지의 기간). 비우면 오늘입니다.",
    ),
    "uploadedFile": ("your upload", "올린 파일"),
    "reviewOutlineLabel": ("Review the outline before writing", "작성 전에 개요 검토"),
    "runFilesLabel": ("PDFs this run may use", "이 실행에 쓸 PDF"),
    "outlineReviewTitle": ("Review the outline", "개요 검토"),
    "outlineReviewHint": (
        "Reorder, rename, delete or add sections and give instructions; nothing is written until you approve.",
        "섹션 순서·제목을 고치거나 지우고 더하며 지시를 적으세요. 승인해야 작성을 시작합니다.",
    ),
    "outlineTitleLabel": ("Report title", "보고서 제목"),
    "outlineSectionTitle": ("Section title", "섹션 제목"),
    "outlineInstructions": ("Instructions for this section", "이 섹션에 대한 지시"),
    "outlineInstructionsPlaceholder": ("Instructions for this section (optional)", "이 섹션에 대한 지시(선택)"),
    "outlineUp": ("Move up", "위로"),
    "outlineDown": ("Move down", "아래로"),
    "outlineRemove": ("Delete this section", "이 섹션 삭제"),
    "outlineAdd": ("Add a section", "섹션 추가"),
    "outlineApprove": ("Approve and write", "승인하고 작성"),
    "outlineDiscard": ("Discard the draft", "초안 취소"),
    "outlineNeedsSection": ("Keep at least one section.", "섹션을 하나 이상 두세요."),
    "outlineWaiting": (
        "The outline is ready: review it below, then approve.",
        "개요가 준비되었습니다. 아래에서 검토한 뒤 승인하세요.",
    ),
    "run_waiting": ("awaiting approval", "승인 대기"),
    # report templates (API.md templates): the chooser and "save as template"
    "templateLabel": ("Template", "보고서 양식"),
    "templateNone": ("None (the model plans the sections)", "없음 (모델이 목차 구성)"),
    "templateNoneHint": (
        "No template: the model plans the sections, or lists yours below.",
        "양식 없이 모델이 목차를 짜거나, 아래에 적은 섹션을 씁니다.",
    ),
    "templateBuiltins": ("Built-in", "기본 양식"),
    "templateSaved": ("Saved by you", "내가 저장한 양식"),
    "templateDelete": ("Delete this template", "이 양식 삭제"),
    "templateSave": ("Save as template", "템플릿으로 저장"),
    "templateSaveTitle": ("Save these sections as a template", "이 섹션 구성을 양식으로 저장"),
    "templateSaveHint": (
        "The sections, their order and instructions are kept; the company becomes a placeholder.",
        "섹션과 순서, 지시가 저장되고 회사 이름은 자리 표시로 바뀝니다.",
    ),
    "templateNameLabel": ("Template name", "양식 이름"),
    "templateSaveConfirm": ("Save", "저장"),
    "templateNameRequired": ("Give the template a name.", "양식 이름을 적으세요."),
    "templateInvalid": (
        "The template was refused: check the section titles (no braces) and lengths, then save again.",
        "양식이 거절되었습니다. 섹션 제목(중괄호 없이)과 길이를 확인한 뒤 다시 저장하세요.",
    ),
    "optTemplates": ("My report templates", "내 보고서 양식"),
    "optTemplatesHint": (
        "Templates you saved (from the outline review or here); the side panel offers them under Template.",
        "개요 검토나 여기에서 저장한 양식입니다. 사이드 패널의 보고서 양식에서 고를 수 있습니다.",
    ),
    "optTemplatesNone": ("No saved templates yet.", "아직 저장한 양식이 없습니다."),
    "optTemplateTitle": ("Report title", "보고서 제목"),
    "optTemplateTitlePlaceholder": (
        "{company} is the company, e.g. {company} check-up",
        "{company} 자리에 회사 이름이 들어갑니다. 예: {company} 점검",
    ),
    "optTemplateSections": ("Sections, one a line (title | instructions)", "섹션, 한 줄에 하나 (제목 | 지시)"),
    "optTemplateSectionsPlaceholder": (
        "Overview | two sentences\nShare price\nRisks | three points",
        "개요 | 두 문장으로\n주가 동향\n리스크 | 세 가지로",
    ),
    "optTemplateAdd": ("Save the template", "양식 저장"),
    "template_company_analysis_name": ("Company analysis", "기업 분석"),
    "template_company_analysis_desc": (
        "The standard report: size, share price, valuation, results, financials and filings.",
        "회사 규모, 주가, 밸류에이션, 실적과 재무, 공시를 두루 보는 기본 보고서",
    ),
    "template_earnings_review_name": ("Earnings review", "실적 리뷰"),
    "template_earnings_review_desc": (
        "The newest quarter against the prior quarter and a year earlier, the quarter table first.",
        "최신 분기 실적을 직전 분기, 전년 동기와 비교; 분기 실적 표를 맨 앞에",
    ),
    "template_peer_comparison_name": ("Peer comparison", "동종사 비교"),
    "template_peer_comparison_desc": (
        "Two to five companies side by side: key figures and share price on the same period and basis.",
        "2~5개 회사의 주요 지표와 주가 성과를 같은 기간, 같은 기준으로 비교",
    ),
    "template_investment_memo_name": ("Investment memo", "투자 메모"),
    "template_investment_memo_desc": ("A one- or two-page investment memo.", "한두 쪽 분량의 투자 판단 메모"),
    "reviewOutline": ("Review", "검토"),
    "foundDataNone": ("No data found yet", "아직 찾은 데이터 없음"),
    "noDocument": ("Open a Google Docs document to start.", "시작하려면 Google 문서를 여세요."),
    "signInToStart": ("Sign in to start.", "시작하려면 로그인하세요."),
    "connecting": ("Connecting…", "연결 중…"),
    "running": ("Working…", "작업 중…"),
    "cancelled": ("Cancelled.", "취소했습니다."),
    "done": ("Done.", "완료했습니다."),
    "runFailed": ("The run failed.", "실행에 실패했습니다."),
    "runNoResult": ("This run has no result.", "이 실행에는 결과가 없습니다."),
    "runStillRunning": (
        "The run is still going; open it from History later.",
        "아직 실행 중입니다. 나중에 기록에서 여세요.",
    ),
    "inserting": ("Writing into the document…", "문서에 쓰는 중…"),
    "chartsAsLinks": (
        "Google could not fetch the chart images (is the gateway public?); the charts were inserted as links.",
        "Google이 차트 이미지를 가져오지 못해(게이트웨이가 공개 주소인지 확인하세요) 차트를 링크로 삽입했습니다.",
    ),
    "inserted": ("Inserted at the end of the document.", "문서 끝에 삽입했습니다."),
    "replaced": ("Paragraph replaced.", "문단을 바꿨습니다."),
    "errorSignIn": ("Please sign in again.", "다시 로그인하세요."),
    "errorClientId": (
        "Set the OAuth client ID in the settings first.",
        "먼저 설정에서 OAuth 클라이언트 ID를 입력하세요.",
    ),
    "optionsTitle": ("FinScribe settings", "FinScribe 설정"),
    "optGateway": ("Gateway URL", "게이트웨이 URL"),
    "optAuth": ("Sign-in", "로그인"),
    "optAuthGoogle": ("Google account (ID token)", "Google 계정 (ID 토큰)"),
    "optAuthDev": ("Local dev gateway (AUTH_MODE=dev)", "로컬 개발 게이트웨이 (AUTH_MODE=dev)"),
    "optDevEmail": ("Dev e-mail", "개발용 이메일"),
    "optClientId": ("OAuth client ID", "OAuth 클라이언트 ID"),
    "optRedirect": ("Authorized redirect URI to register:", "등록할 승인된 리디렉션 URI:"),
    "optAdvanced": ("Google endpoints (advanced)", "Google 엔드포인트 (고급)"),
    "optAuthUrl": ("OAuth authorization URL", "OAuth 인증 URL"),
    "optRevokeUrl": ("OAuth revoke URL", "OAuth 해지 URL"),
    "optDocsUrl": ("Docs API base URL", "Docs API 기본 URL"),
    "optPermissionDenied": (
        "Not saved: access to that host was not granted.",
        "저장 안 됨: 해당 호스트 접근이 허용되지 않았습니다.",
    ),
    "save": ("Save", "저장"),
    "optSaveFailed": ("Not saved:", "저장하지 못했습니다:"),
    "saved": ("Saved.", "저장했습니다."),
    "resetDefaults": ("Defaults", "기본값"),
    "status_started": ("started", "시작"),
    "status_done": ("done", "완료"),
    "status_skipped": ("skipped", "건너뜀"),
    "status_failed": ("failed", "실패"),
    "run_running": ("running", "실행 중"),
    "run_completed": ("completed", "완료"),
    "run_failed": ("failed", "실패"),
    "run_cancelled": ("cancelled", "취소됨"),
    "file_indexing": ("indexing", "색인 중"),
    "file_pending": ("pending", "대기"),
    "file_stored": ("stored", "저장됨"),
    "file_indexed": ("indexed", "색인됨"),
    "file_failed": ("failed", "실패"),
    "form_prompt_required": ("Please write a request.", "요청을 입력하세요."),
    "form_file_ids_invalid": ("Choose the PDFs again (the list changed).", "PDF를 다시 고르세요(목록이 바뀌었습니다)."),
    "form_prompt_too_long": (
        "The request is too long (at most 8,000 characters).",
        "요청이 너무 깁니다 (최대 8,000자).",
    ),
    "form_text_required": (
        "Choose a paragraph or paste the text to rewrite.",
        "다시 쓸 문단을 고르거나 글을 붙여 넣으세요.",
    ),
    "form_as_of_invalid": ("The date must be YYYY-MM-DD.", "날짜는 YYYY-MM-DD 형식이어야 합니다."),
    "form_target_chars_invalid": (
        "Target length must be a whole number from 20 to 20,000.",
        "목표 글자 수는 20~20,000 사이 정수여야 합니다.",
    ),
    "form_kind_unknown": ("Unknown kind.", "알 수 없는 작업입니다."),
    "form_company_too_long": (
        "The company name is too long (at most 100 characters).",
        "회사 이름이 너무 깁니다 (최대 100자).",
    ),
    "form_companies_count": (
        "A peer comparison covers two to five companies, separated by commas.",
        "동종사 비교는 쉼표로 나눈 2~5개 회사를 대상으로 합니다.",
    ),
    "form_companies_too_long": (
        "A company name is too long (at most 100 characters).",
        "회사 이름이 너무 깁니다 (최대 100자).",
    ),
    "form_companies_duplicate": ("The same company is named twice.", "같은 회사를 두 번 적었습니다."),
    "form_companies_with_company": (
        "Give one company or several to compare, not both.",
        "한 회사 또는 비교할 여러 회사 중 하나만 적으세요.",
    ),
    "form_sections_with_companies": (
        "A peer comparison uses its own sections; clear the sections.",
        "동종사 비교는 정해진 섹션을 씁니다. 섹션 칸을 비우세요.",
    ),
    "form_sections_too_many": ("At most 12 sections can be given.", "섹션은 12개까지 지정할 수 있습니다."),
    "form_sections_too_long": ("A section title can have at most 200 characters.", "섹션 제목은 200자까지입니다."),
    "form_text_too_long": (
        "The text to rewrite is too long (at most 20,000 characters). Split it into parts.",
        "다시 쓸 글이 너무 깁니다 (최대 20,000자). 나누어 요청하세요.",
    ),
    "demoBadgeTitle": (
        "Demo: written from recorded filings (2024-2026), not live data",
        "데모: 기록된 공시 데이터(2024-2026)로 작성 — 실시간 데이터가 아닙니다",
    ),
    "retry": ("Retry", "다시 시도"),
    "openSettings": ("Open settings", "설정 열기"),
    "details": ("Details", "자세히"),
    "undoInsert": ("Undo insertion", "삽입 되돌리기"),
    "undone": ("The insertion was removed from the document.", "삽입한 내용을 문서에서 지웠습니다."),
    "insertedMark": ("Inserted", "삽입됨"),
    "insertAfter": ("Insert after paragraph", "문단 뒤에 삽입"),
    "insertedAfter": ("Inserted after the chosen paragraph.", "선택한 문단 뒤에 삽입했습니다."),
    "paragraphGone": ("The chosen paragraph changed; choose it again.", "선택한 문단이 바뀌었습니다. 다시 고르세요."),
    "replaceBefore": ("Before", "바꾸기 전"),
    "replaceAfter": ("After", "바꾼 후"),
    "replaceConfirm": ("Replace", "바꾸기"),
    "replaceOnlyParagraph": (
        "Only a paragraph-sized result can replace a paragraph; insert this one instead.",
        "문단 크기의 결과만 문단을 바꿀 수 있습니다. 이 결과는 삽입하세요.",
    ),
    "runCardRunning": ("Running", "실행 중"),
    "reattached": ("Reconnected to the running run.", "진행 중인 실행에 다시 연결했습니다."),
    "finishedWhileClosed": ("This run finished while the panel was closed.", "패널이 닫혀 있는 동안 끝난 실행입니다."),
    "notifyDone": ("Draft ready", "초안 완료"),
    "notifyFailed": ("Run failed", "실행 실패"),
    "notifyWaiting": ("Outline ready: approve it to write", "개요 준비됨: 승인하면 작성합니다"),
    "notifyBody": ("Open FinScribe in the document to see it.", "문서에서 FinScribe를 열어 확인하세요."),
    "elapsed": ("Elapsed", "경과"),
    "dismiss": ("Dismiss", "닫기"),
    "rerun": ("Run again", "다시 실행"),
    "openSource": ("Open the source", "원문 열기"),
    "degraded_dataOnly": (
        "Written from the data alone: the language model was unavailable. Check the wording before use.",
        "언어 모델 없이 데이터만으로 작성했습니다. 쓰기 전에 문장을 확인하세요.",
    ),
    "degraded_sourcesMissing": (
        "Some sources were unavailable; the report leaves their data out.",
        "일부 출처를 쓸 수 없어 그 데이터 없이 작성했습니다.",
    ),
}
P = {  # messages with $1
    "rateLimited": ("Busy; retrying in $1 s…", "요청이 많아 $1초 후 다시 시도합니다…"),
    "deleteFile": ("Delete $1", "$1 삭제"),
    "rerunLabel": ("Run again with the same settings: $1", "같은 설정으로 다시 실행: $1"),
    "fromHistory": (
        "Reopened from History (run of $1); its settings are back in the form.",
        "기록에서 연 실행입니다($1). 설정을 입력란에 되살렸습니다.",
    ),
    "sumAsOf": ("as of $1", "기준일 $1"),
    "companyWhich": (
        "Several listed companies match “$1”. Which one?",
        "‘$1’에 해당하는 상장사가 여럿입니다. 어느 회사인가요?",
    ),
    "outlineData": ("Data: $1", "자료: $1"),
    "outlineExpires": ("Waits for your approval until $1.", "$1까지 승인을 기다립니다."),
    "outlineTooMany": ("At most $1 sections.", "섹션은 $1개까지입니다."),
    "outlineEmptyTitle": ("Section $1 needs a title.", "$1번 섹션에 제목이 필요합니다."),
    "templateNameTooLong": ("A template name has at most $1 characters.", "양식 이름은 $1자까지입니다."),
    "templateSectionTooLong": (
        "Section $1's title or instructions are too long for a template.",
        "$1번 섹션의 제목이나 지시가 양식에 담기에 너무 깁니다.",
    ),
    "templateSaved_done": (
        "Saved the template “$1”; choose it under Template.",
        "‘$1’ 양식을 저장했습니다. 보고서 양식에서 고를 수 있습니다.",
    ),
    "templateDeleteNamed": ("Delete the template $1", "$1 양식 삭제"),
    "templateDeleted": ("Deleted the template “$1”.", "‘$1’ 양식을 삭제했습니다."),
    "templateDeleteConfirm": ("Delete the template “$1”?", "‘$1’ 양식을 삭제할까요?"),
    "foundData": ("Data found: $1 — show", "찾은 데이터 $1건 — 보기"),
    "citePage": ("page $1", "$1쪽"),
    "sumSources": ("$1 sources", "출처 $1건"),
    "sumDuration": ("$1 s", "$1초"),
    "sumLlm": ("$1 LLM calls", "LLM 호출 $1회"),
    "deleteConfirm": ("Delete $1 and its index?", "$1 파일과 색인을 삭제할까요?"),
    "openRunLabel": ("Open run: $1", "실행 열기: $1"),
    "pages": ("$1 pages", "$1쪽"),
    "rows": ("$1 rows", "$1행"),
    "uploading": ("Uploading $1…", "$1 업로드 중…"),
    "uploaded": ("Uploaded $1.", "$1 업로드 완료."),
    "uploadWrongType": ("$1: only PDF and CSV files can be uploaded.", "$1: PDF와 CSV 파일만 올릴 수 있습니다."),
}
# Error and warning sentences: what happened and what to do (src/lib/error-codes.js maps codes here;
# tests/error-codes.test.mjs enumerates the codes the gateway and orchestrator can emit).
E = {
    "bad_request": (
        "The request was refused as malformed. Check the form and try again.",
        "요청 형식이 잘못되어 거절되었습니다. 입력을 확인하고 다시 시도하세요.",
    ),
    "unauthenticated": ("You are not signed in. Sign in again.", "로그인되어 있지 않습니다. 다시 로그인하세요."),
    "invalid_token": (
        "Your sign-in was not accepted. Sign in again.",
        "로그인 정보가 받아들여지지 않았습니다. 다시 로그인하세요.",
    ),
    "token_expired": ("Your sign-in expired. Sign in again.", "로그인이 만료되었습니다. 다시 로그인하세요."),
    "email_not_verified": (
        "Your Google account's e-mail is not verified. Verify it with Google, then sign in again.",
        "Google 계정 이메일이 인증되지 않았습니다. Google에서 인증한 뒤 다시 로그인하세요.",
    ),
    "forbidden": (
        "This belongs to another account. Sign in with the account that created it.",
        "다른 계정의 항목입니다. 만든 계정으로 로그인하세요.",
    ),
    "not_found": (
        "It no longer exists (deleted, or another account's). Refresh the list.",
        "더 이상 없습니다(삭제되었거나 다른 계정의 항목). 목록을 새로 고치세요.",
    ),
    "conflict": (
        "It changed in the meantime. Refresh and try again.",
        "그사이에 바뀌었습니다. 새로 고친 뒤 다시 시도하세요.",
    ),
    "run_finished": (
        "The run had already finished; nothing was cancelled. Its result is in History.",
        "실행이 이미 끝나 취소할 것이 없습니다. 결과는 기록에 있습니다.",
    ),
    "too_large": (
        "The file or request is too large. Use a smaller file (20 MB at most by default).",
        "파일이나 요청이 너무 큽니다. 더 작은 파일을 쓰세요(기본 최대 20MB).",
    ),
    "too_many_files": (
        "This document already has the most files allowed. Delete one in Files first.",
        "이 문서의 파일 수가 한도에 이르렀습니다. 파일 탭에서 하나를 먼저 지우세요.",
    ),
    "invalid_file": (
        "The file could not be read as a PDF or CSV. Check the file and upload it again.",
        "파일을 PDF나 CSV로 읽을 수 없습니다. 파일을 확인하고 다시 올리세요.",
    ),
    "unsupported_media_type": ("Only PDF and CSV files can be uploaded.", "PDF와 CSV 파일만 올릴 수 있습니다."),
    "validation_error": (
        "Some input is outside what FinScribe accepts. Check the highlighted field and try again.",
        "입력 중 허용 범위를 벗어난 값이 있습니다. 입력을 확인하고 다시 시도하세요.",
    ),
    "prompt_too_long": (
        "The request is longer than this server allows. Shorten it and try again.",
        "요청이 서버 허용 길이보다 깁니다. 줄여서 다시 시도하세요.",
    ),
    "rate_limited": (
        "Too many requests right now. Wait a moment, then retry.",
        "지금 요청이 너무 많습니다. 잠시 뒤 다시 시도하세요.",
    ),
    "quota_exceeded": (
        "A data source's usage limit was reached. Retry in a few minutes.",
        "데이터 출처의 사용 한도에 도달했습니다. 몇 분 뒤 다시 시도하세요.",
    ),
    "too_many_concurrent_runs": (
        "Another run of yours is still going. Wait for it (or cancel it), then retry.",
        "다른 실행이 아직 진행 중입니다. 끝나기를 기다리거나 취소한 뒤 다시 시도하세요.",
    ),
    "upstream_error": (
        "A data source answered with an error. Retry; if it persists, try a different date or company.",
        "데이터 출처가 오류로 응답했습니다. 다시 시도하고, 계속되면 날짜나 회사를 바꿔 보세요.",
    ),
    "not_configured": (
        "A server component is not configured (for example the LLM or the DART key). Ask the administrator.",
        "서버 구성 요소가 설정되지 않았습니다(예: LLM, DART 키). 관리자에게 문의하세요.",
    ),
    "unavailable": (
        "A FinScribe service is unavailable. Retry in a minute.",
        "FinScribe 서비스를 사용할 수 없습니다. 잠시 뒤 다시 시도하세요.",
    ),
    "upstream_timeout": (
        "A data source did not answer in time. Retry.",
        "데이터 출처가 제때 응답하지 않았습니다. 다시 시도하세요.",
    ),
    "cancelled": (
        "The run was cancelled. Nothing was written into the document.",
        "실행을 취소했습니다. 문서에는 아무것도 쓰지 않았습니다.",
    ),
    "run_failed": (
        "The run failed. Retry; if it fails again, quote the request id.",
        "실행에 실패했습니다. 다시 시도하고, 또 실패하면 요청 ID를 알려 주세요.",
    ),
    "run_expired": (
        "The run's progress is no longer kept and it has no result. Run it again.",
        "실행 진행 기록이 남아 있지 않고 결과도 없습니다. 다시 실행하세요.",
    ),
    "run_timeout": ("The writer stopped answering. Retry.", "작성 서버가 응답을 멈췄습니다. 다시 시도하세요."),
    "internal_error": (
        "FinScribe failed unexpectedly. Retry; if it fails again, quote the request id.",
        "FinScribe 내부 오류입니다. 다시 시도하고, 또 실패하면 요청 ID를 알려 주세요.",
    ),
    "gateway_restarted": (
        "The server restarted during the run. Run it again.",
        "실행 중 서버가 다시 시작되었습니다. 다시 실행하세요.",
    ),
    "gateway_shutdown": (
        "The server shut down during the run. Run it again in a minute.",
        "실행 중 서버가 종료되었습니다. 잠시 뒤 다시 실행하세요.",
    ),
    "orchestrator_error": (
        "The writer refused the run. Retry; if it fails again, quote the request id.",
        "작성 서버가 실행을 거절했습니다. 다시 시도하고, 또 실패하면 요청 ID를 알려 주세요.",
    ),
    "orchestrator_unavailable": (
        "The writer service cannot be reached. Retry in a minute.",
        "작성 서버에 연결할 수 없습니다. 잠시 뒤 다시 시도하세요.",
    ),
    "orchestrator_disconnected": (
        "The writer stopped before finishing. Retry.",
        "작성 서버가 끝내기 전에 멈췄습니다. 다시 시도하세요.",
    ),
    "orchestrator_protocol": (
        "The writer sent something unreadable. Retry; if it fails again, quote the request id.",
        "작성 서버가 읽을 수 없는 응답을 보냈습니다. 다시 시도하고, 또 실패하면 요청 ID를 알려 주세요.",
    ),
    "llm_unavailable": (
        "The language model is unavailable, so this could not be written. Retry later.",
        "언어 모델을 사용할 수 없어 작성하지 못했습니다. 나중에 다시 시도하세요.",
    ),
    "llm_error": (
        "The language model answered with an error. Retry.",
        "언어 모델이 오류로 응답했습니다. 다시 시도하세요.",
    ),
    "bad_csv": (
        "The CSV has no numeric column to chart. Check the file (a date column and numbers).",
        "CSV에 차트로 그릴 숫자 열이 없습니다. 파일을 확인하세요(날짜 열과 숫자).",
    ),
    "no_data": (
        "No data was found for the chart. Check the company and the date (기준일), then retry.",
        "차트로 그릴 데이터를 찾지 못했습니다. 회사와 기준일을 확인한 뒤 다시 시도하세요.",
    ),
    "body_timeout": (
        "The upload stalled and timed out. Check the connection and upload again.",
        "업로드가 멈춰 시간이 초과되었습니다. 연결을 확인하고 다시 올리세요.",
    ),
    "date_out_of_range": (
        "The date is outside the range the data covers. Choose another 기준일.",
        "날짜가 데이터가 다루는 범위를 벗어났습니다. 다른 기준일을 고르세요.",
    ),
    "pdf_encrypted": (
        "The PDF is encrypted or password-protected. Upload an unprotected copy.",
        "PDF가 암호화되었거나 비밀번호로 보호되어 있습니다. 보호되지 않은 사본을 올리세요.",
    ),
    "citation_corrected": (
        "A number's citation pointed to the wrong source and was corrected.",
        "수치의 출처 번호가 잘못되어 바로잡았습니다.",
    ),
    "csv_unparsed_cells": (
        "Some CSV cells could not be read as numbers and were left out of the chart.",
        "CSV의 일부 칸을 숫자로 읽지 못해 차트에서 뺐습니다.",
    ),
    "no_sources": (
        "Nothing in your files or the data supports an answer. Upload a source or name the company.",
        "파일이나 데이터에서 근거를 찾지 못했습니다. 자료를 올리거나 회사를 지정하세요.",
    ),
    "file_unavailable": (
        "The uploaded file could not be read. Retry, or upload it again.",
        "올린 파일을 읽지 못했습니다. 다시 시도하거나 파일을 다시 올리세요.",
    ),
    "chart_dropped": ("A chart could not be stored and was left out.", "차트 하나를 저장하지 못해 뺐습니다."),
    "ambiguous_company": (
        "Several companies match that name. Write the exact name or the 6-digit code.",
        "여러 회사가 그 이름에 해당합니다. 정확한 회사명이나 6자리 종목코드를 쓰세요.",
    ),
    "company_not_found": (
        "The company was not found. Write its exact name or 6-digit code.",
        "회사를 찾지 못했습니다. 정확한 회사명이나 6자리 종목코드를 쓰세요.",
    ),
    "not_in_demo": (
        "The demo holds no recorded data for that company. Pick one the demo lists, or use live data (make run).",
        "데모에는 그 회사의 기록된 데이터가 없습니다. 데모가 안내하는 회사를 고르거나 실제 데이터(make run)를 쓰세요.",
    ),
    "not_recorded_in_demo": (
        "The demo has no recording of some data; the report leaves it out.",
        "데모에 기록되지 않은 데이터는 빼고 작성했습니다.",
    ),
    "outline_fallback": (
        "The outline could not be generated; the default outline was used.",
        "목차를 만들지 못해 기본 목차를 썼습니다.",
    ),
    "chart_spec_fallback": (
        "The chart could not be planned; a default chart was drawn.",
        "차트 설계에 실패해 기본 차트를 그렸습니다.",
    ),
    "section_fallback": (
        "A section was written from the data alone (the language model failed).",
        "언어 모델이 실패해 한 섹션을 데이터 문장으로만 썼습니다.",
    ),
    "source_unavailable": (
        "A data source was unavailable; the report leaves its data out.",
        "데이터 출처 하나를 쓸 수 없어 그 데이터 없이 작성했습니다.",
    ),
    "unverified_number": (
        "A number could not be checked against the data. Verify it before use.",
        "수치 하나를 데이터로 확인하지 못했습니다. 쓰기 전에 확인하세요.",
    ),
    "unsupported_claim": (
        "A statement has no supporting source. Verify it before use.",
        "근거가 확인되지 않은 주장이 있습니다. 쓰기 전에 확인하세요.",
    ),
    "unknown_citation": (
        "A citation to a source that does not exist was removed.",
        "없는 출처를 가리키는 인용을 지웠습니다.",
    ),
    "number_dropped": (
        "A number from the original text is missing in the rewrite. Check it.",
        "원문의 수치가 다시 쓴 글에 없습니다. 확인하세요.",
    ),
    "network": (
        "The FinScribe server cannot be reached. Check that it is running and the gateway URL in Settings, then retry.",
        "FinScribe 서버에 연결할 수 없습니다. 서버가 실행 중인지와 설정의 게이트웨이 URL을 확인한 뒤 다시 시도하세요.",
    ),
    "sign_in_required": ("Please sign in again.", "다시 로그인하세요."),
    "client_not_configured": (
        "Set the OAuth client ID in the settings first.",
        "먼저 설정에서 OAuth 클라이언트 ID를 입력하세요.",
    ),
    "revision_conflict": (
        "Someone edited the document in the meantime. Review the paragraph and confirm.",
        "그사이 누군가 문서를 고쳤습니다. 문단을 확인한 뒤 진행하세요.",
    ),
    "undo_conflict": (
        "The document changed after the insertion, so it was not undone (it could cut an edit). Remove it by hand.",
        "삽입 뒤에 문서가 바뀌어 되돌리지 않았습니다(다른 사람의 수정을 지울 수 있음). 직접 지우세요.",
    ),
    "PERMISSION_DENIED": (
        "Google refused: your account cannot edit this document. Ask for edit access.",
        "Google이 거절했습니다: 이 계정은 이 문서를 편집할 수 없습니다. 편집 권한을 요청하세요.",
    ),
    "NOT_FOUND": (
        "Google cannot find this document. Reload the Docs tab.",
        "Google에서 이 문서를 찾을 수 없습니다. 문서 탭을 새로 고치세요.",
    ),
    "INVALID_ARGUMENT": (
        "Google refused the edit. Re-read the document and try again.",
        "Google이 편집을 거절했습니다. 문서를 다시 읽고 다시 시도하세요.",
    ),
    "RESOURCE_EXHAUSTED": (
        "Google's Docs quota is exhausted for now. Retry in a minute.",
        "Google 문서 사용 한도를 넘었습니다. 잠시 뒤 다시 시도하세요.",
    ),
    "UNAVAILABLE": (
        "Google Docs is unavailable. Retry in a minute.",
        "Google 문서를 지금 사용할 수 없습니다. 잠시 뒤 다시 시도하세요.",
    ),
    "run_resumed": (
        "The writer restarted; the run continued from its last saved step.",
        "작성 서버가 다시 시작되어 마지막으로 저장된 단계부터 이어서 작성했습니다.",
    ),
    "review_expired": (
        "The outline waited too long for approval and expired. Start the draft again.",
        "개요 승인 대기 시간이 지나 만료되었습니다. 초안을 다시 시작하세요.",
    ),
    "not_resumable": (
        "This run cannot be continued from where it stopped. Start it again.",
        "이 실행은 멈춘 곳부터 이어 갈 수 없습니다. 다시 시작하세요.",
    ),
    "run_not_waiting": (
        "This run is not waiting for an outline approval (it already went on or ended). See History.",
        "이 실행은 개요 승인을 기다리고 있지 않습니다(이미 진행되었거나 끝났습니다). 기록을 확인하세요.",
    ),
    "template_needs_companies": (
        "The peer comparison template needs two to five companies: list them under Compare companies.",
        "동종사 비교 양식은 2~5개 회사가 필요합니다. '비교할 회사'에 적으세요.",
    ),
    "template_one_company": (
        "This template is about one company. Use the Company field, or the peer comparison for several.",
        "이 양식은 한 회사용입니다. '회사' 칸을 쓰거나, 여러 회사는 동종사 비교를 고르세요.",
    ),
    "duplicate_company": (
        "Two of the names are the same company. Name each company once.",
        "적은 이름 중 둘이 같은 회사입니다. 회사마다 한 번씩 적으세요.",
    ),
    "peer_chart_partial": (
        "A comparison chart leaves out a company that has no such figures.",
        "비교 차트 하나에서 해당 수치가 없는 회사를 뺐습니다.",
    ),
    "template_not_found": (
        "That template no longer exists. Choose another one.",
        "해당 양식이 더 이상 없습니다. 다른 양식을 고르세요.",
    ),
    "too_many_templates": (
        "You have saved as many templates as allowed. Delete one first.",
        "저장할 수 있는 양식 수를 넘었습니다. 먼저 하나를 지우세요.",
    ),
    "template_exists": (
        "A template with that name already exists. Choose another name.",
        "같은 이름의 양식이 이미 있습니다. 다른 이름을 쓰세요.",
    ),
    "builtin_template": (
        "Built-in templates cannot be changed or deleted. Save a copy under another name.",
        "기본 양식은 바꾸거나 지울 수 없습니다. 다른 이름으로 사본을 저장하세요.",
    ),
    "file_not_found": (
        "A file chosen for this run is gone. Reload the files and choose again.",
        "이 실행에 고른 파일이 없습니다. 파일 목록을 새로 고친 뒤 다시 고르세요.",
    ),
    "server_error": (
        "The server failed. Retry; if it fails again, quote the request id.",
        "서버 오류입니다. 다시 시도하고, 또 실패하면 요청 ID를 알려 주세요.",
    ),
    "request_error": (
        "The request was refused. Check the input and try again.",
        "요청이 거절되었습니다. 입력을 확인하고 다시 시도하세요.",
    ),
}
M.update({f"err_{k}": v for k, v in E.items()})

# The orchestrator's step details and warnings (`srv_<code>`, `{name}` placeholders filled by
# src/lib/server-messages.js) and its data-service labels (`srv_svc_<service>`): taken from its
# source, so the panel says them in its own language whatever the run's language is. `$` is
# chrome.i18n's placeholder sign, written `$$` for itself.
M.update(
    {
        f"srv_{key}": (en.replace("$", "$$"), MESSAGES["ko"][key].replace("$", "$$"))
        for key, en in MESSAGES["en"].items()
    }
)
M.update({f"srv_svc_{k}": (v, SERVICE_LABELS["ko"][k]) for k, v in SERVICE_LABELS["en"].items()})

for lang, i in (("en", 0), ("ko", 1)):
    out = {k: {"message": v[i]} for k, v in M.items()}
    for k, v in P.items():
        out[k] = {"message": v[i].replace("$1", "$ARG$"), "placeholders": {"arg": {"content": "$1"}}}
    with (ROOT / "_locales" / lang / "messages.json").open("w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
        f.write("\n")
print(len(M) + len(P), "messages")
