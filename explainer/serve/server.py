"""`explainer serve`: build, serve the site, watch the sources, rebuild what changed, reload the browser.

    watch content/ and the theme (poll, ~50 ms) ─► pipeline.build() in this warm process
      (the manifest skips unchanged pages) ─► compare the manifest's file hashes before and after
      ─► tell each open page whether its file changed (server-sent events; it reloads, keeping its
      scroll position) or show the build's errors over it

The site is built into the output folder exactly as `explainer build` builds it, so the manifest is
shared and the folder stays deployable; the reload script is added to HTML responses as they are
sent (serve_http.py), never written to disk.
"""

from __future__ import annotations

import dataclasses
import faulthandler
import gc
import os
import signal
import sys
import threading
import time
import traceback
from pathlib import Path

from ..base.errors import ContentError, ExplainerError
from ..pipeline import PACKAGE_DIR, BuildOptions, build
from .http import PreviewHTTPServer, serve_in_thread
from .state import PreviewState
from .training import BackgroundTrainer
from .watch import PollingWatcher

THEME_DIR = PACKAGE_DIR / "theme"


def _diagnostic_json(d) -> dict:
    where = f"{d.path}:{d.line or 1}:{d.col or 1}"
    return {"where": where, "severity": d.severity, "message": d.message, "text": str(d)}


def manifest_hashes(opts: BuildOptions) -> dict[str, str]:
    """Output file -> hash of its bytes, as the last build left them."""
    from ..site.output import Manifest
    entries = Manifest(opts.cache_dir / "manifest.json", opts.out).entries
    return {rel: str(e.get("hash", "")) for rel, e in entries.items()}


def forget_theme_caches() -> None:
    """The theme changed: drop what this warm process remembers about it (fingerprint, assets,
    Jinja environments), so every page is rebuilt with the new files."""
    from ..base.process_caches import reset
    from ..site import assets, pages  # noqa: F401  (importing them registers their caches)
    reset("code fingerprint", "assets", "jinja environments")


