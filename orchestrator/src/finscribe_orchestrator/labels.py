"""The words the orchestrator itself puts into a document, in the run's language (`ko` or `en`).

Headings, table headers, the intro line, source lines, chart placeholders, dataset titles
(citation titles), the data summaries' figure names, lines and templated sentences, chart
titles, axis units and legends. What the LLM writes follows the prompt's language; a DART
filing title (`report_nm`) and a company's name stay as filed. Messages the panel shows
(warnings, step details) are in `messages.py`. Anything but `en` is Korean.
"""

import re
from typing import Final

from finscribe_common.numbers.format import change_word as change_word_ko
from finscribe_common.numbers.format import growth_word as growth_word_ko
from finscribe_common.numbers.format import times, times_en, won, won_en

LABELS: Final[dict[str, dict[str, str]]] = {
    "ko": {
        # document scaffolding
        "key_figures": "주요 지표",
        "item": "항목",
        "value": "값",
        "source": "출처",
        "charts": "차트",
        "sources": "출처",
        "intro": "대상: {company} · 기준일 {as_of}",
        "as_of": "기준일 {as_of}",
        "chart": "차트 {n}",
        "chart_data": "{title} 데이터",
        "report": "{company} 기업 분석 보고서",
        "report_untitled": "기업 분석 보고서",
        "untitled": "보고서",
        "paragraph": "문단",
        "answer": "답변",
        "no_section_data": "이 섹션에 해당하는 데이터를 가져오지 못했습니다.",
        "pdf_page": "{name} {page}쪽",
        # dataset titles (citation titles)
        "ds_price": "{company} 일별 주가",
        "ds_price_yahoo": "{company} 일별 수정주가 (Yahoo Finance)",
        "ds_index_kospi": "코스피 지수",
        "ds_index_kosdaq": "코스닥 지수",
        "ds_index_yahoo": "{index} (Yahoo Finance)",
        "ds_market_cap": "{company} 시가총액",
        "ds_fundamentals": "{company} 투자지표",
        "ds_filings": "{company} 최근 공시 목록",
        "ds_fx": "원/달러 환율",
        "ds_fx_pair": "환율 {pair}",
        "ds_profile": "{company} 기업개황",
        "ds_metrics": "{company} {period} 주요 재무지표",
        "ds_quarters": "{company} 분기 실적 비교 ({period}, DART 정기보고서에서 계산)",
        "q_name": "{year}년 {q}분기",
        "quarters_table": "분기 실적",
        "qoq_col": "직전 분기 대비",
        "yoy_col": "전년 동기 대비",
        "q_missing_cell": "–",
        "versus_prior_q": "직전 분기 대비",
        "q_reported": "{period}: {report}의 분기 단독 수치",
        "q_difference": "{period}: {longer} − {shorter} (누적 차이로 계산)",
        "q_cum": "{year}년 1~{months}월 누적",
        "l_q_line": "{name}: {latest_period} {latest}",
        "l_q_vs": ", {period} {value}({versus} {change})",
        "l_q_margin": "{name}: {latest_period} {latest}",
        "l_q_margin_vs": ", {period} {value}({versus} {change})",
        "l_q_missing": "{which}({period}) 수치는 가져온 보고서로 계산할 수 없습니다: {report}가 없습니다",
        "q_which_prior": "직전 분기",
        "q_which_year_ago": "전년 동기",
        "s_q_line": "{period} {name}은 {value}로 {parts}입니다 [{n}].",
        "s_q_flat": "{period} {name}은 {value}입니다 [{n}].",
        "s_q_change": "{versus} {change} {word}",
        "s_q_missing": "{which}({period}) 실적은 가져온 보고서에 없어 비교하지 않았습니다 [{n}].",
        "ds_financials": "{company} {period} 재무제표",
        "ds_csv": "업로드 CSV",
        "what_metrics": "재무지표",
        "what_periodic": "정기보고서 목록",
        "what_statements": "재무제표",
        # report kinds and periods
        "report_annual": "{year}년 사업보고서(연간)",
        "report_h1": "{year}년 반기보고서",
        "report_q1": "{year}년 1분기보고서",
        "report_q3": "{year}년 3분기보고서",
        "period_annual": "{year}년 연간",
        "period_h1": "{year}년 상반기",
        "period_q1": "{year}년 1분기",
        "period_q3": "{year}년 3분기 누적",
        "fy": "{year}년",
        "fy_end": "{year}년말",
        "cumulative": "{year}년 1~{months}월 누적",
        "quarter": "{year}년 {q}분기({start}~{end}월)",
        "current_period": "당기",
        "prior_period": "전기",
        "report_note": "{as_of}까지 제출된 최신 정기보고서: {report} "
        "({filed} 제출, 접수번호 {rcept_no}, DART 공시 목록 기준)",
        "report_note_fallback": "공시 목록을 확인하지 못해 {as_of} 기준 법정 제출기한에 따라 보고서를 선택했습니다.",
        # figure names
        "revenue": "매출액",
        "operating_income": "영업이익",
        "net_income": "당기순이익",
        "total_assets": "자산총계",
        "total_liabilities": "부채총계",
        "total_equity": "자본총계",
        "net_interest_income": "순이자이익",
        "net_fee_income": "순수수료이익",
        "insurance_result": "보험손익",
        "operating_revenue": "영업수익",
        "interest_income": "이자수익",
        "interest_expense": "이자비용",
        "deposits": "예수부채",
        "insurance_liabilities": "보험계약부채",
        "operating_margin": "영업이익률",
        "debt_ratio": "부채비율",
        "roe": "ROE",
        "close": "종가",
        "volume": "거래량",
        "index_level": "지수",
        "market_cap": "시가총액",
        "dividend_yield": "배당수익률",
        "dps": "주당배당금",
        "period_change": "기간 변동률",
        "close_on": "종가 ({date})",
        "figure_in": "{name} ({period})",
        # units: chart axes and legends (the spec's unit codes are Korean: 조원, 억원, ...)
        "unit_원": "원",
        "unit_조원": "조원",
        "unit_억원": "억원",
        "unit_%": "%",
        "unit_배": "배",
        "unit_포인트": "포인트",
        "unit_주": "주",
        "unit_달러": "달러",
        # default chart titles
        "chart_price_index": "{company} 주가와 {index}",
        "chart_price": "{company} 주가",
        "chart_pair": "{company} {first}과 {second}",
        "chart_one": "{company} {first}",
        "series_close": "{company} 종가",
        "series_of": "{company} {what}",
        "uploaded_data": "업로드 데이터",
        "date": "날짜",
        "category": "구분",
        # data summaries: what the LLM sees (lines) and the data-only writer's sentences
        "no_prices": "주가 데이터 없음",
        "no_index": "지수 데이터 없음",
        "this_stock": "해당 종목",
        "l_span": "기간 {first} ~ {last}, 거래일 {days}일",
        "l_close": "최근 종가({date}): {close}",
        "l_first_close": "기간 시작 종가({date}): {close}, 기간 변동률 {change}",
        "l_high_low": "기간 최고 종가 {high}({high_date}), 최저 종가 {low}({low_date})",
        "l_from_high_low": "최고가 대비 {from_high}, 최저가 대비 {from_low}",
        "l_volume": "최근 {days}거래일 평균 거래량 {volume}주",
        "s_price": "{name}의 {last_date} 종가는 {last}으로, "
        "{first_date} 종가 {first} 대비 {change} {word}했습니다 [{n}].",
        "s_high_low": "같은 기간 종가 기준 최고가는 {high}({high_date}), 최저가는 {low}({low_date})입니다 [{n}].",
        "krw_price": "{value}원",
        "l_index_span": "기간 {first} ~ {last}",
        "l_index": "최근 지수({date}): {level}포인트, 기간 변동률 {change}",
        "s_index": "같은 기간 {title}는 {first}포인트에서 {last}포인트로 {change} {word}했습니다 [{n}].",
        "l_gap": "주가 변동률과 지수 변동률의 차이: {gap}포인트",
        "s_gap_up": "주가 수익률은 지수 대비 {gap}%포인트 웃돌았습니다 [{p}][{n}].",
        "s_gap_down": "주가 수익률은 지수 대비 {gap}%포인트 밑돌았습니다 [{p}][{n}].",
        "l_market_cap": "시가총액({date}): {cap} ({raw}원)",
        "s_market_cap": "{date} 기준 시가총액은 {cap}입니다 [{n}].",
        "l_shares": "상장주식수: {shares}주",
        "l_valuation": "{date} 기준 {parts}",
        "s_valuation": "{date} 기준 밸류에이션 지표는 {parts}입니다 [{n}].",
        "l_sector": "업종 구분: {name} (DART 업종코드 {code})",
        "l_financial": "금융업은 매출액을 보고하지 않으므로 매출액과 영업이익률은 쓰지 않습니다",
        "l_fs": "재무제표 구분: {fs}({div})",
        "fs_CFS": "연결",
        "fs_OFS": "별도",
        "l_flow_scope": "손익 항목은 {period}, 비교 기간은 전년 동기(재무상태표는 전기말)",
        "months_cumulative": "{months}개월 누적",
        "l_note": "참고: {note}",
        "l_metric": "{name}: {value} ({raw}원)",
        "l_metric_prior": ", 비교 기간 {value}",
        "l_metric_change": ", 변동률 {change}",
        "versus_year": "전년 대비",
        "versus_same": "전년 동기 대비",
        "s_metric_change": "{name} {value}({versus} {change} {word})",
        "s_metric": "{name} {value}",
        "l_ratio": "{name}: {value}",
        "s_metrics": "{title} 기준 {parts}입니다 [{n}].",
        "l_history": "{period}: {parts}",
        "s_quarter": "{period} 분기 단독으로는 {parts}입니다 [{n}].",
        "q_yoy": "(전년 동기 대비 {change})",
        "s_trend": "연간 {name}은 {trail}입니다 [{n}].",
        "trail_year": "{year}년 {value}",
        "p_ceo": "대표이사 {value}",
        "p_industry": "업종 {industry}(업종코드 {code})",
        "p_industry_unknown": "업종명 미상",
        "p_market": "상장시장 {value}",
        "p_fiscal": "결산월 {value}월",
        "p_est": "설립일 {value}",
        "p_home": "홈페이지 {value}",
        "l_profile": "{name}: {facts}",
        "l_address": "주소: {value}",
        "l_no_listing": "상장일은 DART 기업개황에 없습니다",
        "s_profile": "{name}의 기업개황은 {facts}입니다 [{n}].",
        "market_KOSPI": "유가증권시장(KOSPI)",
        "market_KOSDAQ": "코스닥",
        "market_KONEX": "코넥스",
        "l_statement": "{statement} {account}: 당기 {current}",
        "l_statement_prior": ", 전기 {prior}",
        "l_fs_used": "재무제표 구분: {fs}",
        "fs_consolidated": "연결",
        "fs_separate": "별도",
        "l_filing": "{date} {name} (접수번호 {rcept_no})",
        "s_filings": "최근 주요 공시로는 {names} 등이 있습니다 [{n}].",
        "l_fx": "원/달러 환율({date}): {rate}원",
        "s_fx": "원/달러 환율은 {rate}원입니다 [{n}].",
        "l_quote": "시세({date}): {price} {currency}",
        # peer comparison (nodes/peers.py, charts/peers.py)
        "peer_heading": "비교 지표",
        "peer_report": "기준 보고서",
        "peer_fs_div": "재무제표",
        "peer_fs_CFS": "연결",
        "peer_fs_OFS": "별도",
        "peer_none": "—",
        "peer_same_period": "모든 회사 같은 기간: {report} (각 사의 DART 공시 목록 기준)",
        "peer_period_differs": "공통으로 제출된 정기보고서가 없어 회사마다 최신 보고서를 썼습니다: {list}.",
        "peer_fs_differs": "재무제표 기준이 다릅니다: {list}.",
        "peer_financial": "{names}은(는) 금융회사로 매출액과 영업이익률을 보고하지 않아 해당 칸이 비어 있고, "
        "순이자이익 등 업종 지표와 당기순이익으로 비교합니다.",
        "peer_revenue_chart": "매출액과 영업이익 비교",
        "peer_margin_chart": "영업이익률 비교",
        "peer_net_chart": "당기순이익 비교",
        "peer_price_chart": "주가 성과 비교 (공통 시작일 = 100)",
        # the data-only writer's comparing sentences (data/peer_compare.py); {x_topic}/{x_subject}
        # carry their particle (은/는, 이/가: labels.particle)
        "cmp_amount": "{name_topic} {listed} 순이며, {top_subject} {bottom}의 {ratio}로 {gap} 많습니다.",
        "cmp_amount_gap": "{name_topic} {listed} 순이며, {top_subject} {bottom}보다 {gap} 많습니다.",
        "cmp_rate": "{name_topic} {listed}로, {top_subject} {bottom}보다 {gap} 높습니다.",
        "cmp_growth_name": "{versus} {name} 증감률",
        "cmp_left_out": "{names_topic} {name_object} 보고하지 않아 이 비교에서 빠졌습니다.",
        "cmp_basis": "비교한 수치는 모두 {report} {fs} 기준입니다.",
        "cmp_basis_report": "비교한 수치는 모두 {report} 기준입니다.",
        # demo mode's gaps (nodes/demo_gaps.py)
        "demo_price_title": "주가 동향",
        "demo_price_purpose": "기간 주가 흐름과 지수 대비 성과",
        "demo_no_prices": "데모에는 {company}의 주가 데이터가 없습니다. 데모가 재생하는 기록에 이 회사의 주가가 "
        "없어 이 섹션에는 주가 수치를 싣지 않았습니다. 어떤 회사의 어떤 데이터가 기록되어 있는지는 "
        "`make demo`의 안내 화면에 있습니다.",
        "list_sep": ", ",
    },
    "en": {
        "key_figures": "Key figures",
        "item": "Item",
        "value": "Value",
        "source": "Source",
        "charts": "Charts",
        "sources": "Sources",
        "intro": "Company: {company} · as of {as_of}",
        "as_of": "as of {as_of}",
        "chart": "Chart {n}",
        "chart_data": "{title}: data",
        "report": "{company} company analysis",
        "report_untitled": "Company analysis",
        "untitled": "Report",
        "paragraph": "Paragraph",
        "answer": "Answer",
        "no_section_data": "No data for this section could be fetched.",
        "pdf_page": "{name} p. {page}",
        "ds_price": "{company} daily share price",
        "ds_price_yahoo": "{company} daily adjusted price (Yahoo Finance)",
        "ds_index_kospi": "KOSPI index",
        "ds_index_kosdaq": "KOSDAQ index",
        "ds_index_yahoo": "{index} (Yahoo Finance)",
        "ds_market_cap": "{company} market capitalisation",
        "ds_fundamentals": "{company} valuation metrics",
        "ds_filings": "{company} recent filings",
        "ds_fx": "KRW/USD exchange rate",
        "ds_fx_pair": "Exchange rate {pair}",
        "ds_profile": "{company} company profile",
        "ds_metrics": "{company} {period}: key financials",
        "ds_quarters": "{company} quarterly results compared ({period}, computed from DART periodic reports)",
        "q_name": "Q{q} {year}",
        "quarters_table": "Quarterly results",
        "qoq_col": "QoQ",
        "yoy_col": "YoY",
        "q_missing_cell": "–",
        "versus_prior_q": "quarter on quarter",
        "q_reported": "{period}: the quarter alone as reported in the {report}",
        "q_difference": "{period}: {longer} minus {shorter} (difference of cumulative figures)",
        "q_cum": "{year} months 1-{months} cumulative",
        "l_q_line": "{name}: {latest_period} {latest}",
        "l_q_vs": ", {period} {value} ({change} {versus})",
        "l_q_margin": "{name}: {latest_period} {latest}",
        "l_q_margin_vs": ", {period} {value} ({change} {versus})",
        "l_q_missing": "{which} ({period}) cannot be computed from the reports fetched: no {report}",
        "q_which_prior": "The prior quarter",
        "q_which_year_ago": "The same quarter a year earlier",
        "s_q_line": "{name} for {period} was {value}, {parts} [{n}].",
        "s_q_flat": "{name} for {period} was {value} [{n}].",
        "s_q_change": "{word} {change} {versus}",
        "s_q_missing": "{which} ({period}) is not in the reports fetched, so it is not compared [{n}].",
        "ds_financials": "{company} {period}: financial statements",
        "ds_csv": "Uploaded CSV",
        "what_metrics": "key financials",
        "what_periodic": "periodic reports list",
        "what_statements": "financial statements",
        "report_annual": "FY{year} annual report",
        "report_h1": "{year} half-year report",
        "report_q1": "{year} Q1 report",
        "report_q3": "{year} Q3 report",
        "period_annual": "FY{year}",
        "period_h1": "{year} H1",
        "period_q1": "{year} Q1",
        "period_q3": "{year} 9M cumulative",
        "fy": "FY{year}",
        "fy_end": "end of FY{year}",
        "cumulative": "{year} months 1-{months} cumulative",
        "quarter": "Q{q} {year} (months {start}-{end})",
        "current_period": "Current period",
        "prior_period": "Prior period",
        "report_note": "Latest periodic report filed by {as_of}: {report} (filed {filed}, receipt no. {rcept_no}, "
        "per the DART filings list)",
        "report_note_fallback": "The filings list could not be read; reports were chosen by the statutory filing "
        "deadlines as of {as_of}.",
        "revenue": "Revenue",
        "operating_income": "Operating income",
        "net_income": "Net income",
        "total_assets": "Total assets",
        "total_liabilities": "Total liabilities",
        "total_equity": "Total equity",
        "net_interest_income": "Net interest income",
        "net_fee_income": "Net fee income",
        "insurance_result": "Insurance result",
        "operating_revenue": "Operating revenue",
        "interest_income": "Interest income",
        "interest_expense": "Interest expense",
        "deposits": "Deposits",
        "insurance_liabilities": "Insurance liabilities",
        "operating_margin": "Operating margin",
        "debt_ratio": "Debt ratio",
        "roe": "ROE",
        "close": "Close",
        "volume": "Volume",
        "index_level": "Index",
        "market_cap": "Market cap",
        "dividend_yield": "Dividend yield",
        "dps": "Dividend per share",
        "period_change": "Change over the period",
        "close_on": "Close ({date})",
        "figure_in": "{name} ({period})",
        "unit_원": "KRW",
        "unit_조원": "KRW trillion",
        "unit_억원": "KRW 100 million",
        "unit_%": "%",
        "unit_배": "x",
        "unit_포인트": "pt",
        "unit_주": "shares",
        "unit_달러": "USD",
        "chart_price_index": "{company} share price and {index}",
        "chart_price": "{company} share price",
        "chart_pair": "{company} {first} and {second}",
        "chart_one": "{company} {first}",
        "series_close": "{company} close",
        "series_of": "{company} {what}",
        "uploaded_data": "Uploaded data",
        "date": "Date",
        "category": "Category",
        "no_prices": "No price data",
        "no_index": "No index data",
        "this_stock": "The stock",
        "l_span": "Period {first} to {last}, {days} trading days",
        "l_close": "Latest close ({date}): {close}",
        "l_first_close": "Close at the start of the period ({date}): {close}, change over the period {change}",
        "l_high_low": "Highest close {high} ({high_date}), lowest close {low} ({low_date})",
        "l_from_high_low": "{from_high} from the high, {from_low} from the low",
        "l_volume": "Average volume over the last {days} trading days: {volume} shares",
        "s_price": "{name} closed at {last} on {last_date}; against {first} on {first_date} the price {word} "
        "{change} [{n}].",
        "s_high_low": "Over the same period the highest close was {high} ({high_date}) and the lowest {low} "
        "({low_date}) [{n}].",
        "krw_price": "KRW {value}",
        "l_index_span": "Period {first} to {last}",
        "l_index": "Latest level ({date}): {level} pt, change over the period {change}",
        "s_index": "Over the same period the {title} {word} {change}, from {first} pt to {last} pt [{n}].",
        "l_gap": "Share price change minus index change: {gap} pt",
        "s_gap_up": "The share price outperformed the index by {gap} percentage points [{p}][{n}].",
        "s_gap_down": "The share price underperformed the index by {gap} percentage points [{p}][{n}].",
        "l_market_cap": "Market cap ({date}): {cap} (KRW {raw})",
        "s_market_cap": "Market capitalisation was {cap} as of {date} [{n}].",
        "l_shares": "Shares outstanding: {shares}",
        "l_valuation": "As of {date}: {parts}",
        "s_valuation": "As of {date} the valuation metrics were {parts} [{n}].",
        "l_sector": "Sector: {name} (DART industry code {code})",
        "l_financial": "Financial companies report no revenue line, so revenue and operating margin are not used",
        "l_fs": "Statements: {fs} ({div})",
        "fs_CFS": "consolidated",
        "fs_OFS": "separate",
        "l_flow_scope": "Income items cover {period}; comparison: the same period a year earlier (balance sheet: "
        "prior year end)",
        "months_cumulative": "{months} months cumulative",
        "l_note": "Note: {note}",
        "l_metric": "{name}: {value} (KRW {raw})",
        "l_metric_prior": ", comparison period {value}",
        "l_metric_change": ", change {change}",
        "versus_year": "year on year",
        "versus_same": "on the same period a year earlier",
        "s_metric_change": "{name} {value} ({word} {change} {versus})",
        "s_metric": "{name} {value}",
        "l_ratio": "{name}: {value}",
        "s_metrics": "Per the {title}: {parts} [{n}].",
        "l_history": "{period}: {parts}",
        "s_quarter": "For {period} alone: {parts} [{n}].",
        "q_yoy": " ({change} year on year)",
        "s_trend": "Annual {name}: {trail} [{n}].",
        "trail_year": "FY{year} {value}",
        "p_ceo": "CEO {value}",
        "p_industry": "industry code {code}",
        "p_industry_unknown": "",
        "p_market": "listed on {value}",
        "p_fiscal": "{value} fiscal year end",
        "p_est": "incorporated {value}",
        "p_home": "website {value}",
        "l_profile": "{name}: {facts}",
        "l_address": "Address (as filed): {value}",
        "l_no_listing": "The DART profile has no listing date",
        "s_profile": "{name} company profile: {facts} [{n}].",
        "market_KOSPI": "KOSPI",
        "market_KOSDAQ": "KOSDAQ",
        "market_KONEX": "KONEX",
        "l_statement": "{statement} {account}: current {current}",
        "l_statement_prior": ", prior {prior}",
        "l_fs_used": "Statements: {fs}",
        "fs_consolidated": "consolidated",
        "fs_separate": "separate",
        "l_filing": "{date} {name} (receipt no. {rcept_no})",
        "s_filings": "Recent filings include {names} [{n}].",
        "l_fx": "KRW/USD ({date}): KRW {rate}",
        "s_fx": "The KRW/USD rate was KRW {rate} [{n}].",
        "l_quote": "Quote ({date}): {price} {currency}",
        # peer comparison (nodes/peers.py, charts/peers.py)
        "peer_heading": "Comparison",
        "peer_report": "Report",
        "peer_fs_div": "Statements",
        "peer_fs_CFS": "consolidated",
        "peer_fs_OFS": "separate",
        "peer_none": "—",
        "peer_same_period": "every company over the same period: {report} (each company's DART filings list)",
        "peer_period_differs": "No periodic report was filed by every company; each uses its newest: {list}.",
        "peer_fs_differs": "The statements differ in basis: {list}.",
        "peer_financial": "{names} report(s) no revenue or operating margin (financial companies): those cells "
        "are empty and sector lines such as net interest income and net income are compared instead.",
        "peer_revenue_chart": "Revenue and operating income",
        "peer_margin_chart": "Operating margin",
        "peer_net_chart": "Net income",
        "peer_price_chart": "Share price performance (common start = 100)",
        # the data-only writer's comparing sentences (data/peer_compare.py)
        "cmp_amount": "{name_topic}: {listed}; {top_subject}'s is {ratio} {bottom}'s, {gap} more.",
        "cmp_amount_gap": "{name_topic}: {listed}; {top_subject}'s is {gap} more than {bottom}'s.",
        "cmp_rate": "{name_topic}: {listed}; {top_subject}'s is {gap} higher than {bottom}'s.",
        "cmp_growth_name": "{name} growth {versus}",
        "cmp_left_out": "{names_topic} report(s) no {name_object} and are left out of this comparison.",
        "cmp_basis": "Every figure compared is from the {report}, {fs} statements.",
        "cmp_basis_report": "Every figure compared is from the {report}.",
        # demo mode's gaps (nodes/demo_gaps.py)
        "demo_price_title": "Share price",
        "demo_price_purpose": "The share price over the period and its performance against the index",
        "demo_no_prices": "The demo has no share prices for {company}: the recordings it replays hold none for "
        "this company, so this section gives no price figures. Which data the demo holds for which company is "
        "listed on the `make demo` start screen.",
        "list_sep": ", ",
    },
}


