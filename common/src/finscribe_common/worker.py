"""The gunicorn worker of every service in production (infra/gunicorn.conf.py): uvicorn's,
with the envelope for requests uvicorn cannot parse (protocol.py). `uvicorn-worker` is
installed by the service image, not by the development venv."""

from typing import Any, ClassVar

from uvicorn_worker import UvicornWorker


class Worker(UvicornWorker):
    CONFIG_KWARGS: ClassVar[dict[str, Any]] = {
        **UvicornWorker.CONFIG_KWARGS,
        "http": "finscribe_common.protocol:EnvelopeHTTPProtocol",
    }
