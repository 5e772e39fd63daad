"""What a reader's browser pays for each page of a built site. Prints numbers; asserts nothing.

    python bench/page_weight.py [SITE_DIR] [--width 1280] [--runs 1] [--budget-kb 1536] [--fcp-ms 400]

Serves SITE_DIR (default: site/) and opens every HTML page in Debian's Chromium (no CPU throttling),
then scrolls it to the end a screen at a time. Per page: bytes transferred at load and after the
scroll (what the server sent, headers excluded), first contentful paint, and, from the Long Tasks
API, the longest main-thread task and the total blocking time (the part of each task over 50 ms)
from load to the end of the scroll, and separately while scrolling.

First, from the files alone, per page: the HTML's bytes, the part of them that is figure and model
data (the JSON inside `<script type="application/json">`: live models' weights, chart data), the
page's own figure files (`figures/*.png` beside it) and their sum, "own": everything the page does
not share with other pages (plotly.js, live.js, CSS and fonts are shared and listed apart). Pages
whose own bytes or first contentful paint exceed the targets are marked.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import re
import statistics
import threading
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"

# Installed before any script of the page runs: long tasks are recorded from the very start.
_OBSERVE = """
window.__longTasks = [];
new PerformanceObserver(function (list) {
  list.getEntries().forEach(function (e) { window.__longTasks.push([e.startTime, e.duration]); });
}).observe({type: 'longtask', buffered: true});
"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}/"


_JSON_RE = re.compile(rb'<script type="application/json"[^>]*>(.*?)</script>', re.S)


def static_sizes(site: Path, rel: str) -> dict:
    """KB of a page's HTML, of the data inside it, of its own figure files, and their total."""
    html = (site / rel).read_bytes()
    figures = site / Path(rel).parent / "figures"
    figure_bytes = sum(f.stat().st_size for f in figures.iterdir() if f.is_file()) if figures.is_dir() else 0
    return {"html_kb": len(html) / 1024, "data_kb": sum(len(m) for m in _JSON_RE.findall(html)) / 1024,
            "figures_kb": figure_bytes / 1024, "own_kb": (len(html) + figure_bytes) / 1024}


def shared_assets(site: Path) -> list[tuple[str, float]]:
    """(name, KB) of the files every page may share: site/assets/*."""
    assets = site / "assets"
    return sorted(((f.relative_to(site).as_posix(), f.stat().st_size / 1024) for f in assets.rglob("*")
                   if f.is_file()), key=lambda t: -t[1]) if assets.is_dir() else []


def _blocking(tasks: list, since: float) -> tuple[float, float]:
    """(longest task, total blocking time) in ms over the tasks that started after `since`."""
    durations = [d for start, d in tasks if start >= since]
    return (max(durations, default=0.0), sum(max(0.0, d - 50) for d in durations))


def measure(context, url: str) -> dict:
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    received = {"bytes": 0}
    def finished(event):
        received["bytes"] += event["encodedDataLength"]
    cdp.on("Network.loadingFinished", finished)
    page.add_init_script(_OBSERVE)
    page.goto(url, wait_until="load")
    page.wait_for_timeout(1500)  # what the page fetches right after load (idle-time work) counts as load
    at_load = received["bytes"]
    fcp = page.evaluate("(performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime || 0")
    scroll_start = page.evaluate("performance.now()")
    height = page.evaluate("document.documentElement.scrollHeight")
    step = page.evaluate("innerHeight")
    y = 0
    while y < height:
        y += step
        page.mouse.wheel(0, step)
        page.wait_for_timeout(300)
        height = page.evaluate("document.documentElement.scrollHeight")
    page.wait_for_timeout(2500)  # charts that arrived at the end finish drawing
    tasks = page.evaluate("window.__longTasks")
    longest_all, tbt_all = _blocking(tasks, 0)
    longest_scroll, tbt_scroll = _blocking(tasks, scroll_start)
    out = {"load_kb": at_load / 1024, "scrolled_kb": received["bytes"] / 1024, "fcp_ms": fcp,
           "longest_ms": longest_all, "tbt_ms": tbt_all, "longest_scroll_ms": longest_scroll,
           "tbt_scroll_ms": tbt_scroll}
    page.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", default="site", type=Path)
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--runs", type=int, default=1, help="median of this many loads per page")
    parser.add_argument("--budget-kb", type=float, default=1536, help="target for a page's own bytes")
    parser.add_argument("--fcp-ms", type=float, default=400, help="target for first contentful paint")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    pages = sorted(p.relative_to(args.site).as_posix() for p in args.site.rglob("*.html"))
    sizes = {rel: static_sizes(args.site, rel) for rel in pages}
    print(f"{'page':52} {'html_kb':>9} {'data_kb':>9} {'figures_kb':>11} {'own_kb':>9}")
    for rel in pages:
        z = sizes[rel]
        mark = "  over budget" if z["own_kb"] > args.budget_kb else ""
        print(f"{rel[:52]:52} {z['html_kb']:9.1f} {z['data_kb']:9.1f} {z['figures_kb']:11.1f} {z['own_kb']:9.1f}{mark}")
    print("shared: " + ", ".join(f"{name} {kb:.1f} KB" for name, kb in shared_assets(args.site)[:6]))
    print()
    httpd, base = _serve(args.site)
    cols = ("load_kb", "scrolled_kb", "fcp_ms", "longest_ms", "tbt_ms", "longest_scroll_ms", "tbt_scroll_ms")
    print(f"{'page':52} " + " ".join(f"{c:>17}" for c in cols))
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            for rel in pages:
                runs = []
                for _ in range(args.runs):
                    context = browser.new_context(viewport={"width": args.width, "height": 900})
                    runs.append(measure(context, base + rel))
                    context.close()
                row = {c: statistics.median(r[c] for r in runs) for c in cols}
                mark = "  FCP over target" if row["fcp_ms"] > args.fcp_ms else ""
                print(f"{rel[:52]:52} " + " ".join(f"{row[c]:17.1f}" for c in cols) + mark)
            browser.close()
    finally:
        httpd.shutdown()


if __name__ == "__main__":
    main()