def lang(language: object) -> str:
    """`en` or `ko` (anything else is Korean, the product's default)."""
    return "en" if language == "en" else "ko"


def label(language: object, key: str, **values: object) -> str:
    """The label `key` in `language` (Korean for anything else), with `values` filled in."""
    text = LABELS[lang(language)][key]
    return text.format(**values) if values else text


def particle(language: object, word: str, after_consonant: str, after_vowel: str) -> str:
    """`word` with the Korean particle its last syllable takes ('현대차가', 'KB금융이'); a word
    that does not end in Hangul gets both ('NAVER이(가)'), and an English document none."""
    if lang(language) == "en" or not word:
        return word
    last = ord(word[-1])
    if 0xAC00 <= last <= 0xD7A3:  # a Hangul syllable: a final consonant when (code - 가) % 28 != 0
        return word + (after_consonant if (last - 0xAC00) % 28 else after_vowel)
    return f"{word}{after_consonant}({after_vowel})"


def money(language: object, value: float) -> str:
    """A KRW amount: '146.0조원' / 'KRW 146.0 trillion' (the same precision either way)."""
    return won_en(value) if lang(language) == "en" else won(value)


def multiple(language: object, value: float) -> str:
    """PER/PBR: '12.34배' / '12.34x'."""
    return times_en(value) if lang(language) == "en" else times(value)


