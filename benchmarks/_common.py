"""Shared helpers of the benchmark scripts: the machine description and median timing."""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def machine() -> dict[str, Any]:
    """What the figures were measured on (CPU model, cores, memory, versions)."""
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_gb = None
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        for line in meminfo.read_text().splitlines():
            if line.startswith("MemTotal"):
                memory_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    import django

    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gb": memory_gb,
        "python": platform.python_version(),
        "django": django.get_version(),
        "platform": platform.platform(),
        "load_average_at_start": os.getloadavg() if hasattr(os, "getloadavg") else None,
    }


def median_ms(function: Callable[[], Any], *, runs: int = 30, warmup: int = 3) -> float:
    for _ in range(warmup):
        function()
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(samples), 3)


class WsgiResponse:
    def __init__(self, status: str, headers: list[tuple[str, str]], content: bytes) -> None:
        self.status_code = int(status.split(" ", 1)[0])
        self.headers = dict(headers)
        self.content = content

    def json(self) -> Any:
        import json

        return json.loads(self.content)


class WsgiClient:
    """GET requests through Django's WSGI handler, as an application server makes them.

    Unlike the test client, the handler sends ``request_started`` and ``request_finished``, so
    the database connection is handled as in production (reused or closed per ``CONN_MAX_AGE``),
    and no test instrumentation runs. The session cookie comes from the test client's
    ``force_login`` (a real session row); nothing else of the test client is used.
    """

    def __init__(self, user: Any, host: str = "localhost") -> None:
        from django.core.handlers.wsgi import WSGIHandler
        from django.test import Client

        login = Client(HTTP_HOST=host)
        login.force_login(user)
        self.cookie = "; ".join(f"{name}={morsel.value}" for name, morsel in login.cookies.items())
        self.host = host
        self.handler = WSGIHandler()

    def get(self, path: str, params: dict[str, Any] | None = None) -> WsgiResponse:
        import io
        import sys
        from urllib.parse import urlencode

        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": urlencode(params or {}),
            "SERVER_NAME": self.host,
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_HOST": self.host,
            "HTTP_COOKIE": self.cookie,
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        started: list[tuple[str, list[tuple[str, str]]]] = []

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> None:
            started.append((status, headers))

        chunks = self.handler(environ, start_response)
        try:
            content = b"".join(chunks)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()  # sends request_finished, as a WSGI server does
        status, headers = started[0]
        return WsgiResponse(status, headers, content)
