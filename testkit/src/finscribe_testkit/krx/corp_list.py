"""A KRX-sized ticker list from real data: every stock-listed company (~3,800) of the real
DART corp code list (fixtures/real/dart_corpCode.zip), as the krx resolver's `ListedStock`s.

The replay's own ticker list holds 51 companies; the resolver's speed and ranking must also
hold over a list as long as KRX's. Market is "KOSPI" for all (the corp list does not say);
the ISIN is computed from the code (`payloads.isin_for`)."""

import re
import zipfile
from functools import lru_cache

from finscribe_krx.resolve import ListedStock
from finscribe_testkit.common.fixtures import fixture_path
from finscribe_testkit.krx.payloads import isin_for


@lru_cache(maxsize=1)
def dart_listed_stocks() -> tuple[ListedStock, ...]:
    with zipfile.ZipFile(fixture_path("dart_corpCode.zip")) as archive:
        xml = archive.read("CORPCODE.xml").decode("utf-8")
    stocks = []
    for block in re.findall(r"<list>(.*?)</list>", xml, re.S):
        code = re.search(r"<stock_code>\s*([0-9A-Z]{6})\s*</stock_code>", block)
        name = re.search(r"<corp_name>(.*?)</corp_name>", block)
        if code and name:
            stocks.append(ListedStock(code.group(1), name.group(1).strip(), isin_for(code.group(1)), "KOSPI"))
    return tuple(stocks)