class Preview:
    """The preview: `start()` builds and serves, a thread watches and rebuilds, `stop()` ends all."""

    def __init__(self, opts: BuildOptions, host: str = "127.0.0.1", port: int = 8000,
                 log=None, verbose: bool = False, interval: float = 0.05):
        self.log = log or (lambda line: print(line, file=sys.stderr, flush=True))
        self.verbose, self.interval = verbose, interval
        self.host, self.port = host, port
        self.trainer = BackgroundTrainer(opts.cache_dir / "models", opts.content, opts.device, self.log)
        # Preview builds never train in the foreground (missing experiments go to the background
        # trainer) and keep the posts memo in memory (a 1000-post memo costs ~50 ms to write: once,
        # at stop).
        self.opts = dataclasses.replace(opts, save_post_memo=False, trainer=self.trainer)
        self.state = PreviewState()
        self.builds = 0
        self._stop = threading.Event()
        self._server: PreviewHTTPServer | None = None
        self._loop: threading.Thread | None = None
        self._http_thread: threading.Thread | None = None
        self._watcher: PollingWatcher | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "start() first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/"

    def start(self) -> str:
        # Bind first (a taken port fails at once), build before any thread exists (the first
        # build may fork page workers), then serve.
        server = self._server = PreviewHTTPServer((self.host, self.port), self.opts.out, self.state,
                                                  self._baseurl(), self.verbose)
        watcher = self._watcher = PollingWatcher([self.opts.content, THEME_DIR], interval=self.interval)
        self.rebuild(set())
        try:  # here, not in the watch thread: a Ctrl-C during start-up must not race a V8 start
            self._warm_up()
        except Exception:  # only an optimisation; the real build reports any problem
            pass
        self.opts.out.mkdir(parents=True, exist_ok=True)
        self._http_thread = serve_in_thread(server)[1]
        loop = self._loop = threading.Thread(target=self._watch, args=(watcher,), name="explainer-watch",
                                             daemon=True)
        loop.start()
        return self.url

    def _baseurl(self) -> str:
        from ..base.config import load_site_config, split_base_url
        from ..base.errors import Diagnostics
        if self.opts.base_url is not None:
            return split_base_url(self.opts.base_url)[1]
        return load_site_config(self.opts.content / "site.yml", Diagnostics()).baseurl

    def stop(self) -> None:
        self._stop.set()
        if self._loop is not None:
            self._loop.join(5)
        try:  # for the next `explainer build`: the posts this process has read
            from ..posts.post_memo import MEMO_FILE, save_memo
            save_memo(self.opts.cache_dir / MEMO_FILE, self.opts.content / "posts")
        except OSError:
            pass
        self.state.close()
        if self._server is not None:
            if self._http_thread is not None:  # shutdown() would wait forever for a loop never run
                self._server.shutdown()
            self._server.server_close()
        self.trainer.stop()

    def __enter__(self) -> "Preview":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _warm_up(self) -> None:
        """Build one page in this process and throw it away: the first real rebuild would otherwise
        pay, while the author waits, for what the first build did in worker processes (imports,
        Markdown parser, Pygments lexers, compiled templates; for SVG math, V8's start)."""
        from ..base.config import load_site_config
        from ..base.errors import Diagnostics
        from ..pipeline import bibliography_for
        from ..posts.read import find_posts, read_post
        from ..site.assets import collect_assets
        from ..site.pages import PageContext, PageJob, build_page

        site = load_site_config(self.opts.content / "site.yml", Diagnostics())
        ctx = PageContext(site=site, assets=collect_assets(site)[0], cache_dir=self.opts.cache_dir.resolve())
        for path in find_posts(self.opts.content / "posts")[:1]:
            post = read_post(path, Diagnostics())
            if post is not None:
                build_page(PageJob(post, "warm-up", bibliography_for(post, self.opts.content, None)), ctx)
        if site.math.mode == "svg":
            from ..posts.mathjax_engine import shared_engine
            shared_engine()
        # What is loaded now lives as long as the process: keep the collector from re-scanning it
        # in the middle of a rebuild (a full collection of it costs tens of milliseconds).
        gc.collect()
        gc.freeze()

    def _watch(self, watcher: PollingWatcher) -> None:
        while not self._stop.is_set():
            changed = watcher.poll()
            trained = self.trainer.collect()
            if changed or trained:
                self.rebuild(changed, "" if changed else "training finished")
            else:
                self._stop.wait(self.interval)

    def rebuild(self, changed: set[str], reason: str = "") -> None:
        """One incremental build; errors go to the terminal and every open page, never upward."""
        theme = str(THEME_DIR)
        if any(p.startswith(theme) for p in changed):
            forget_theme_caches()
        if any(p.endswith("site.yml") for p in changed) and self._server is not None:
            self._server.baseurl = self._baseurl()
        before = manifest_hashes(self.opts)
        start = time.perf_counter()
        # After the first build this process may hold a V8 context: never fork workers again.
        opts = self.opts if self.builds == 0 else dataclasses.replace(self.opts, jobs=1)
        self.builds += 1
        try:
            report = build(opts, log=self._log_training)
        except ContentError as e:
            return self._failed(e.diagnostics)
        except ExplainerError as e:
            return self._failed_text(str(e))
        except Exception as e:  # a bug, not the author's fault: keep serving, show where it is
            self.log(traceback.format_exc().rstrip())
            return self._failed_text(f"internal error: {type(e).__name__}: {e} (see the terminal)")
        after = manifest_hashes(self.opts)
        files = {rel for rel in before.keys() | after.keys() if before.get(rel) != after.get(rel)}
        self.state.publish(changed=files, errors=[])
        self._report(report, time.perf_counter() - start, changed, files, reason)

    def _log_training(self, line: str) -> None:
        if self.verbose or not line.startswith("cached"):
            self.log(line)

    def _failed(self, diagnostics) -> None:
        for d in diagnostics:
            self.log(str(d))
        errors = [_diagnostic_json(d) for d in diagnostics if d.severity == "error"]
        self.log(f"build failed: {len(errors)} error{'s' if len(errors) != 1 else ''}; "
                 "the browser shows them until the file is fixed")
        self.state.publish(errors=errors)

    def _failed_text(self, message: str) -> None:
        self.log(f"error: {message}")
        self.state.publish(errors=[{"where": "", "severity": "error", "message": message, "text": message}])

    def _report(self, report, seconds: float, changed: set[str], files: set[str], reason: str) -> None:
        sources = tuple(_short(p) for p in changed)
        for w in report.warnings:  # the edited files' warnings; all of them with -v
            if self.verbose or (sources and w.startswith(sources)):
                self.log(w)
        what = ", ".join(sorted(sources)[:3]) or reason or "first build"
        self.log(f"{what}: {report.pages_rendered} page{'s' if report.pages_rendered != 1 else ''} "
                 f"rebuilt, {report.pages_skipped} unchanged, {len(files)} file"
                 f"{'s' if len(files) != 1 else ''} changed in {seconds * 1000:.0f} ms")


def _short(path: str) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return path


def serve(opts: BuildOptions, host: str = "127.0.0.1", port: int = 8000, verbose: bool = False) -> int:
    """Run until Ctrl-C (or SIGTERM); then stop the watcher, the server and background training."""
    # A process started with SIGINT ignored (from a script's background job, or a parent that
    # ignores it) inherits that and would never stop on Ctrl-C: take both signals explicitly.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    preview = Preview(opts, host, port, verbose=verbose)
    try:
        try:
            url = preview.start()
        except OSError as e:
            raise ExplainerError(f"cannot listen on {host}:{port} ({e.strerror or e}); "
                                 "pick another port with --port, or 0 for any free one") from None
        print(f"serving {url} (Ctrl-C to stop); watching {opts.content}/ and the theme", file=sys.stderr,
              flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        print("stopping", file=sys.stderr, flush=True)
        # A clean stop takes well under a second. Should anything hang (a thread, V8 at interpreter
        # exit), print every thread's stack and exit anyway: Ctrl-C must always end the preview.
        faulthandler.dump_traceback_later(8, exit=True)
        preview.stop()
        from ..posts.math import close_engine
        close_engine()
        sys.stderr.flush()
        sys.stdout.flush()
        os._exit(0)  # everything is closed; skip the interpreter's own shutdown
    finally:
        preview.stop()
