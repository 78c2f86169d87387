"""Bad input -> 400/422 in the envelope, with a message that says what is wrong, and no upstream call."""

import datetime as dt

import httpx
import pytest

from finscribe_testkit.yahoo import YahooCallCounter, test_settings


@pytest.mark.parametrize(
    ("path", "params", "status", "needle"),
    [
        ("/v1/quotes/BAD$SYM", None, 400, "invalid symbol"),
        ("/v1/quotes/%3Cscript%3E", None, 400, "invalid symbol"),
        ("/v1/quotes/" + "A" * 30, None, 400, "invalid symbol"),
        ("/v1/history/005930", {"start": "2024-13-01"}, 422, "start"),
        ("/v1/history/005930", {"end": "yesterday"}, 422, "end"),
        ("/v1/history/005930", {"start": "2024-06-30", "end": "2024-06-01"}, 400, "after end"),
        ("/v1/history/005930", {"start": "2000-01-01", "end": "2024-12-31"}, 400, "maximum"),
        ("/v1/history/005930", {"interval": "5m"}, 422, "interval"),
        ("/v1/history/005930", {"start": (dt.date.today() + dt.timedelta(days=5)).isoformat()}, 400, "future"),
        ("/v1/symbols/resolve", {"q": ""}, 422, "q"),
        ("/v1/symbols/resolve", {"q": "   "}, 400, "empty"),
        ("/v1/symbols/resolve", None, 422, "q"),
        ("/v1/fx/USDUSD", None, 400, "same"),
        ("/v1/fx/US", None, 400, "invalid FX pair"),
        ("/v1/fx/12ABCD", None, 400, "invalid FX pair"),
    ],
)
async def test_bad_input(
    client: httpx.AsyncClient, counter: YahooCallCounter, path: str, params: dict | None, status: int, needle: str
) -> None:
    response = await client.get(path, params=params)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] == ("bad_request" if status == 400 else "validation_error")
    assert needle in error["message"]
    assert error["request_id"] == response.headers["X-Request-ID"]
    assert counter.total == 0


# issue 15, item 5: impossible years were sent to Yahoo and came back as 502 "upstream error"
@pytest.mark.parametrize(
    "params",
    [{"start": "0007-01-01", "end": "0007-02-01"}, {"end": "1814-05-01"}, {"start": "0002-01-01"}],
)
async def test_impossible_years_are_400_with_the_accepted_range(
    client: httpx.AsyncClient, counter: YahooCallCounter, params: dict
) -> None:
    response = await client.get("/v1/history/005930.KS", params=params)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "date_out_of_range" and "1970-01-01 to" in error["message"]
    assert error["details"]["earliest"] == "1970-01-01"
    assert counter.total == 0


async def test_a_number_is_not_a_date(client: httpx.AsyncClient, counter: YahooCallCounter) -> None:
    response = await client.get("/v1/history/005930.KS", params={"end": "0"})
    assert response.status_code == 422 and "YYYY-MM-DD" in response.json()["error"]["message"]
    assert counter.total == 0


@pytest.mark.parametrize("settings", [test_settings(yahoo_use_listing_table=False)])
async def test_bad_range_refused_before_any_probe(client: httpx.AsyncClient, counter: YahooCallCounter) -> None:
    # 000660 would need a .KS/.KQ probe; the dates are wrong whatever the symbol, so no call is made
    response = await client.get("/v1/history/000660", params={"start": "2010-01-01", "end": "2024-12-31"})
    assert response.status_code == 400
    assert "maximum of 3660 days" in response.json()["error"]["message"]
    assert counter.total == 0
