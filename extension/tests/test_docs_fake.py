"""The e2e fake Docs API on its own (no browser): batchUpdate bodies are checked against the
discovery document and applied all or nothing by the documented Docs model through node
(conftest.ModelDocument), answering with Google's error shapes."""

import time

from starlette.testclient import TestClient

from finscribe_testkit.google import FakeGoogle

from .conftest import DOC_ID, GoogleWeb

TOKEN = "ya29.fake-docs-test"


def client(fake_google: FakeGoogle) -> tuple[GoogleWeb, TestClient]:
    web = GoogleWeb(google=fake_google)
    web.access_tokens[TOKEN] = time.time() + 600
    return web, TestClient(web.app, headers={"Authorization": f"Bearer {TOKEN}"})


def test_a_table_then_text_lands_after_the_closing_unit_and_a_refused_batch_writes_nothing(fake_google):
    web, http = client(fake_google)
    url = f"/v1/documents/{DOC_ID}:batchUpdate"
    # the document ends with "끝.\n" at 20..23; a 1x1 table at 22 spans 23..28 (2 + 1*(2*1+1))
    table = {"insertTable": {"rows": 1, "columns": 1, "location": {"index": 22}}}
    refused = http.post(url, json={"requests": [table, {"insertText": {"text": "b", "location": {"index": 27}}}]})
    assert refused.status_code == 400
    assert refused.json()["error"]["status"] == "INVALID_ARGUMENT"
    assert "inside the bounds of an existing paragraph" in refused.json()["error"]["message"]
    assert web.revision == 1 and web.batch_updates == []

    unknown = http.post(url, json={"requests": [{"insertText": {"text": "b", "index": 22}}]})
    assert unknown.status_code == 400 and 'Unknown name "index"' in unknown.json()["error"]["message"]

    ok = http.post(url, json={"requests": [table, {"insertText": {"text": "b", "location": {"index": 28}}}]})
    assert ok.status_code == 200, ok.text
    content = http.get(f"/v1/documents/{DOC_ID}").json()["body"]["content"]
    element = next(e for e in content if "table" in e)
    assert (element["startIndex"], element["endIndex"]) == (23, 28)
    after = content[content.index(element) + 1]
    assert after["startIndex"] == 28
    assert after["paragraph"]["elements"][0]["textRun"]["content"] == "b\n"
    assert web.revision == 2
