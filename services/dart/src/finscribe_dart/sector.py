"""Which kind of company a filer is: from company.json's `induty_code` (KSIC) and its accounts.

Banks, insurers, securities firms and financial holding companies report no 매출액: their
income statement starts from 순이자손익, 순수수료손익, 보험손익/보험서비스결과 or 영업수익.
The KSIC code alone is not enough: 64992 (지주회사) holds financial groups (KB금융지주) and
industrial ones alike, so the accounts decide there. Codes (KSIC 10th revision): 641 은행 및
저축기관, 64992 지주회사, other 64 기타 금융업, 65 보험 및 연금업, 6612 증권 및 선물 중개업,
other 66 금융 및 보험 관련 서비스업.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

# lines only a financial company reports (a 이자수익 line alone is not one: platform companies have it too)
FINANCIAL_EVIDENCE = (
    "순이자손익",
    "순이자이익",
    "순수수료손익",
    "순수수료이익",
    "보험손익",
    "보험서비스결과",
    "예수부채",
    "보험계약부채",
)
REVENUE_EVIDENCE = ("매출액", "수익(매출액)", "매출")

NAMES = {
    "general": "일반 기업",
    "holding": "지주회사",
    "bank": "은행",
    "financial_holding": "금융지주",
    "insurance": "보험",
    "securities": "증권",
    "financial": "기타 금융",
}
FINANCIAL_KINDS = frozenset({"bank", "financial_holding", "insurance", "securities", "financial"})


@dataclass(frozen=True)
class Sector:
    code: str
    induty_code: str | None
    basis: str

    @property
    def financial(self) -> bool:
        return self.code in FINANCIAL_KINDS

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": NAMES[self.code],
            "financial": self.financial,
            "induty_code": self.induty_code,
            "basis": self.basis,
        }


def _norm(name: str) -> str:
    return name.replace(" ", "")


def _kind_from_code(code: str) -> str | None:
    if code.startswith("641"):
        return "bank"
    if code == "64992":
        return "financial_holding"
    if code.startswith("65"):
        return "insurance"
    if code.startswith("6612"):
        return "securities"
    if code.startswith(("64", "66")):
        return "financial"
    return None


def classify(induty_code: str | None, account_names: Iterable[str | None]) -> Sector:
    """The sector of a filer from its KSIC code and the names of its income-statement/balance lines."""
    names = {_norm(n) for n in account_names if n}
    evidence = [n for n in FINANCIAL_EVIDENCE if n in names]
    has_revenue = any(n in names for n in REVENUE_EVIDENCE)
    code = (induty_code or "").strip() or None
    from_code = _kind_from_code(code) if code else None
    code_text = f"induty_code {code}" if code else "no induty_code"
    lines_text = f"accounts {', '.join(evidence)} present" if evidence else "no financial-sector lines"
    revenue_text = "매출액 present" if has_revenue else "no 매출액"
    basis = f"{code_text}; {lines_text}; {revenue_text}"
    if from_code is not None and not has_revenue:
        return Sector(from_code, code, basis)
    if from_code == "financial_holding" and has_revenue:
        return Sector("holding", code, basis)  # an industrial holding company reports 매출액
    if from_code is None and evidence and not has_revenue:
        return Sector("financial", code, basis)  # the accounts say so even if the code does not
    return Sector("general", code, basis)
