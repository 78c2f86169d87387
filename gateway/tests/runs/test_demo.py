"""A demo gateway (FINSCRIBE_DEMO=1) labels every result it stores and relays, even one from an
orchestrator that did not; it refuses to bind anything but loopback."""

import pytest

from finscribe_common.demo import DEMO_NOTICE, is_labelled
from finscribe_gateway.config import GatewaySettings
from finscribe_gateway.main import create_app
from finscribe_testkit.gateway.fake_orchestrator import draft_result

DRAFT = {"kind": "draft", "prompt": "삼성전자 개요", "options": {"company": "삼성전자", "length": "short"}}


async def test_a_demo_gateway_labels_what_it_stores_and_relays(gateway_factory, alice_token, stream_run) -> None:
    with gateway_factory(demo=True) as gateway:
        async with gateway.client(alice_token) as alice:
            session = (await alice.post("/v1/sessions", json={"doc_id": "demo-doc"})).json()["session_id"]
            run = await stream_run(alice, session, DRAFT)
            relayed = run.last("run.completed")["result"]
            stored = (await alice.get(f"/v1/runs/{run.events[0][1]['run_id']}")).json()["result"]
    assert is_labelled(relayed) and stored == relayed
    unlabelled = draft_result()  # what the fake orchestrator sent
    assert relayed["markdown"] == f"> {DEMO_NOTICE}\n\n{unlabelled['markdown']}"
    # the notice comes first; the orchestrator's blocks follow unchanged in order
    assert [b["type"] for b in relayed["blocks"][1:]] == [b["type"] for b in unlabelled["blocks"]]


async def test_a_normal_gateway_passes_results_through(gateway, alice, alice_session, stream_run) -> None:
    result = (await stream_run(alice, alice_session, DRAFT)).last("run.completed")["result"]
    assert "demo" not in result or result["demo"] is False
    assert DEMO_NOTICE not in result["markdown"]


def test_demo_mode_refuses_a_public_bind(tmp_path) -> None:
    settings = GatewaySettings(
        demo=True,
        bind_host="0.0.0.0",
        google_client_ids=["x.apps.googleusercontent.com"],
        data_dir=tmp_path,
        internal_token="t" * 32,
    )
    with pytest.raises(RuntimeError, match=r"loopback only; refusing 0\.0\.0\.0"):
        create_app(settings)
