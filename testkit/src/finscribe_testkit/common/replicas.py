"""Several replicas of every service behind nginx round-robin, as on Kubernetes (tests, benches).

    with ReplicaStack(replicas=2, env={...}) as stack:
        stack.start()                      # dart/1, dart/2, ... and one nginx
        stack.url("dart")                  # the round-robin address every service is given
        stack.url("dart/2")                # one replica, directly
        stack.kill("dart/1")

nginx (Debian's package, the proxy production runs in SWAG) balances each service's
replicas round-robin, passes a request to the next replica when one refuses connections
(`proxy_next_upstream error timeout`; no replica is ever marked down, `max_fails=0`) and
does not buffer event streams. A Chroma server (`chroma run`) is started by
`chroma_server()`.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from finscribe_common.processes import stop_processes
from finscribe_common.services import START_ORDER
from finscribe_testkit.common.server import background_process, free_port
from finscribe_testkit.common.stack import ServiceStack

_NGINX_CONF = """
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 2048; }}
http {{
  access_log off;
  client_body_temp_path {dir}/tmp/body;
  proxy_temp_path {dir}/tmp/proxy;
  fastcgi_temp_path {dir}/tmp/fastcgi;
  uwsgi_temp_path {dir}/tmp/uwsgi;
  scgi_temp_path {dir}/tmp/scgi;
  client_max_body_size 64m;
  proxy_http_version 1.1;
  proxy_set_header Connection "";
  proxy_set_header Host $http_host;
  proxy_buffering off;
  proxy_request_buffering off;
  proxy_read_timeout 600s;
  proxy_next_upstream error timeout;
{blocks}
}}
"""

_BLOCK = """
  upstream {name} {{
{servers}
    keepalive 16;
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{ proxy_pass http://{name}; }}
  }}
"""


class ReplicaStack(ServiceStack):
    """`replicas` processes per service (keys `<service>/<n>`), each service behind nginx."""

    def __init__(self, replicas: int = 2, services: tuple[str, ...] = START_ORDER, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.replicas = replicas
        self.services = services
        # self.ports (from ServiceStack) are the proxy ports: what every service is told
        self.replica_ports = {f"{s}/{n}": free_port() for s in services for n in range(1, replicas + 1)}
        self.nginx: subprocess.Popen[bytes] | None = None

    def url(self, name: str) -> str:
        port = self.replica_ports.get(name) or self.ports[name]
        return f"http://127.0.0.1:{port}"

    def replicas_of(self, service: str) -> list[str]:
        return [f"{service}/{n}" for n in range(1, self.replicas + 1)]

    def spawn(self, name: str, overrides: dict[str, str] | None = None) -> None:
        service = name.split("/")[0]
        log = self.log_path(name.replace("/", "-")).open("ab")
        self.procs[name] = subprocess.Popen(
            [sys.executable, "-m", "finscribe_common.cli", "serve", service, "--port", str(self.replica_ports[name])],
            env=self.env(service, overrides),
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def tail(self, name: str, lines: int = 40) -> str:
        return super().tail(name.replace("/", "-"), lines)

    def start_proxy(self) -> None:
        binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
        if binary is None:
            raise RuntimeError("nginx is not installed (apt-get install nginx-light)")
        directory = self.log_dir / "nginx"
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (directory / "tmp" / sub).mkdir(parents=True, exist_ok=True)
        blocks = []
        for service in self.services:
            servers = "\n".join(
                # max_fails=0: never mark a replica down; a refused connect (a dead replica on
                # loopback) costs microseconds and the request goes to the next one
                f"    server 127.0.0.1:{self.replica_ports[r]} max_fails=0;"
                for r in self.replicas_of(service)
            )
            blocks.append(_BLOCK.format(name=service.replace("-", "_"), servers=servers, port=self.ports[service]))
        conf = directory / "nginx.conf"
        conf.write_text(_NGINX_CONF.format(dir=directory, blocks="".join(blocks)))
        self.nginx = subprocess.Popen(
            [binary, "-p", str(directory), "-e", str(directory / "error.log"), "-c", str(conf), "-g", "daemon off;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 15
        while not all(_listening(self.ports[s]) for s in self.services):
            if self.nginx.poll() is not None or time.monotonic() > deadline:
                error = (
                    (directory / "error.log").read_text(errors="replace") if (directory / "error.log").exists() else ""
                )
                raise RuntimeError(f"nginx did not start: {error[-2000:]}")
            time.sleep(0.05)

    def start(self, *names: str, overrides: dict[str, dict[str, str]] | None = None) -> None:
        """Start the proxy, then every replica (of `names`, default all), waiting until healthy."""
        if self.nginx is None:
            self.start_proxy()
        services = names or self.services
        keys = [r for s in services for r in self.replicas_of(s)]
        for key in keys:
            self.spawn(key, (overrides or {}).get(key.split("/")[0]))
        self.wait_healthy(keys)

    def stop(self) -> None:
        super().stop()
        if self.nginx is not None:
            stop_processes([self.nginx], grace_s=10)


def _listening(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
        return True
    return False


@contextlib.contextmanager
def chroma_server() -> Iterator[str]:
    """A Chroma server (`chroma run`, the chromadb package's CLI) on a free port; yields its URL."""
    binary = shutil.which("chroma") or str(Path(sys.executable).with_name("chroma"))
    if not Path(binary).exists():
        raise RuntimeError("the chroma CLI is not installed (pip install chromadb)")
    directory = Path(tempfile.mkdtemp(prefix="finscribe-chroma-"))
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    args = [binary, "run", "--path", str(directory / "data"), "--host", "127.0.0.1", "--port", str(port)]
    try:
        with background_process(args, f"{url}/api/v2/heartbeat", dict(os.environ), directory):
            yield url
    finally:
        shutil.rmtree(directory, ignore_errors=True)
