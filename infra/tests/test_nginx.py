"""The SWAG site conf passes `nginx -t` inside a minimal wrapper with SWAG's includes stubbed."""

import shutil
import subprocess
from pathlib import Path

import pytest

from finscribe_testkit.common.tls import self_signed_cert

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@pytest.fixture
def wrapped_conf(infra_dir, tmp_path) -> Path:
    site = (infra_dir / "nginx" / "finscribe.subdomain.conf").read_text()
    # SWAG paths -> the test directory; the compose service name -> loopback
    site = site.replace("/config/nginx/", f"{tmp_path}/").replace("/config/www", str(tmp_path / "www"))
    site = site.replace("server gateway:8000;", "server 127.0.0.1:8000;")
    (tmp_path / "site.conf").write_text(site)
    cert, key = self_signed_cert(tmp_path)
    (tmp_path / "ssl.conf").write_text(f"ssl_certificate {cert};\nssl_certificate_key {key};\n")
    (tmp_path / "www").mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        f"error_log {tmp_path}/error.log;\npid {tmp_path}/nginx.pid;\nevents {{}}\n"
        f"http {{\n  access_log {tmp_path}/access.log;\n  client_body_temp_path {tmp_path};\n"
        f"  include {tmp_path}/site.conf;\n}}\n"
    )
    return conf


def test_nginx_accepts_the_site_conf(wrapped_conf):
    assert Path(NGINX).exists(), "nginx is not installed (apt-get install nginx)"
    result = subprocess.run(
        [NGINX, "-t", "-c", str(wrapped_conf), "-p", str(wrapped_conf.parent)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_site_conf_rules(infra_dir):
    conf = (infra_dir / "nginx" / "finscribe.subdomain.conf").read_text()
    assert "return 301 https://$host$request_uri;" in conf
    assert "Strict-Transport-Security" in conf
    assert "proxy_buffering off;" in conf and "proxy_read_timeout 900s;" in conf
    assert "client_max_body_size 21m;" in conf
    assert "limit_req zone=" in conf and "limit_req_status 429;" in conf
    assert "location ^~ /internal/ {\n        return 404;" in conf
    # nothing but the gateway is ever proxied
    upstreams = {line.split("http://", 1)[1].rstrip(";") for line in conf.splitlines() if "proxy_pass" in line}
    assert upstreams == {"finscribe_gateway"}
    for internal in ("orchestrator", "krx", "dart", "yahoo", "rag", "llm-router", ":8001", ":801"):
        assert internal not in conf.split("upstream finscribe_gateway", 1)[1]
