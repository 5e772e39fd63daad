"""The preview server under attack and under load: DNS rebinding (Host check), slow clients
(timeouts, a bounded worker pool) and 200 parallel clients (a listen backlog that drops none)."""

from __future__ import annotations

import http.client
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from explainer.serve import http as serve_http
from explainer.serve.http import host_allowed, start_http
from explainer.serve.state import PreviewState
from tests.conftest import write


@pytest.fixture
def server(tmp_path, monkeypatch):
    monkeypatch.setattr(serve_http, "CONNECTION_TIMEOUT_S", 1.0)
    monkeypatch.setattr(serve_http.PreviewHandler, "timeout", 1.0)
    write(tmp_path / "site" / "index.html", "<html><head></head><body>home</body></html>")
    state = PreviewState()
    srv, thread = start_http("127.0.0.1", 0, tmp_path / "site", state)
    yield srv
    state.close()
    srv.shutdown()
    srv.server_close()
    thread.join(5)


def _get(srv, host: str | None = "localhost", path="/index.html"):
    conn = http.client.HTTPConnection(*srv.server_address[:2], timeout=10)
    try:
        conn.putrequest("GET", path, skip_host=True)
        if host is not None:
            conn.putheader("Host", host)
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


@pytest.mark.parametrize(
    "host,ok",
    [
        ("localhost", True),
        ("localhost:8000", True),
        ("127.0.0.1:8000", True),
        ("[::1]:8000", True),
        ("[::1]", True),
        ("LOCALHOST", True),
        ("192.168.1.20:8000", True),  # an IP address involves no DNS
        ("evil.example", False),
        ("evil.example:8000", False),
        ("localhost.evil.example", False),
        ("", False),
        (None, False),
    ],
)
def test_host_check(host, ok):
    assert host_allowed(host, "127.0.0.1") is ok


def test_bound_hostname_is_allowed():
    assert host_allowed("mybox:8000", "mybox") and not host_allowed("otherbox", "mybox")


def test_rebound_dns_name_gets_403(server):
    assert _get(server, "localhost")[0] == 200
    status, body = _get(server, "attacker.example")
    assert status == 403 and b"localhost" in body
    assert _get(server, None)[0] == 403


@pytest.mark.slow
def test_slow_clients_are_timed_out_and_do_not_starve_others(server, monkeypatch):
    """300 clients that open a connection and send half a request line: each is closed after the
    timeout, and a normal request still gets through meanwhile."""
    slow = []
    for _ in range(300):
        s = socket.create_connection(server.server_address[:2], timeout=10)
        s.sendall(b"GET /index.ht")
        slow.append(s)
    try:
        t = time.perf_counter()
        assert _get(server)[0] == 200
        assert time.perf_counter() - t < 8  # waits at most a few timeouts for a free worker
        alive = threading.active_count()
        assert alive < serve_http.MAX_WORKERS + 20  # bounded: not one thread per slow client
        time.sleep(3.5)
        closed = sum(s.recv(1) == b"" for s in slow[:50])  # the server hung up on them
        assert closed == 50
    finally:
        for s in slow:
            s.close()


def test_200_parallel_clients_all_get_answers(server):
    def one(_):
        try:
            return _get(server)[0]
        except (OSError, http.client.HTTPException) as e:
            return repr(e)

    with ThreadPoolExecutor(200) as pool:
        statuses = list(pool.map(one, range(600)))
    assert statuses.count(200) == 600, {s for s in statuses if s != 200}
