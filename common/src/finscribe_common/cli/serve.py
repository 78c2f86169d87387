"""`finscribe serve NAME`: one service under uvicorn."""

import argparse
import os
import sys

from finscribe_common.cli.ports import port_is_free
from finscribe_common.services import SERVICES


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = sub.add_parser("serve", help="run one service")
    parser.add_argument("name", choices=sorted(SERVICES))
    parser.add_argument("--host", default=None, help="bind address (default FINSCRIBE_BIND_HOST or 127.0.0.1)")
    parser.add_argument("--port", type=int, default=None, help="port (default: the service's dev port)")
    parser.add_argument("--reload", action="store_true", help="reload on code changes (development)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from finscribe_common.protocol import EnvelopeHTTPProtocol

    spec = SERVICES[args.name]
    host = args.host or os.environ.get("FINSCRIBE_BIND_HOST") or "127.0.0.1"
    port = args.port or spec.port
    # services read their bind host from the environment to enforce loopback-only modes
    os.environ["FINSCRIBE_BIND_HOST"] = host
    if os.environ.get("FINSCRIBE_DEMO", "").strip().lower() in {"1", "true", "yes", "on"}:
        # a demo service (FINSCRIBE_DEMO=1) refuses real credentials as `finscribe up --demo` does:
        # otherwise it would serve live data that the demo labels as recorded
        from finscribe_common.cli import demo

        try:
            demo.check_can_start(host, demo.without_replay_credentials(os.environ))
        except demo.DemoRefused as refused:
            message = str(refused).replace("finscribe up --demo:", f"finscribe serve {args.name} (FINSCRIBE_DEMO):", 1)
            print(message, file=sys.stderr)
            return 2
    if not port_is_free(host, port):
        print(f"finscribe: port {port} on {host} is already in use; stop what holds it or pass --port", file=sys.stderr)
        return 2
    uvicorn.run(
        spec.factory,
        factory=True,
        host=host,
        port=port,
        reload=args.reload,
        log_config=None,
        access_log=False,
        proxy_headers=True,
        timeout_graceful_shutdown=10,
        http=EnvelopeHTTPProtocol,  # unparsable requests get the envelope too
    )
    return 0
