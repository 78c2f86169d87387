"""Engine options: TLS to MySQL (RDS) from the URL, as aiomysql needs it."""

import ssl

import pytest
from sqlalchemy.engine import make_url

from finscribe_gateway.db.engine import create_engine, mysql_tls
from finscribe_testkit.common.tls import self_signed_cert


@pytest.fixture
def ca_file(tmp_path):
    cert, _ = self_signed_cert(tmp_path, common_name="test-ca")
    return cert


def test_ssl_ca_becomes_a_verifying_ssl_context(ca_file):
    url, connect_args = mysql_tls(make_url(f"mysql+aiomysql://u:p@db:3306/finscribe?charset=utf8mb4&ssl_ca={ca_file}"))
    context = connect_args["ssl"]
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.get_ca_certs()[0]["subject"] == ((("commonName", "test-ca"),),)
    assert "ssl_ca" not in url.query and url.query["charset"] == "utf8mb4"


def test_no_tls_options_leave_the_url_alone():
    url = make_url("mysql+aiomysql://u:p@db:3306/finscribe?charset=utf8mb4")
    assert mysql_tls(url) == (url, {})


def test_hostname_check_can_be_turned_off_for_ip_endpoints(ca_file):
    _, connect_args = mysql_tls(make_url(f"mysql+aiomysql://u@10.0.0.5/f?ssl_ca={ca_file}&ssl_check_hostname=false"))
    assert connect_args["ssl"].check_hostname is False


async def test_engine_passes_the_context_to_aiomysql(ca_file):
    engine = create_engine(f"mysql+aiomysql://u:p@db:3306/finscribe?ssl_ca={ca_file}")
    try:
        _, kwargs = engine.sync_engine.dialect.create_connect_args(engine.url)
        assert "ssl" not in kwargs  # the dialect's dict form is gone; the context comes from connect_args
        assert engine.url.query == {}
    finally:
        await engine.dispose()
