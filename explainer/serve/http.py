"""The preview server's HTTP side: static files from the output folder, the reload script, and a
server-sent-events stream that tells open pages when to reload or show an error overlay.

Safety rules, because a preview server listens on a socket:
- only files under the output folder are served: `..` segments (encoded or not), backslashes, NUL,
  dot-files (the writer's `.tmp-*` files among them) and symlinks that lead outside give 404;
- only GET and HEAD are answered, every other method gets 405;
- a file is read whole before it is sent, and the build writes files atomically, so a response never
  holds half a file;
- only requests whose `Host` is localhost, an IP address or the bound host are answered: a web page
  elsewhere cannot reach the preview through a DNS name rebound to 127.0.0.1 (DNS rebinding);
- a connection that sends nothing for CONNECTION_TIMEOUT_S is closed, at most MAX_WORKERS requests
  are handled at once (the rest wait in a listen backlog of LISTEN_BACKLOG, not dropped), so slow
  or many clients cannot pile up threads without bound.
"""

from __future__ import annotations

import ipaddress
import json
import mimetypes
import os
import re
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from .state import PreviewState

PREFIX = "/__explainer/"  # the preview's own URLs; never a file of the site
RELOAD_JS = Path(__file__).resolve().parent.parent / "theme" / "preview" / "reload.js"  # preview only: not a site asset
_HEARTBEAT_S = 15.0
CONNECTION_TIMEOUT_S = 10.0  # per read or write; event streams write a heartbeat every _HEARTBEAT_S
MAX_WORKERS = 128  # every open page holds one for its event stream
LISTEN_BACKLOG = 1024  # the kernel caps it at net.core.somaxconn
_LOCAL_NAMES = {"localhost", "127.0.0.1", "::1"}
_HASHED_RE = re.compile(r"\.[0-9a-f]{10}\.")  # assets.hashed_name(): `site.3f2a1b9c04.css`
_TYPES = {".js": "text/javascript", ".mjs": "text/javascript", ".json": "application/json",
          ".svg": "image/svg+xml", ".xml": "application/xml", ".wasm": "application/wasm"}


@dataclass(frozen=True)
class Resolved:
    """What a request path names: a file to send, a redirect (directory without its slash), or
    nothing (None is used for 'not found')."""

    file: Path | None = None
    redirect: str | None = None


def resolve_path(root: Path, target: str, baseurl: str = "") -> Resolved | None:
    """Map a request target to a file under `root`, or None (404). Never normalises `..` away:
    a path that tries to climb is refused, whatever it would have climbed to."""
    path = target.split("#", 1)[0]
    path, _, query = path.partition("?")
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", path):  # absolute-form request target
        path = "/" + path.split("://", 1)[1].partition("/")[2]
    decoded = unquote(path, errors="strict") if "%" in path else path
    if "\x00" in decoded or "\\" in decoded or not decoded.startswith("/"):
        return None
    if baseurl and (decoded == baseurl or decoded.startswith(baseurl + "/")):
        decoded = decoded[len(baseurl):] or "/"
    segments = [s for s in decoded.split("/") if s]
    if any(s == ".." or s.startswith(".") for s in segments):
        return None
    root_real = root.resolve()
    real = root_real.joinpath(*segments).resolve()
    if not real.is_relative_to(root_real):
        return None  # a symlink that leads outside the output folder
    if real.is_dir():
        if not decoded.endswith("/"):  # page-relative URLs need the slash
            return Resolved(redirect=path + "/" + (f"?{query}" if query else ""))
        real = (real / "index.html").resolve()
        if not real.is_relative_to(root_real):
            return None
    return Resolved(file=real) if real.is_file() else None


def site_rel(root: Path, file: Path) -> str:
    return file.relative_to(root.resolve()).as_posix()


def inject_script(html: bytes, build: int) -> bytes:
    """Add the reload script to an HTML page as it is sent; the file on disk stays as built."""
    tag = (f'<script src="{PREFIX}reload.js" data-build="{build}" defer></script>').encode()
    m = re.search(rb"</head\s*>", html, re.I)
    if m:
        return html[:m.start()] + tag + html[m.start():]
    return tag + html


