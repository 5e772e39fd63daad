"""Browser test harness (a pytest plugin, loaded by tests/conftest.py for every test folder):

Fixtures:
  browser     one Chromium for the session (browser tests skip cleanly without Chromium or Playwright)
  page        a fresh page whose console errors, page errors, failed requests and requests that
              leave this machine fail the test; `page.problems` lists them as they happen
  serve_dir   serve_dir(path) -> "http://127.0.0.1:PORT/": a threaded static server, stopped at teardown
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]"}


def is_local(url: str) -> bool:
    """Requests a static site may make: its own server, files on disk, inline data."""
    parts = urlsplit(url)
    if parts.scheme in ("file", "data", "blob", "about"):
        return True
    return parts.scheme in ("http", "https") and parts.hostname in LOCAL_HOSTS


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright")
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, serve_dir):
    """A page in its own context; anything that goes wrong in it fails the test at teardown.

    It asks for `serve_dir` so that a test's static servers stop only after the page is closed: the
    page may still be fetching (site.js loads plotly.js while the page is idle), and a server that
    vanished under it is no fault of the page."""
    context = browser.new_context()
    problems: list[str] = []

    def route(r):
        # Never let a request leave the machine, and say which one tried.
        if is_local(r.request.url):
            r.continue_()
        else:
            problems.append(f"external request: {r.request.url}")
            r.abort()

    context.route("**/*", route)
    pg = context.new_page()
    pg.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    pg.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    # ERR_ABORTED is the browser cancelling a fetch the page no longer needs (a navigation, a reload,
    # the context closing while plotly.js preloads): not a failure of the site.
    pg.on("requestfailed", lambda r: problems.append(f"failed request: {r.url} ({r.failure})")
          if is_local(r.url) and "ERR_ABORTED" not in str(r.failure) else None)
    pg.on("response", lambda r: problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
    pg.problems = problems
    yield pg
    context.close()
    assert not problems, "the page reported problems:\n" + "\n".join(problems)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # keep test output clean
        pass


@pytest.fixture
def serve_dir():
    servers = []

    def start(root: Path) -> str:
        handler = functools.partial(_QuietHandler, directory=str(root))
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        servers.append((httpd, thread))
        return f"http://127.0.0.1:{httpd.server_address[1]}/"

    yield start
    for httpd, thread in servers:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
