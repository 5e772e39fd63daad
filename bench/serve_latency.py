"""Preview latency and memory: `explainer serve` on a generated 100-post site.

    python bench/serve_latency.py [--posts 100] [--edits 20] [--memory-edits 200] [--math svg]

Edit-to-reload latency: the time from writing a post to the moment the reloaded page's DOM holds the
new text in Chromium (`performance.timeOrigin + domContentLoadedEventEnd`, on the same clock as the
write), over `--edits` edits; median and worst. Then `--memory-edits` more edits, each waited for
in the server's log, with the preview process's resident memory sampled along the way.
"""

from __future__ import annotations

import argparse
import os
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
BUILD_MS: list[float] = []  # the server's own build time per edit, from its log
PAGE_MS: list[float] = []  # reload started -> DOMContentLoaded, in the browser
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


class Server:
    """`explainer serve` in its own process; its log lines arrive on a queue."""

    def __init__(self, work: Path):
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "explainer", "serve", "--port", "0", "--content", "content",
             "--out", "site", "--cache-dir", ".cache"], cwd=work, env=env,
            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.url = self.wait_for("serving").split()[1]

    def _read(self) -> None:
        for line in self.proc.stderr:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, word: str, timeout: float = 600) -> str:
        deadline = time.monotonic() + timeout
        while True:
            line = self.lines.get(timeout=max(0.1, deadline - time.monotonic()))
            if "error" in line and "0 errors" not in line:
                print("  server:", line, file=sys.stderr)
            if word in line:
                return line

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        self.proc.send_signal(2)  # Ctrl-C
        try:
            self.proc.wait(15)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def edit(path: Path, original: str, k: int) -> str:
    marker = f"Edited sentence number {k}."
    path.write_text(original.replace("## Conclusion", f"## Conclusion\n\n{marker}"))
    return marker


def browser_latencies(server: Server, target: Path, page_url: str, edits: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    original = target.read_text()
    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(page_url)
        for k in range(edits):
            page.wait_for_selector("html[data-preview=connected]", state="attached")
            time.sleep(0.2)  # an author does not type and save within a poll interval
            with page.expect_navigation():
                t0 = time.time() * 1000
                marker = edit(target, original, k)
            origin, dcl = page.evaluate("[performance.timeOrigin, "
                                        "performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd]")
            ready = origin + dcl
            PAGE_MS.append(dcl)
            assert marker in page.inner_text("body"), "the reloaded page lacks the edit"
            out.append(ready - t0)
            line = server.wait_for("rebuilt")
            BUILD_MS.append(float(line.rsplit(" in ", 1)[1].split()[0]))
        browser.close()
    return out


def memory_run(server: Server, target: Path, edits: int) -> list[tuple[int, float]]:
    original = target.read_text()
    samples = [(0, server.rss_mb())]
    for k in range(1, edits + 1):
        edit(target, original, 1000 + k)
        server.wait_for("rebuilt")
        if k % 50 == 0 or k == 1:
            samples.append((k, server.rss_mb()))
    return samples


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--posts", type=int, default=100)
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--memory-edits", type=int, default=200)
    ap.add_argument("--math", default="svg")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        paths = write_corpus(work / "content", args.posts, args.math)
        t = time.perf_counter()
        server = Server(work)
        print(f"{args.posts} posts, math={args.math}: first build and server up in "
              f"{time.perf_counter() - t:.1f} s", flush=True)
        try:
            target = paths[len(paths) // 2]
            slug = target.stem[11:]
            page_url = f"{server.url}blog/{target.stem[:4]}/{slug}/"
            lat = browser_latencies(server, target, page_url, args.edits)
            print(f"edit-to-reload over {len(lat)} edits: median {statistics.median(lat):.0f} ms, "
                  f"worst {max(lat):.0f} ms, best {min(lat):.0f} ms; of which the incremental build: "
                  f"median {statistics.median(BUILD_MS):.0f} ms, worst {max(BUILD_MS):.0f} ms; the browser's "
                  f"reload to DOMContentLoaded: median {statistics.median(PAGE_MS):.0f} ms", flush=True)
            print("  each edit (ms): " + " ".join(f"{x:.0f}" for x in lat), flush=True)
            samples = memory_run(server, target, args.memory_edits)
            print("preview RSS: " + ", ".join(f"{mb:.0f} MB after {k}" for k, mb in samples)
                  + f" edits (growth {samples[-1][1] - samples[1][1]:+.1f} MB from edit 1)", flush=True)
        finally:
            server.stop()


if __name__ == "__main__":
    main()
