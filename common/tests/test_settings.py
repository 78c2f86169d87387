import pytest

from finscribe_common.settings import ServiceSettings, is_loopback, resolve_internal_token


def test_loopback_detection():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost") and is_loopback("127.1.2.3")
    assert not is_loopback("0.0.0.0") and not is_loopback("10.0.0.5") and not is_loopback("example.com")


def test_configured_token_wins(tmp_path):
    settings = ServiceSettings(internal_token="abc", data_dir=tmp_path)
    assert resolve_internal_token(settings) == "abc"


def test_no_token_on_public_bind_refuses(tmp_path):
    settings = ServiceSettings(data_dir=tmp_path, bind_host="0.0.0.0")
    with pytest.raises(RuntimeError, match="FINSCRIBE_INTERNAL_TOKEN"):
        resolve_internal_token(settings)


def test_loopback_dev_token_is_random_and_shared(tmp_path):
    first = resolve_internal_token(ServiceSettings(data_dir=tmp_path, bind_host="127.0.0.1"))
    second = resolve_internal_token(ServiceSettings(data_dir=tmp_path, bind_host="127.0.0.1"))
    assert first == second and len(first) >= 32
    assert (tmp_path / "internal-token").stat().st_mode & 0o077 == 0
    other = resolve_internal_token(ServiceSettings(data_dir=tmp_path / "other", bind_host="127.0.0.1"))
    assert other != first