def change_word(language: object, value: float) -> str:
    """A price or index move: 상승/하락/보합, rose/fell/was unchanged."""
    if lang(language) == "en":
        return "rose" if value > 0 else ("fell" if value < 0 else "was unchanged")
    return change_word_ko(value)


def growth_word(language: object, value: float) -> str:
    """A reported figure's change: 증가/감소/변동 없음, up/down/unchanged."""
    if lang(language) == "en":
        return "up" if value > 0 else ("down" if value < 0 else "unchanged")
    return growth_word_ko(value)


def unit(language: object, code: str | None) -> str:
    """How a chart unit code ('조원', '원', '%', ...) is shown on an axis or in a legend."""
    if not code:
        return ""
    return LABELS[lang(language)].get(f"unit_{code}", code)


def report_name(language: object, year: object, report: str) -> str:
    """'2024년 3분기보고서' / '2024 Q3 report'."""
    key = f"report_{report}"
    return label(language, key, year=year) if key in LABELS["ko"] else f"{year} {report}"


def period_name(language: object, year: object, report: str) -> str:
    """The period a report's flows cover: '2024년 3분기 누적' / '2024 9M cumulative'."""
    key = f"period_{report}"
    return label(language, key, year=year) if key in LABELS["ko"] else str(year)


_QUARTER_LABEL: Final = re.compile(r"(\d)분기\((\d{1,2})~(\d{1,2})월\)")


def history_period(language: object, entry: dict[str, object], fallback: str = "") -> str:
    """The label of one key-metrics `history` period in `language`, from its scope, year and
    months (a quarter: from the dart service's label). The dart service's own `label` is
    Korean; a Korean document keeps it."""
    if lang(language) == "ko" and entry.get("label"):
        return str(entry["label"])
    year, scope, months = entry.get("year"), entry.get("scope"), entry.get("months")
    if scope == "annual":
        return label(language, "fy", year=year)
    if scope == "cumulative" and isinstance(months, int):
        return label(language, "cumulative", year=year, months=months)
    if scope == "quarter":
        # a quarter-alone entry's `months` is its length (3), not where it ends: the dart
        # service's label says which quarter ('2024년 3분기(7~9월)')
        which = _QUARTER_LABEL.search(str(entry.get("label") or ""))
        if which:
            q, start, end = (int(g) for g in which.groups())
            return label(language, "quarter", year=year, q=q, start=start, end=end)
    return fallback or str(year or "")