def cache_control(path: Path) -> str:
    """Pages are never cached (they carry the build number); content-hashed assets never change
    under their name (plotly.js alone is megabytes: not refetched on every reload); anything else
    is revalidated with its ETag."""
    if path.suffix == ".html":
        return "no-store"
    if _HASHED_RE.search(path.name):
        return "max-age=31536000, immutable"
    return "no-cache"


def content_type(path: Path) -> str:
    kind = _TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/json", "application/xml", "image/svg+xml"):
        kind += "; charset=utf-8"
    return kind


class PreviewHandler(BaseHTTPRequestHandler):
    """One request. The server object carries `root`, `baseurl`, `state` and `verbose`."""

    protocol_version = "HTTP/1.1"
    server_version = "explainer-preview"
    # Headers and body go out in two writes; with Nagle's algorithm the second waits for the
    # client's delayed ACK (~40 ms per response on a kept-alive connection).
    disable_nagle_algorithm = True

    timeout = CONNECTION_TIMEOUT_S  # StreamRequestHandler sets it on the socket

    def do_GET(self) -> None:
        if self._host_allowed(True):
            self._respond(body=True)

    def do_HEAD(self) -> None:
        if self._host_allowed(False):
            self._respond(body=False)

    def _host_allowed(self, body: bool) -> bool:
        if host_allowed(self.headers.get("Host"), str(self.server.server_address[0])):
            return True
        self._send(403, b"403: this preview server only answers requests for localhost\n",
                   "text/plain; charset=utf-8", body)
        self.close_connection = True
        return False

    def __getattr__(self, name: str):
        # http.server answers an unknown method with 501; a read-only server says 405 instead.
        if name.startswith("do_"):
            return self._not_allowed
        raise AttributeError(name)

    def _not_allowed(self) -> None:
        self._send(405, b"405: this preview server only answers GET and HEAD\n", "text/plain; charset=utf-8",
                   True, extra={"Allow": "GET, HEAD"})

    def log_message(self, format: str, *args) -> None:
        if self.server.verbose:
            super().log_message(format, *args)

    def _respond(self, body: bool) -> None:
        if self.path.startswith(PREFIX):
            return self._own_url(body)
        root: Path = self.server.root
        try:
            found = resolve_path(root, self.path, self.server.baseurl)
        except UnicodeDecodeError:
            found = None
        if found is not None and found.redirect:
            return self._send(301, b"", "text/plain", body, extra={"Location": found.redirect})
        if found is None:
            return self._not_found(body)
        self._send_file(found.file, 200, body)

    def _not_found(self, body: bool) -> None:
        page = self.server.root.resolve() / "404.html"
        if page.is_file():
            return self._send_file(page, 404, body)
        # No site yet (the first build failed): a bare page that still gets the reload script, so
        # the error overlay shows and the page reloads once a build succeeds.
        page = b"<!DOCTYPE html><html><head><meta charset=utf-8><title>404</title></head>" \
               b"<body><p>404: not found (yet).</p></body></html>"
        self._send(404, inject_script(page, self.server.state.build), "text/html; charset=utf-8", body)

    def _send_file(self, file: Path, code: int, body: bool) -> None:
        try:
            with open(file, "rb") as f:  # the build replaces files atomically: this one stays whole
                st = os.fstat(f.fileno())
                tag = f'"{st.st_ino:x}-{st.st_mtime_ns:x}-{st.st_size:x}"'
                cache = cache_control(file)
                if code == 200 and cache != "no-store" and self.headers.get("If-None-Match") == tag:
                    return self._send(304, b"", content_type(file), False, cache, {"ETag": tag})
                data = f.read()
        except OSError:
            return self._send(404, b"404: not found\n", "text/plain; charset=utf-8", body)
        if file.suffix == ".html":
            data = inject_script(data, self.server.state.build)
        self._send(code, data, content_type(file), body, cache, {"ETag": tag})

    def _send(self, code: int, data: bytes, kind: str, body: bool, cache: str = "no-store",
              extra: dict | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        if code != 304:  # a 304's length would be the cached file's, not zero
            self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", cache)
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if body and data:
            self.wfile.write(data)

    def _own_url(self, body: bool) -> None:
        name = urlsplit(self.path).path[len(PREFIX):]
        if name == "reload.js":
            return self._send_file(RELOAD_JS, 200, body)
        if name == "events":
            return self._events(body)
        self._send(404, b"404: not found\n", "text/plain; charset=utf-8", body)

    def _events(self, body: bool) -> None:
        """Server-sent events for one open page: `reload` when its file changed since the build it
        was served from, `errors` whenever the list of build errors changes."""
        query = parse_qs(urlsplit(self.path).query)
        since = _int(query.get("since", ["0"])[0])
        page = self._page_of(query.get("path", ["/"])[0])
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        if body:
            EventStream(self.server.state, self.wfile, page, since).run()

    def _page_of(self, path: str) -> str | None:
        try:
            found = resolve_path(self.server.root, path, self.server.baseurl)
        except UnicodeDecodeError:
            found = None
        if found is None or found.file is None:
            return "404.html"
        return site_rel(self.server.root, found.file)


def _int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        return 0


class EventStream:
    """Feeds one page's event stream until the client goes away or the server stops."""

    def __init__(self, state: PreviewState, out, page: str | None, since: int):
        self.state, self.out, self.page, self.since = state, out, page, since
        self.errors_seen = -1

    def run(self) -> None:
        try:
            self._write("retry: 1000\n\n")
            seen = -1
            while True:
                snap = self.state.wait_for_change(seen, _HEARTBEAT_S)
                if snap is None:
                    return  # server stopping
                if snap.version == seen:
                    self._write(": ping\n\n")  # finds clients that went away
                    continue
                seen = snap.version
                self._push(snap)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, ValueError, OSError):
            return

    def _push(self, snap) -> None:
        if snap.errors_version != self.errors_seen:
            self.errors_seen = snap.errors_version
            self._send("errors", {"errors": snap.errors})
        if self.page is not None and snap.changed_at.get(self.page, 0) > self.since:
            self.since = snap.build
            self._send("reload", {"build": snap.build})

    def _send(self, event: str, data: dict) -> None:
        self._write(f"event: {event}\ndata: {json.dumps(data)}\n\n")

    def _write(self, text: str) -> None:
        self.out.write(text.encode("utf-8"))
        self.out.flush()


