"""How fast is build-time math, and how heavy is it? Prints numbers; asserts nothing.

    python bench/math_speed.py [--formulas 10000] [--posts 300]

Measures V8 start-up, ms per formula cold (fresh engine, no cache) and warm (page served from the
on-disk cache), RSS while typesetting many formulas (it should level off), and the bytes a
20-formula page adds (raw and gzipped). Formulas come from tests/posts/math_corpus.txt.

Then the pages of the build benchmark's generated posts (bench/corpus.py) as a build worker sees
them, CPU ms per formula: as the build does it (one call into V8 per page, recurring context-free
formulas from the memo), without the memo, and the reference, one call into V8 per formula (how
pages were typeset before), measured in the same run.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from explainer.base.errors import Diagnostics  # noqa: E402
from explainer.posts import mathjax_engine as mj  # noqa: E402
from explainer.posts.math import render_page_math  # noqa: E402
from explainer.posts.math_memo import FormulaMemo  # noqa: E402


def corpus():
    path = ROOT / "tests" / "posts" / "test_math_corpus.py"
    spec = importlib.util.spec_from_file_location("math_corpus", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.load_corpus(module.CORPUS)


def corpus_pages(n: int) -> list[list]:
    """The math items of the first `n` posts of bench/corpus.py, parsed as a build parses them."""
    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import post_text

    from explainer.base.config import SiteConfig
    from explainer.posts.markdown import render_markdown
    from explainer.posts.parsed import new_page
    from explainer.posts.read import read_post
    pages = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(n):
            path = Path(tmp) / f"2020-01-01-note-{i}.md"
            path.write_text(post_text(i))
            post = read_post(path, Diagnostics())
            parse = new_page(path, post.body_line, SiteConfig(), None, Diagnostics())
            render_markdown(post.body, parse)
            pages.append(parse.math)
    return pages


class NoMemo(FormulaMemo):
    def offer(self, key, rendered) -> None:
        pass


def per_formula_calls(pages) -> None:
    """The reference: every formula its own call into V8, as pages were typeset before."""
    engine = mj.shared_engine()
    for items in pages:
        engine.begin_page({})
        for item in items:
            engine.render(item.tex, item.display)


def stream_cpu_ms(pages, how: str) -> float:
    """CPU ms per formula over `pages` in a fresh engine (start-up not counted)."""
    mj.close_engine()
    engine = mj.shared_engine()
    if how == "no memo":
        engine.memo = NoMemo()
    t = time.process_time()  # V8 runs on a thread of this process: process time counts it
    if how == "per formula":
        per_formula_calls(pages)
    else:
        for items in pages:
            render(items)
    elapsed = time.process_time() - t
    mj.close_engine()
    return elapsed * 1000 / sum(map(len, pages))


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def render(items, cache_dir=None):
    diag = Diagnostics()
    page = render_page_math(items, mode="svg", macros={}, path="bench.md", diag=diag, cache_dir=cache_dir)
    assert not diag.errors, diag.errors
    return page


def startup_seconds(runs: int = 3) -> list[float]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        mj.MathJaxEngine().close()
        times.append(time.perf_counter() - t)
    return times


def cold_ms_per_formula(items) -> tuple[float, float]:
    """First page in a fresh engine (JIT still cold), then the same page again (JIT warm)."""
    mj.close_engine()
    mj.shared_engine()  # start-up is measured on its own
    t = time.perf_counter()
    render(items)
    first = (time.perf_counter() - t) * 1000 / len(items)
    t = time.perf_counter()
    render(items)
    again = (time.perf_counter() - t) * 1000 / len(items)
    return first, again


def warm_ms_per_formula(items, repeats: int = 200) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        render(items, Path(tmp))
        mj.close_engine()
        t = time.perf_counter()
        for _ in range(repeats):
            render(items, Path(tmp))
        elapsed = time.perf_counter() - t
        assert not mj.engine_running(), "a cache hit started V8"
    return elapsed * 1000 / (repeats * len(items))


def memory_curve(items, total: int) -> list[tuple[int, float]]:
    mj.close_engine()
    mj.shared_engine().memo = NoMemo()  # typeset every time: the curve is about V8
    points, done, next_report = [], 0, 1000
    while done < total:
        render(items)
        done += len(items)
        if done >= next_report:
            points.append((done, rss_mb()))
            next_report += 1000
    return points


def page_bytes(items) -> tuple[int, int]:
    page = render(items)
    text = ("\n".join(page.html) + page.defs).encode("utf-8")
    return len(text), len(gzip.compress(text, 9))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--formulas", type=int, default=10_000)
    parser.add_argument("--posts", type=int, default=300, help="generated posts for the page stream")
    args = parser.parse_args()
    items = corpus()
    print(f"MathJax {mj.mathjax_version()}, {len(items)} corpus formulas, RSS at start {rss_mb():.0f} MB")
    starts = startup_seconds()
    print(f"V8 start-up (context + MathJax components): {', '.join(f'{s * 1000:.0f}' for s in starts)} ms")
    first, again = cold_ms_per_formula(items)
    print(f"cold, fresh engine, no cache: {first:.2f} ms/formula (first page); "
          f"{again:.2f} ms/formula (same engine, next page)")
    print(f"warm, page from cache: {warm_ms_per_formula(items):.4f} ms/formula")
    raw, gz = page_bytes(items[:20])
    print(f"20-formula page: {raw / 1024:.1f} KB raw, {gz / 1024:.1f} KB gzipped (html + defs)")
    curve = memory_curve(items, args.formulas)
    print("RSS while typesetting: " + ", ".join(f"{n}: {mb:.0f} MB" for n, mb in curve))
    tail = [mb for _, mb in curve[len(curve) // 2:]]
    print(f"second half of the run: RSS {min(tail):.0f}-{max(tail):.0f} MB (median {statistics.median(tail):.0f})")
    mj.close_engine()
    pages = corpus_pages(args.posts)
    runs: dict[str, list[float]] = {"build": [], "no memo": [], "per formula": []}
    for _ in range(3):  # interleaved, so machine load hits all alike; medians printed
        for how in runs:
            runs[how].append(stream_cpu_ms(pages, how))
    ours, ref = statistics.median(runs["build"]), statistics.median(runs["per formula"])
    print(f"bench corpus, {args.posts} posts, {sum(map(len, pages))} formulas, CPU ms/formula (median of 3): "
          f"as built {ours:.3f}; without the memo {statistics.median(runs['no memo']):.3f}; "
          f"one V8 call per formula (reference) {ref:.3f}; ratio {ours / ref:.2f}")


if __name__ == "__main__":
    main()
