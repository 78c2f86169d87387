"""Two replicas of every service behind nginx round-robin, sharing one Redis, one Chroma
server (`chroma run`) and one MySQL, as on Kubernetes.

Edges as in the single-stack tests (tests/conftest.py): KRX, Yahoo, Google and the LLMs are
the recorded replays and protocol fakes; Open DART is its replay too, started here so the
test can count the calls that reach it (`fake_upstream_app`, built from fixtures/real).
"""

import concurrent.futures
import csv
import io
import secrets
import signal
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pypdf
import pytest

from finscribe_testkit import dart as dart_testing
from finscribe_testkit.common.fixtures import fixture_path
from finscribe_testkit.common.mysql import scratch_database
from finscribe_testkit.common.redis import test_prefix
from finscribe_testkit.common.replicas import ReplicaStack, chroma_server
from finscribe_testkit.common.server import serve_in_thread
from finscribe_testkit.dart import DartReplayCounter
from tests.conftest import Api, BackgroundRun, Edges, iter_events, make_user, wait_run_finished

pytestmark = [pytest.mark.fullstack, pytest.mark.mysql, pytest.mark.slow]

FIN = "/api/fnlttSinglAcntAll.json"
DRAFT = {"company": "삼성전자", "length": "short", "language": "ko", "as_of": "2024-12-30"}
COLLECTION = "u0123456789abcdef-sreplicas"


@dataclass
class Cluster:
    stack: ReplicaStack
    dart: DartReplayCounter
    token: str
    edges: Edges

    def internal(self, name: str) -> httpx.Client:
        return httpx.Client(base_url=self.stack.url(name), headers={"X-Internal-Token": self.token}, timeout=120)

    def api(self, gateway: str = "gateway") -> Api:
        client = httpx.Client(base_url=self.stack.url(gateway), timeout=httpx.Timeout(30, read=180))
        return Api(client, make_user(self.edges, "replica-analyst"))


@pytest.fixture(scope="module")
def cluster(
    edges: Edges, mysql_server_url: str, redis_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Cluster]:
    dart_app = dart_testing.fake_upstream_app(delay=0.2)  # DART answers in 0.2 s: concurrent requests overlap
    token = secrets.token_urlsafe(32)
    with (
        serve_in_thread(dart_app) as dart_url,
        chroma_server() as chroma_url,
        scratch_database(mysql_server_url) as database_url,
    ):
        overrides = ",".join(
            f"opendart.fss.or.kr={dart_url}" if item.startswith("opendart.") else item
            for item in edges.env["FINSCRIBE_UPSTREAM_OVERRIDES"].split(",")
        )
        data_dir = tmp_path_factory.mktemp("replicas-data")  # one volume for all, like a shared RWX volume
        env = {
            **edges.env,
            "FINSCRIBE_UPSTREAM_OVERRIDES": overrides,
            "FINSCRIBE_INTERNAL_TOKEN": token,
            "FINSCRIBE_DATA_DIR": str(data_dir),
            "DATABASE_URL": database_url,
            "CHROMA_URL": chroma_url,
            "REDIS_URL": redis_url,
            "REDIS_PREFIX": test_prefix(),
            "RUNS_PER_MINUTE": "1000",
            "MAX_CONCURRENT_RUNS": "8",
            "RUN_STALE_S": "6",
            "DART_PRELOAD_CORP_CODES": "0",
        }
        with ReplicaStack(
            replicas=2, env=env, log_dir=tmp_path_factory.mktemp("replicas-logs"), ready_timeout=240
        ) as stack:
            stack.extra_env["PUBLIC_BASE_URL"] = stack.url("gateway")
            stack.start()
            yield Cluster(stack, dart_app.state.counter, token, edges)


def test_fifty_identical_requests_over_both_dart_replicas_make_one_upstream_call(cluster: Cluster) -> None:
    before = cluster.dart.by_path[FIN]
    params = {"year": 2024, "report": "h1", "fs": "consolidated"}
    with cluster.internal("dart") as client, concurrent.futures.ThreadPoolExecutor(50) as pool:
        answers = list(pool.map(lambda _: client.get("/v1/corps/00126380/financials", params=params), range(50)))
    assert {a.status_code for a in answers} == {200}
    assert len({a.json()["data"]["rcept_no"] for a in answers}) == 1
    assert cluster.dart.by_path[FIN] - before == 1
    waits = 0
    for replica in cluster.stack.replicas_of("dart"):
        with cluster.internal(replica) as client:
            status = client.get("/v1/status").json()
        assert status["upstream_calls"] >= 0 and status["cache"]["shared"]
        waits += status["cache"]["remote_waits"] + status["cache"]["remote_hits"]
    assert waits >= 1  # the replica that did not call DART was served from Redis


def test_one_rag_indexes_a_pdf_and_the_other_answers_at_once(cluster: Cluster, paper_pdf) -> None:
    reader = pypdf.PdfReader(paper_pdf)
    writer = pypdf.PdfWriter()
    for page in reader.pages[12:14]:  # the paper's pages 13-14 (hyperparameters)
        writer.add_page(page)
    pdf = io.BytesIO()
    writer.write(pdf)
    first, second = cluster.stack.replicas_of("rag")
    with cluster.internal(first) as a, cluster.internal(second) as b:
        # a query on the second replica first: it builds (and caches) its index of the empty collection
        assert (
            b.post(f"/v1/collections/{COLLECTION}/query", json={"query": "초기 학습률", "mode": "bm25"}).json()["hits"]
            == []
        )
        ingest = a.post(
            f"/v1/collections/{COLLECTION}/documents",
            files={"file": ("paper.pdf", pdf.getvalue(), "application/pdf")},
            data={"doc_id": "paper"},
        )
        assert ingest.status_code == 200, ingest.text
        for mode in ("bm25", "hybrid"):
            hits = b.post(f"/v1/collections/{COLLECTION}/query", json={"query": "초기 학습률", "mode": mode}).json()
            assert hits["hits"] and hits["hits"][0]["doc_id"] == "paper", (mode, hits)
        assert b.delete(f"/v1/collections/{COLLECTION}/documents/paper").status_code == 204
        after = a.post(f"/v1/collections/{COLLECTION}/query", json={"query": "초기 학습률", "mode": "bm25"}).json()
    assert after["hits"] == []


