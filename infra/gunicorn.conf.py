"""gunicorn settings for every FinScribe service in production (uvicorn workers).

Read from the environment so one file serves all images:
FINSCRIBE_SERVICE (which app), PORT, WEB_CONCURRENCY (workers), GRACEFUL_TIMEOUT_S,
FORWARDED_ALLOW_IPS (the proxy's address, so client IPs from X-Forwarded-For are real).
"""

import multiprocessing
import os

_SERVICE_APPS = {
    "gateway": "finscribe_gateway.main:create_app()",
    "orchestrator": "finscribe_orchestrator.main:create_app()",
    "krx": "finscribe_krx.main:create_app()",
    "dart": "finscribe_dart.main:create_app()",
    "yahoo": "finscribe_yahoo.main:create_app()",
    "rag": "finscribe_rag.main:create_app()",
    "llm-router": "finscribe_llm_router.main:create_app()",
}
# rag owns an embedded Chroma directory: exactly one process may open it (see infra/README.md)
_SINGLE_PROCESS = {"rag"}

service = os.environ.get("FINSCRIBE_SERVICE", "gateway")
wsgi_app = _SERVICE_APPS[service]

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
worker_class = "finscribe_common.worker.Worker"  # uvicorn's, answering unparsable requests in the envelope
_default_workers = 1 if service in _SINGLE_PROCESS else min(2 * multiprocessing.cpu_count() + 1, 8)
workers = int(os.environ.get("WEB_CONCURRENCY", _default_workers))
if service in _SINGLE_PROCESS and workers != 1 and not os.environ.get("CHROMA_URL"):
    raise SystemExit("rag with an embedded Chroma directory must run one worker; set CHROMA_URL to scale")

# A draft can stream for minutes: a restart lets running requests finish first.
graceful_timeout = int(os.environ.get("GRACEFUL_TIMEOUT_S", "660"))
# uvicorn workers heartbeat on their own event loop; this only catches a stuck worker.
timeout = int(os.environ.get("WORKER_TIMEOUT_S", "120"))
keepalive = 75  # longer than nginx's upstream keepalive_timeout (60 s) so nginx closes first

forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips
accesslog = None  # the app logs one JSON line per request with its request id
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
max_requests = int(os.environ.get("MAX_REQUESTS", "0"))
max_requests_jitter = 50 if max_requests else 0
