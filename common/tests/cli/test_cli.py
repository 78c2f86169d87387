import socket

import pytest

from finscribe_common.cli import build_parser, main
from finscribe_common.cli.ports import port_is_free
from finscribe_common.cli.up import local_environment
from finscribe_common.services import SERVICES, START_ORDER


def test_every_service_has_a_distinct_dev_port_and_start_slot():
    assert sorted(START_ORDER) == sorted(SERVICES)
    assert len({s.port for s in SERVICES.values()}) == len(SERVICES)
    assert SERVICES["gateway"].port == 8000 and SERVICES["llm-router"].port == 8015


def test_serve_parses_name_host_port():
    args = build_parser().parse_args(["serve", "krx", "--port", "9999", "--host", "127.0.0.1"])
    assert (args.name, args.port, args.host) == ("krx", 9999, "127.0.0.1")
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "nonsense"])


def test_serve_refuses_a_taken_port(capsys):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        assert not port_is_free("127.0.0.1", port)
        assert main(["serve", "krx", "--port", str(port)]) == 2
    assert "already in use" in capsys.readouterr().err


def test_local_environment_defaults(tmp_path, monkeypatch):
    monkeypatch.delenv("AUTH_MODE", raising=False)
    monkeypatch.delenv("FINSCRIBE_INTERNAL_TOKEN", raising=False)
    monkeypatch.delenv("FINSCRIBE_KRX_URL", raising=False)
    env = local_environment("127.0.0.1", tmp_path)
    assert env["AUTH_MODE"] == "dev"
    assert env["DATABASE_URL"].startswith("sqlite+aiosqlite:///")
    assert env["FINSCRIBE_KRX_URL"] == "http://127.0.0.1:8011"
    assert len(env["FINSCRIBE_INTERNAL_TOKEN"]) >= 32


def test_port_offset_moves_the_public_base_url_with_the_gateway(tmp_path, monkeypatch):
    # issue 15, item 7: chart links of a second stack pointed at the first stack's gateway
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    monkeypatch.delenv("FINSCRIBE_GATEWAY_URL", raising=False)
    ports = {name: spec.port + 100 for name, spec in SERVICES.items()}
    env = local_environment("127.0.0.1", tmp_path, ports)
    assert env["PUBLIC_BASE_URL"] == "http://127.0.0.1:8100"
    assert env["FINSCRIBE_GATEWAY_URL"] == "http://127.0.0.1:8100"