def test_a_client_reattaches_on_the_other_gateway_and_gets_every_remaining_event_once(cluster: Cluster) -> None:
    cluster.edges.primary_llm.latency = 0.3  # a run long enough to move mid-way
    try:
        first, second = cluster.stack.replicas_of("gateway")
        api = cluster.api(first)
        session_id = api.session("doc-reattach")
        seen = api.run(session_id, "draft", "삼성전자 보고서", DRAFT, stop_after=3).events  # then it drops
        run_id, last = seen[0][1]["run_id"], seen[-1][1]["seq"]
        with (
            httpx.Client(base_url=cluster.stack.url(second), timeout=httpx.Timeout(30, read=180)) as other,
            other.stream(
                "GET", f"/v1/runs/{run_id}/events", headers={**api.user.headers, "Last-Event-ID": str(last)}
            ) as response,
        ):
            rest = list(iter_events(response.iter_lines()))
    finally:
        cluster.edges.primary_llm.latency = 0.0
    seqs = [d["seq"] for _, d in seen] + [d["seq"] for _, d in rest]
    assert seqs == list(range(1, len(seqs) + 1)), seqs  # nothing missed, nothing twice
    assert rest[-1][0] == "run.completed"
    assert wait_run_finished(api, run_id)["status"] == "completed"


def test_killing_one_replica_of_each_kind_mid_run_loses_no_run(cluster: Cluster) -> None:
    stack = cluster.stack
    api = cluster.api()
    cluster.edges.primary_llm.latency = 0.5
    sessions = [api.session(f"doc-kill-{i}") for i in range(4)]
    # real recorded closes (Yahoo Finance via yfinance): stored data that must survive the kills
    rows = list(csv.reader(fixture_path("yahoo_005930.KS_close_2024.csv").open(encoding="utf-8")))
    closes = [["날짜", "삼성전자"], *rows[1:]]
    body = io.StringIO()
    csv.writer(body).writerows(closes)
    stored_file = api.upload(sessions[0], "삼성전자_종가.csv", body.getvalue().encode(), "text/csv")
    assert stored_file.status_code == 201, stored_file.text
    runs = [BackgroundRun(api, sid, "draft", "삼성전자 보고서", DRAFT) for sid in sessions]
    try:
        for run in runs:
            run.wait_for("step", timeout=120)
        killed = [stack.replicas_of(s)[0] for s in stack.services]
        for name in killed:
            stack.kill(name, signal.SIGKILL)
        outcomes = [run.join(timeout=240) for run in runs]
    finally:
        cluster.edges.primary_llm.latency = 0.0
    run_ids = [o.events[0][1]["run_id"] for o in outcomes if o.events]
    assert len(run_ids) == len(runs)
    # every run ends with a stored outcome, whichever replica drove it (the survivors sweep the dead one's)
    stored = [wait_run_finished(api, run_id, timeout=120) for run_id in run_ids]
    assert all(s["status"] in ("completed", "failed") for s in stored), [s["status"] for s in stored]
    assert all(s["status"] == "completed" or s["error"]["code"] for s in stored)
    # the survivors serve new work: a full draft through the proxies completes
    fresh = api.run(api.session("doc-after-kill"), "draft", "삼성전자 보고서", DRAFT)
    assert fresh.types[-1] == "run.completed", fresh.failure
    # and nothing stored was lost: every earlier run is still there as it ended
    for before in stored:
        assert api.request("GET", f"/v1/runs/{before['run_id']}").json()["status"] == before["status"]
    files = api.request("GET", f"/v1/sessions/{sessions[0]}/files").json()["items"]
    assert [f["file_id"] for f in files] == [stored_file.json()["file_id"]]
    # its bytes are served by whichever gateway replica answers (one shared files volume)
    with cluster.internal("gateway") as internal:
        content = internal.get(f"/internal/v1/files/{stored_file.json()['file_id']}/content")
    assert content.status_code == 200
    assert list(csv.reader(io.StringIO(content.content.decode("utf-8-sig")))) == closes


def test_a_daily_quota_of_n_is_never_exceeded_across_replicas(cluster: Cluster) -> None:
    stack = cluster.stack
    replicas = stack.replicas_of("dart")
    with cluster.internal("dart") as client:
        used = client.get("/v1/status").json()["quota"]["used"]
    n = 6
    for name in replicas:  # the limit is configuration: restart both with it
        stack.restart(name, {"DART_DAILY_LIMIT": str(used + n)})
    before = cluster.dart.calls
    with cluster.internal("dart") as client, concurrent.futures.ThreadPoolExecutor(16) as pool:
        # distinct years and reports: no cache can answer, each needs DART
        params = [{"year": y, "report": r} for y in range(2016, 2024) for r in ("annual", "h1", "q1", "q3")][:24]
        answers = list(pool.map(lambda p: client.get("/v1/corps/00126380/financials", params=p), params))
        status = client.get("/v1/status").json()
    assert cluster.dart.calls - before == n  # exactly the quota, over both replicas
    refused = [a for a in answers if a.status_code == 429]
    assert refused and all(a.json()["error"]["code"] == "quota_exceeded" for a in refused)
    assert status["quota"]["used"] == used + n and status["quota"]["remaining"] == 0
