"""A real MySQL/MariaDB for tests.

In order: `TEST_MYSQL_URL`; testcontainers when a Docker engine answers; a private
`mariadbd` started in a temporary directory. Each test session gets its own database.
"""

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from finscribe_common.processes import stop_processes
from finscribe_testkit.common.server import free_port


class MySQLUnavailable(RuntimeError):
    pass


def _as_aiomysql(url: str) -> str:
    scheme, rest = url.split("://", 1)
    if scheme in ("mysql", "mariadb", "mysql+pymysql", "mariadb+pymysql"):
        scheme = "mysql+aiomysql"
    return f"{scheme}://{rest}"


def _connect(url: str) -> Any:  # a pymysql Connection; pymysql ships no type information
    import pymysql

    parts = urlsplit(url)
    return pymysql.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 3306,
        user=parts.username or "root",
        password=parts.password or "",
        unix_socket=None,
        connect_timeout=5,
        autocommit=True,
    )


def _wait_until_up(url: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            _connect(url).close()
            return
        except Exception as exc:  # server still starting
            last = exc
            time.sleep(0.3)
    raise MySQLUnavailable(f"MySQL at {url} did not come up: {last}")


def _docker_answers() -> bool:
    if not shutil.which("docker"):
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=5).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@contextlib.contextmanager
def _private_mariadbd() -> Iterator[str]:
    try:
        server = PrivateMariaDB()
    except MySQLUnavailable as exc:
        raise MySQLUnavailable(f"no TEST_MYSQL_URL, no Docker engine and {exc}") from None
    try:
        server.start()
        yield server.url
    finally:
        server.close()


@contextlib.contextmanager
def _testcontainers_mysql() -> Iterator[str]:
    from testcontainers.mysql import MySqlContainer

    with MySqlContainer("mariadb:11.4") as container:
        yield _as_aiomysql(container.get_connection_url())


@contextlib.contextmanager
def mysql_server() -> Iterator[str]:
    """Yields a server URL (mysql+aiomysql://...) whose user may create databases."""
    configured = os.environ.get("TEST_MYSQL_URL")
    if configured:
        url = _as_aiomysql(configured)
        _wait_until_up(url, 10)
        yield url
        return
    if _docker_answers():
        with _testcontainers_mysql() as url:
            yield url
        return
    with _private_mariadbd() as url:
        yield url


def _execute(server_url: str, sql: str) -> None:
    conn = _connect(server_url)
    try:
        with conn.cursor() as cur:
            cur.execute(sql)
    finally:
        conn.close()


@contextlib.contextmanager
def scratch_database(server_url: str) -> Iterator[str]:
    """A fresh, empty database on the server; dropped afterwards."""
    name = f"finscribe_test_{uuid.uuid4().hex[:12]}"
    _execute(server_url, f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    parts = urlsplit(server_url)
    try:
        yield urlunsplit((parts.scheme, parts.netloc, f"/{name}", "charset=utf8mb4", ""))
    finally:
        _execute(server_url, f"DROP DATABASE IF EXISTS `{name}`")


class PrivateMariaDB:
    """A mariadbd of the test's own that can be stopped and started again on the same port
    and data directory (to test what a service does while its database restarts)."""

    def __init__(self) -> None:
        self.server = shutil.which("mariadbd") or shutil.which("mysqld") or "/usr/sbin/mariadbd"
        self.installer = shutil.which("mariadb-install-db") or shutil.which("mysql_install_db")
        if not Path(self.server).exists() or not self.installer:
            raise MySQLUnavailable("no mariadbd/mariadb-install-db on PATH")
        self.base = Path(tempfile.mkdtemp(prefix="finscribe-mariadb-restart-"))
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        subprocess.run(
            [
                self.installer,
                "--no-defaults",
                f"--datadir={self.base / 'data'}",
                "--user=root",
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )

    @property
    def url(self) -> str:
        return f"mysql+aiomysql://root@127.0.0.1:{self.port}/mysql"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                self.server,
                "--no-defaults",
                f"--datadir={self.base / 'data'}",
                f"--port={self.port}",
                "--bind-address=127.0.0.1",
                f"--socket={self.base / 'mysqld.sock'}",
                "--user=root",
                "--skip-log-bin",
                "--innodb-buffer-pool-size=64M",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_until_up(self.url, 60)

    def stop(self) -> None:
        if self.proc is not None:
            stop_processes([self.proc], grace_s=30)
        self.proc = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.base, ignore_errors=True)