def host_allowed(header: str | None, bound: str) -> bool:
    """The `Host` names this machine: localhost, an IP literal (no DNS involved) or the bound host."""
    if not header:
        return False
    host = header.strip().lower()
    if host.startswith("["):  # [::1]:8000
        host = host[1:host.find("]")] if "]" in host else ""
    elif host.count(":") == 1:
        host = host.split(":", 1)[0]
    if host in _LOCAL_NAMES or host == str(bound).lower():
        return True
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


class PreviewHTTPServer(ThreadingHTTPServer):
    daemon_threads = True  # open event streams never keep the process alive
    allow_reuse_address = True
    request_queue_size = LISTEN_BACKLOG  # 5 by default: 200 parallel clients saw dropped connections

    def __init__(self, address, root: Path, state: PreviewState, baseurl: str = "", verbose: bool = False):
        self.root, self.state, self.baseurl, self.verbose = root, state, baseurl, verbose
        self._workers = threading.BoundedSemaphore(MAX_WORKERS)
        self._closing = threading.Event()
        super().__init__(address, PreviewHandler)

    def process_request(self, request, client_address) -> None:
        """Wait for a free worker before starting a thread; meanwhile new connections queue in the
        listen backlog. Checks for shutdown while it waits, so stopping never hangs here."""
        while not self._workers.acquire(timeout=0.2):
            if self._closing.is_set():
                self.shutdown_request(request)
                return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._workers.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._workers.release()

    def shutdown(self) -> None:
        self._closing.set()
        super().shutdown()

    def server_close(self) -> None:
        self._closing.set()
        super().server_close()

    def handle_error(self, request, client_address) -> None:
        if self.verbose:
            super().handle_error(request, client_address)


def start_http(host: str, port: int, root: Path, state: PreviewState, baseurl: str = "",
               verbose: bool = False) -> tuple[PreviewHTTPServer, threading.Thread]:
    return serve_in_thread(PreviewHTTPServer((host, port), root, state, baseurl, verbose))


def serve_in_thread(server: PreviewHTTPServer) -> tuple[PreviewHTTPServer, threading.Thread]:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1},
                              name="explainer-http", daemon=True)
    thread.start()
    return server, thread
