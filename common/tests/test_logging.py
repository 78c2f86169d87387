import json
import logging

import pytest

from finscribe_common.logging import JsonFormatter
from finscribe_common.request_context import request_id_var


def _format(record: logging.LogRecord) -> dict:
    return json.loads(JsonFormatter("krx").format(record))


def test_json_line_carries_service_request_id_and_extras():
    token = request_id_var.set("rid-1")
    try:
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "GET %s %s", ("/v1", 200), None)
        record.status = 200
        entry = _format(record)
    finally:
        request_id_var.reset(token)
    assert entry["msg"] == "GET /v1 200" and entry["service"] == "krx" and entry["request_id"] == "rid-1"
    assert entry["status"] == 200 and entry["level"] == "info"


def test_a_malformed_library_log_call_is_kept():
    # pykrx logs like logging.info(args, kwargs): a format string that does not take the args
    record = logging.LogRecord("pykrx", logging.INFO, __file__, 1, ("20240102", "005930"), ({},), None)
    with pytest.raises(TypeError):
        record.getMessage()
    entry = _format(record)
    assert "005930" in entry["msg"] and "{}" in entry["msg"]
