"""The preview server: safe static serving, the event stream, the watcher, background training, and
(with a working build) the whole edit → rebuild → reload loop."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from explainer.serve.http import inject_script, resolve_path, start_http
from explainer.serve.server import THEME_DIR
from explainer.serve.state import PreviewState
from explainer.serve.training import (
    BackgroundTrainer,
    mark_updating,
    training_box,
)
from explainer.serve.watch import PollingWatcher
from tests.conftest import REPO, write


@pytest.fixture
def site(tmp_path) -> Path:
    root = tmp_path / "site"
    write(root / "index.html", "<html><head><title>i</title></head><body>home</body></html>")
    write(root / "blog/2023/a/index.html", "<html><head></head><body>post a</body></html>")
    write(root / "assets/site.css", "body{}")
    write(root / "404.html", "<html><head></head><body>missing</body></html>")
    write(root / ".tmp-half.html", "<html>half")
    write(tmp_path / "secret.txt", "top secret")
    (root / "inside-link.css").symlink_to(root / "assets/site.css")
    (root / "outside-link.txt").symlink_to(tmp_path / "secret.txt")
    (root / "outside-dir").symlink_to(tmp_path, target_is_directory=True)
    return root


@pytest.fixture
def server(site):
    state = PreviewState()
    srv, thread = start_http("127.0.0.1", 0, site, state)
    yield srv, state
    state.close()
    srv.shutdown()
    srv.server_close()
    thread.join(5)


def request(srv, method: str, path: str, headers=None) -> tuple[int, dict, bytes]:
    conn = http.client.HTTPConnection(*srv.server_address[:2], timeout=5)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, dict(resp.getheaders()), resp.read()
    finally:
        conn.close()


# -- resolving request paths ------------------------------------------------------------------------

def test_resolve_maps_pages_and_redirects_directories(site):
    assert resolve_path(site, "/").file == (site / "index.html").resolve()
    assert resolve_path(site, "/blog/2023/a/?x=1#top").file.name == "index.html"
    assert resolve_path(site, "/blog/2023/a").redirect == "/blog/2023/a/"
    assert resolve_path(site, "/inside-link.css").file == (site / "assets/site.css").resolve()
    assert resolve_path(site, "/sub/blog/2023/a/", baseurl="/sub").file.name == "index.html"


@pytest.mark.parametrize("target", [
    "/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/%2E%2E%2Fsecret.txt",
    "/blog/../../secret.txt", "/blog/%2e%2e/%2e%2e/secret.txt", "/..\\secret.txt", "/%5c..%5csecret.txt",
    "/etc/passwd", "//etc/passwd", "http://127.0.0.1/../secret.txt", "/outside-link.txt",
    "/outside-dir/secret.txt", "/.tmp-half.html", "/%00index.html", "/nope.html", "relative.html",
])
def test_resolve_refuses_everything_outside_the_output_folder(site, target):
    assert resolve_path(site, target) is None


# -- HTTP -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("target", [
    "/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/%2e%2e%2f%2e%2e%2fsecret.txt",
    "/etc/passwd", "//etc/passwd", "/outside-link.txt", "/outside-dir/secret.txt", "/.tmp-half.html",
    "/%ff%fe",
])
def test_traversal_attempts_get_404_and_never_the_file(server, target):
    srv, _ = server
    status, _, body = request(srv, "GET", target)
    assert status == 404
    assert b"top secret" not in body and b"half" not in body


def test_get_head_and_injected_reload_script(server):
    srv, state = server
    assert srv.server_address[0] == "127.0.0.1"
    status, headers, body = request(srv, "GET", "/blog/2023/a/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert b'<script src="/__explainer/reload.js" data-build="0" defer></script></head>' in body
    status, headers, body = request(srv, "HEAD", "/assets/site.css")
    assert status == 200 and body == b"" and headers["Content-Length"] == "6"
    assert headers["Content-Type"].startswith("text/css")
    status, headers, _ = request(srv, "GET", "/blog/2023/a")
    assert status == 301 and headers["Location"] == "/blog/2023/a/"
    status, _, body = request(srv, "GET", "/__explainer/reload.js")
    assert status == 200 and b"EventSource" in body
    status, _, body = request(srv, "GET", "/missing/")
    assert status == 404 and b"missing" in body and b"reload.js" in body  # the site's 404 page


def test_caching_headers_pages_fresh_hashed_assets_forever_others_revalidated(server, site):
    srv, _ = server
    write(site / "assets/site.0123456789.css", "body{}")
    assert request(srv, "GET", "/")[1]["Cache-Control"] == "no-store"
    assert "immutable" in request(srv, "GET", "/assets/site.0123456789.css")[1]["Cache-Control"]
    status, headers, _ = request(srv, "GET", "/assets/site.css")
    assert status == 200 and headers["Cache-Control"] == "no-cache"
    status, _, body = request(srv, "GET", "/assets/site.css", {"If-None-Match": headers["ETag"]})
    assert status == 304 and body == b""
    write(site / "assets/site.css", "body{color:red}")
    assert request(srv, "GET", "/assets/site.css", {"If-None-Match": headers["ETag"]})[0] == 200


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "BREW"])
def test_other_methods_get_405(server, method):
    status, headers, _ = request(server[0], method, "/index.html")
    assert status == 405 and headers["Allow"] == "GET, HEAD"


def test_inject_script_without_head_prepends():
    assert inject_script(b"<p>x</p>", 3).startswith(b'<script src="/__explainer/reload.js" data-build="3"')


def _read_events(sock_file, n: int) -> list[tuple[str, dict]]:
    events, event = [], None
    while len(events) < n:
        line = sock_file.readline().decode().rstrip("\n")
        if line.startswith("event: "):
            event = line[7:]
        elif line.startswith("data: ") and event:
            events.append((event, json.loads(line[6:])))
            event = None
    return events


def test_event_stream_sends_reload_for_its_page_and_errors_for_all(server):
    srv, state = server
    sock = socket.create_connection(srv.server_address[:2], timeout=5)
    sock.sendall(b"GET /__explainer/events?path=%2Fblog%2F2023%2Fa%2F&since=0 HTTP/1.1\r\nHost: localhost\r\n\r\n")
    f = sock.makefile("rb")
    assert f.readline().startswith(b"HTTP/1.1 200")
    assert _read_events(f, 1) == [("errors", {"errors": []})]
    state.publish(changed={"index.html"})  # another page: nothing for this one
    state.publish(errors=[{"where": "content/posts/a.md:3", "message": "bad"}])
    assert _read_events(f, 1) == [("errors", {"errors": [{"where": "content/posts/a.md:3", "message": "bad"}]})]
    state.publish(changed={"blog/2023/a/index.html"}, errors=[])
    assert _read_events(f, 2) == [("errors", {"errors": []}), ("reload", {"build": 2})]
    sock.close()


# -- watcher and state -------------------------------------------------------------------------------

def test_watcher_sees_edits_creations_and_deletions(tmp_path):
    a = write(tmp_path / "c" / "a.md", "one")
    w = PollingWatcher([tmp_path / "c"], interval=0.01)
    assert w.poll() == set()
    os.utime(a, ns=(1, 1))
    assert w.poll() == {str(a)}
    b = write(tmp_path / "c" / "sub" / "b.md", "two")
    write(tmp_path / "c" / ".a.md.swp", "editor")
    assert w.poll() == {str(b)}
    a.unlink()
    assert w.poll() == {str(a)}


def test_state_wait_returns_none_once_closed():
    state = PreviewState()
    threading.Timer(0.05, state.close).start()
    assert state.wait_for_change(state.version, timeout=5) is None


# -- background training (a fake worker: no jax) -------------------------------------------------------

class FakeConfig:
    def __init__(self, name):
        self.name = name

    def label(self):
        return self.name

    def resolved(self):
        return self


def fake_worker(configs, cache_dir, content_dir, device, conn):
    """Trains by sleeping, then writes the marker file the fake lookup reads."""
    for c in configs:
        time.sleep(0.4 if c.name.startswith("slow") else 0.05)
        (Path(cache_dir) / c.name).write_text("trained")
        conn.send(("log", f"trained {c.name}"))
    conn.send(("done", None, None))
    conn.close()


def fake_lookup(config, cache_dir, content_dir):
    path = Path(cache_dir) / config.name
    return config.name, ("result of " + config.name if path.exists() else None)


def _wait_collect(trainer, timeout=30.0) -> None:
    deadline = time.monotonic() + timeout
    while trainer.job is not None and time.monotonic() < deadline:
        trainer.collect()
        time.sleep(0.02)
    assert trainer.job is None, "background training did not finish"


def test_background_training_restarts_with_the_newest_config_and_stops(tmp_path):
    lines = []
    trainer = BackgroundTrainer(tmp_path, tmp_path, log=lines.append, worker=fake_worker, lookup=fake_lookup)
    old, new = FakeConfig("slow-old"), FakeConfig("new")
    assert trainer.available({old: []}, None, lines.append) == {}
    first = trainer.job.process
    assert trainer.available({new: []}, None, lines.append) == {}  # edited mid-training
    assert not first.is_alive() and trainer.job.process is not first
    _wait_collect(trainer)
    assert trainer.available({new: []}, None, lines.append) == {new: "result of new"}
    assert not (tmp_path / "slow-old").exists()
    assert trainer.job is None and any(line.startswith("trained new") for line in lines)
    trainer.available({FakeConfig("slow-2"): []}, None, lines.append)
    process = trainer.job.process
    trainer.stop()
    assert not process.is_alive() and trainer.job is None


def test_stand_in_is_last_good_figure_marked_updating_or_a_training_box():
    from explainer.figures.draw import FigureOutput

    class Spec:
        id, layout, caption, caption_html = "fig-a", "l-page", "A <b>caption</b>", ""
    trainer = BackgroundTrainer(Path("."), Path("."))
    box = trainer.stand_in("blog/a/index.html", Spec)
    assert "training…" in box.html and 'id="fig-a"' in box.html and "&lt;b&gt;" in box.html
    trainer.remember("blog/a/index.html", "fig-a",
                     FigureOutput('<figure id="fig-a" class="l-page explainer-figure">x</figure>',
                                  {"blog/a/figures/fig-a.png": b"png"}, True, False))
    stale = trainer.stand_in("blog/a/index.html", Spec)
    assert 'class="figure-updating l-page explainer-figure"' in stale.html
    assert "Updating" in stale.html and stale.files and stale.needs_plotly
    assert mark_updating("<div>x</div>").startswith('<div class="figure-updating">')
    assert "figure-training" in training_box(Spec)


# -- the whole loop (needs a working build) -----------------------------------------------------------

POST = "---\ntitle: Hello\ndate: 2023-05-05\n---\n## Intro\n\nFirst version of the text.\n"


def _build_works(content: Path, tmp_path: Path) -> bool:
    from explainer.pipeline import BuildOptions, build
    try:
        build(BuildOptions(content=content, out=tmp_path / "probe-site", cache_dir=tmp_path / "probe-cache",
                           jobs=1), log=lambda line: None)
        return True
    except Exception:
        return False


def _wait(predicate, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    raise AssertionError("timed out")


@pytest.fixture
def preview(content, tmp_path):
    from explainer.pipeline import BuildOptions
    from explainer.serve.server import Preview

    post = write(content / "posts" / "2023-05-05-hello.md", POST)
    if not _build_works(content, tmp_path):
        pytest.skip("the build does not work yet")
    opts = BuildOptions(content=content, out=tmp_path / "site", cache_dir=tmp_path / ".cache", jobs=1)
    p = Preview(opts, port=0, log=lambda line: None, interval=0.02)
    p.start()
    yield p, post
    p.stop()


def test_edit_rebuilds_the_page_and_errors_come_and_go(preview):
    p, post = preview
    page = p.opts.out / "blog/2023/hello/index.html"
    assert "First version" in page.read_text()
    build = p.state.build
    post.write_text(POST.replace("First version", "Second version"))
    _wait(lambda: p.state.changed_at.get("blog/2023/hello/index.html", 0) > build)
    assert "Second version" in page.read_text()
    status, _, body = request(p._server, "GET", "/blog/2023/hello/")
    assert status == 200 and b"Second version" in body and b"reload.js" in body
    post.write_text("---\ntitle: [unclosed\n---\nx\n")
    errors = _wait(lambda: p.state.errors)
    assert errors[0]["where"].endswith("2023-05-05-hello.md:2:1") and "YAML" in errors[0]["message"]
    assert "Second version" in page.read_text()  # the last good page stays
    post.write_text(POST.replace("First version", "Third version"))
    _wait(lambda: not p.state.errors)
    assert "Third version" in page.read_text()


def test_a_theme_edit_makes_the_warm_process_rehash_the_theme(preview):
    from explainer.base.hashing import tree_fingerprint

    p, _ = preview
    build = p.state.build
    assert tree_fingerprint.cache_info().hits >= 1  # earlier builds reused the fingerprint
    p.rebuild({str(THEME_DIR / "templates" / "post.html")})  # as the watcher reports a theme edit
    info = tree_fingerprint.cache_info()
    # forgotten, then computed afresh from the files once (the asset record's key reuses it)
    assert info.misses == 1
    assert p.state.build == build + 1 and not p.state.errors


def test_serve_command_binds_localhost_and_stops_cleanly_on_ctrl_c(content, tmp_path):
    write(content / "posts" / "2023-05-05-hello.md", POST)
    if not _build_works(content, tmp_path):
        pytest.skip("the build does not work yet")
    args = [sys.executable, "-m", "explainer", "serve", "--port", "0", "--content", str(content),
            "--out", str(tmp_path / "site"), "--cache-dir", str(tmp_path / ".cache")]
    # Started as a background job is: with SIGINT ignored, a disposition that survives exec.
    launcher = ("import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_IGN); "
                "os.execv(sys.argv[1], sys.argv[1:])")
    proc = subprocess.Popen([sys.executable, "-c", launcher, *args], cwd=REPO,
                            stderr=subprocess.PIPE, text=True)
    try:
        line = ""
        while "serving" not in line:
            line = proc.stderr.readline()
            assert line, "serve exited early"
        url = line.split()[1]
        assert url.startswith("http://127.0.0.1:")
        proc.send_signal(signal.SIGINT)
        _, rest = proc.communicate(timeout=15)  # keeps reading stderr, so the pipe never fills
        assert proc.returncode == 0, rest
        assert "stopping" in rest
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


FIGURE_POST = """---
title: Fig
date: 2024-01-01
---
## Intro

