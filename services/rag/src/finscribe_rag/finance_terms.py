"""Query expansion for financial questions: a ratio or concept named in a question is expanded
with the statement line items it is computed from, in English and Korean.

Questions name concepts ("Is 3M capital-intensive?", "quick ratio", "유동비율", "PPNE"), while
the answer sits on a statement page whose rows name line items ("Purchases of property, plant
and equipment", "Total current liabilities", "유동부채"). Neither BM25 nor a small embedding
model bridges that gap on its own: on the FinanceBench evaluation (bench/rag_eval.py) most
missed table questions name a ratio whose inputs are on the evidence page.

The entries are the textbook definitions of the ratios (numerator and denominator as US GAAP
/ K-IFRS statements label them), not words taken from any one filing. They are appended to
the query text; the original words stay, so a question that names the line item itself ranks
as before. Which lists receive the expansion (BM25, the embedding, both) is measured in the
evaluation's ablation; see `EXPAND_DENSE` / `EXPAND_BM25`.
"""

import re

# (what the question says, the line items that answer it)
_CONCEPTS: tuple[tuple[str, str], ...] = (
    (r"\bPP&\s?E\b|\bPPN?E\b|property,?\s+plant", "property, plant and equipment net 유형자산"),
    (
        r"capital[- ]intensi|capital\s+intensity|\bcapex\b|capital\s+expenditure|설비투자|자본적\s?지출",
        "capital expenditures purchases of property, plant and equipment payments for property and equipment "
        "depreciation total assets 유형자산의 취득 감가상각비",
    ),
    (
        r"quick\s+ratio|acid[- ]test|당좌비율",
        "cash and cash equivalents short-term investments marketable securities accounts receivable "
        "total current assets inventories total current liabilities 당좌자산 유동자산 재고자산 유동부채",
    ),
    (
        r"current\s+ratio|유동비율|working\s+capital|운전자본",
        "total current assets total current liabilities 유동자산 유동부채",
    ),
    (r"liquidity|유동성", "cash and cash equivalents total current assets total current liabilities 유동자산 유동부채"),
    (
        r"gross\s+(?:profit\s+)?margin|매출총이익률|매출총이익",
        "gross profit gross margin net sales revenues cost of sales cost of products sold 매출총이익 매출원가 매출액",
    ),
    (
        r"operating\s+(?:profit\s+)?margin|영업이익률",
        "operating income operating profit revenues net sales 영업이익 매출액",
    ),
    (r"\bEBITDA\w?\b", "operating income depreciation and amortization"),
    (r"\bEBIT\b", "operating income earnings before interest and taxes interest expense"),
    (r"interest\s+coverage|이자보상", "interest expense operating income 이자비용 영업이익"),
    (
        r"effective\s+tax\s+rate|유효\s?세율|법인세율",
        "effective tax rate provision for income taxes income before income taxes 법인세비용",
    ),
    (r"inventory\s+turnover|재고자산\s?회전", "inventories cost of sales cost of products sold 재고자산 매출원가"),
    # not "debt securities" (securities a company issued or holds: a cover page, investments) nor
    # "bad debt" (receivables' allowance)
    (
        r"(?<!bad )\bdebt\b(?!\s+securit)|leverage|부채비율|차입금",
        "long-term debt short-term borrowings total liabilities 차입금 부채총계",
    ),
    (r"high[- ]growth|growth\s+company|성장성", "net sales revenues increase growth 매출액 증가"),
    (
        r"free\s+cash\s+flow|\bFCF\b|잉여현금",
        "net cash provided by operating activities capital expenditures 영업활동현금흐름 유형자산의 취득",
    ),
    (r"\bROE\b|return\s+on\s+equity|자기자본이익률", "net income total shareholders' equity 당기순이익 자본총계"),
    (r"\bROA\b|return\s+on\s+assets|총자산이익률", "net income total assets 당기순이익 자산총계"),
    # not repurchase agreements (repos: financing)
    (
        r"buy-?backs?|repurchas(?!e\s+agreement)|자사주|자기주식",
        "repurchases of common stock treasury stock 자기주식의 취득",
    ),
    # a statement named in the question: its title and the totals every such statement has
    (
        r"balance\s+sheets?|financial\s+position|재무상태표|대차대조표",
        "consolidated balance sheets total assets total liabilities shareholders' equity 재무상태표 자산총계 부채총계",
    ),
    (
        r"income\s+statements?|statements?\s+of\s+(?:income|operations|earnings)|손익계산서",
        "consolidated statements of income net revenues cost of sales operating profit net income 손익계산서 매출액",
    ),
    (
        # not a cash flow hedge (derivatives note) nor a discounted cash flow (valuation)
        r"(?<!discounted )cash\s+flows?(?!\s+hedg)|현금흐름(?!\s?위험회피)",
        "consolidated statements of cash flows net cash provided by operating activities investing activities "
        "financing activities 현금흐름표 영업활동 투자활동 재무활동",
    ),
)
# ASCII word boundaries: a Korean particle right after an acronym ("ROE는", "EBIT은") ends the word
CONCEPTS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p, re.I | re.A), terms) for p, terms in _CONCEPTS)

EXPAND_BM25 = True
EXPAND_DENSE = True


def expansion(query: str) -> str:
    """The line items of every concept `query` names, space-joined ("" when it names none)."""
    return " ".join(terms for pattern, terms in CONCEPTS if pattern.search(query))


def expand(query: str, enabled: bool = True) -> str:
    """`query` followed by its expansion on a new line (the query itself when disabled or none)."""
    extra = expansion(query) if enabled else ""
    return f"{query}\n{extra}" if extra else query