```figure
id: lat
view: latent
experiment: {model: ae, dataset: digits, latent_dim: 2, steps: STEPS}
caption: The latent space.
```
"""


def _provenance(page: Path) -> dict:
    import html
    import re
    attr = re.search(r"data-provenance='([^']*)'", page.read_text()).group(1)
    return json.loads(html.unescape(attr))[0]


@pytest.mark.slow
def test_training_runs_in_the_background_and_restarts_on_a_new_edit(content, tmp_path):
    """Real training (jax, a few hundred steps): the page never waits for it."""
    from explainer.pipeline import BuildOptions
    from explainer.serve.server import Preview

    post = write(content / "posts" / "2024-01-01-fig.md", FIGURE_POST.replace("STEPS", "200"))
    opts = BuildOptions(content=content, out=tmp_path / "site", cache_dir=tmp_path / ".cache",
                        jobs=1, device="cpu")
    page = tmp_path / "site/blog/2024/fig/index.html"
    with Preview(opts, port=0, log=lambda line: None, interval=0.02) as p:
        assert "figure-training" in page.read_text()  # served at once, with a "training…" box
        _wait(lambda: "figure-training" not in page.read_text(), timeout=120)
        post.write_text(FIGURE_POST.replace("STEPS", "300"))
        _wait(lambda: "figure-updating" in page.read_text())  # last good figure, marked
        first = p.trainer.job.process
        post.write_text(FIGURE_POST.replace("STEPS", "400"))  # edited again mid-training
        _wait(lambda: p.trainer.job is not None and p.trainer.job.process is not first)
        _wait(lambda: "figure-updating" not in page.read_text(), timeout=120)
        assert _provenance(page)["steps"] == 400  # the newest settings, not the interrupted ones
        running = p.trainer.job
        post.write_text(FIGURE_POST.replace("STEPS", "250"))
        _wait(lambda: p.trainer.job is not None and p.trainer.job is not running)
        process = p.trainer.job.process
    assert not process.is_alive()  # stopping the preview stops its training
