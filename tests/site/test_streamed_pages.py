"""Pages are written into the spare tree as they are laid out, never all held in the build's memory,
and the site is still published in one step, only by a build that succeeds."""

from __future__ import annotations

import subprocess
import sys

import explainer.site.links as links
from explainer.site.atomic_site import spare_dir
from explainer.site.output import Written
from tests.conftest import REPO, write


def _posts(content, n, body="Some text."):
    for i in range(n):
        write(content / "posts" / f"2024-01-{i % 28 + 1:02d}-p{i}.md",
              f"---\ntitle: Post {i}\n---\n## Part\n\n{body} Number {i}. [Up](/)\n")


def _files(site):
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def check_pages_in_spare(results, outputs, out_dir, n):
    """At the link check (every page laid out, nothing published): the parent holds no page's HTML,
    the ledger holds hashes and stamps, and each page is on disk in the spare."""
    assert len(results) == n
    spare = spare_dir(out_dir)
    for r in results:
        assert r.html is None and r.pending is None
        rel = r.post.out_path
        assert isinstance(outputs.files[rel], Written)
        page = (spare / rel).read_text(encoding="utf-8")
        assert f"Post {r.post.path.stem.rsplit('-p', 1)[1]}<" in page
        assert outputs.files[rel].size == len(page.encode("utf-8"))
    assert not (out_dir / "index.html").exists()  # nothing published yet


# Page workers are forked, and the test process may hold JAX's threads by now (forking it warns, and
# could deadlock): builds with workers run in a fresh process.
CHECK_SCRIPT = """
import sys
sys.path.insert(0, {repo!r})
from pathlib import Path
import explainer.site.links as links
from explainer.pipeline import BuildOptions, build
from tests.site.test_streamed_pages import check_pages_in_spare
real, seen = links.check_built_links, []
def wrapped(results, posts, outputs, out_dir, *rest):
    check_pages_in_spare(results, outputs, out_dir, {n})
    seen.append(1)
    return real(results, posts, outputs, out_dir, *rest)
links.check_built_links = wrapped
build(BuildOptions(content=Path({content!r}), out=Path({out!r}), cache_dir=Path({cache!r}), jobs=2),
      log=lambda _: None)
assert seen == [1]
"""


def _cli_build(content, out, cache, jobs=2, check=True):
    return subprocess.run([sys.executable, "-m", "explainer", "build", "-q", "--content", str(content),
                           "--out", str(out), "--cache-dir", str(cache), "--jobs", str(jobs)],
                          cwd=REPO, capture_output=True, text=True, check=check)


def test_pages_are_on_disk_in_the_spare_and_not_in_memory_before_the_build_ends(
        content, build_site, tmp_path, monkeypatch):
    n = 20
    _posts(content, n)
    seen = []
    real = links.check_built_links

    def wrapped(results, posts, outputs, out_dir, *rest):
        check_pages_in_spare(results, outputs, out_dir, n)
        seen.append(1)
        return real(results, posts, outputs, out_dir, *rest)
    monkeypatch.setattr(links, "check_built_links", wrapped)
    report = build_site(content, jobs=1)
    assert seen == [1]
    assert report.files["written"] == len(_files(tmp_path / "site"))


def test_page_workers_write_their_pages_and_send_back_no_html(content, tmp_path):
    n = 20  # enough for page workers (site/page_pool.py)
    _posts(content, n)
    script = CHECK_SCRIPT.format(repo=str(REPO), n=n, content=str(content), out=str(tmp_path / "site"),
                                 cache=str(tmp_path / ".cache"))
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]


def test_page_workers_build_the_same_site_as_one_process(content, build_site, tmp_path):
    """Pages written by forked workers, a dead link marked after the fact: the published site is
    byte for byte the one a single process builds."""
    _posts(content, 20)
    write(content / "posts" / "2024-02-01-dead.md", "---\ntitle: Dead\n---\nSee [gone](/blog/2030/gone/).\n")
    build_site(content, jobs=1)
    _cli_build(content, tmp_path / "site2", tmp_path / ".cache2")
    one, two = _files(tmp_path / "site"), _files(tmp_path / "site2")
    assert one == two
    assert b"broken-link" in two["blog/2024/dead/index.html"]


def test_a_failing_build_publishes_nothing_and_clears_what_it_wrote(content, build_site, tmp_path):
    """The failing build has page workers write its pages into the spare, then stops at the error."""
    site, cache = tmp_path / "site", tmp_path / ".cache"
    _posts(content, 20)
    build_site(content)
    before = _files(site)
    _posts(content, 20, body="New text.")
    write(content / "posts" / "2024-03-01-bad.md", "---\ntitle: Bad\ndate: not a date\n---\nX\n")
    failed = _cli_build(content, site, cache, check=False)
    assert failed.returncode != 0 and "error" in failed.stderr
    assert _files(site) == before
    assert not any(b"New text." in p.read_bytes() for p in spare_dir(site).rglob("*.html"))  # abandoned
    (content / "posts" / "2024-03-01-bad.md").unlink()
    build_site(content)
    assert b"New text." in (site / "blog/2024/p3/index.html").read_bytes()


def test_an_unchanged_rebuild_writes_nothing_even_when_pages_are_rebuilt(content, build_site, tmp_path):
    """A page rebuilt to the very bytes the site holds is linked, not written (same inode)."""
    _posts(content, 3)
    build_site(content)
    site = tmp_path / "site"
    inode = (site / "blog/2024/p1/index.html").stat().st_ino
    for post in (content / "posts").iterdir():  # a new source (so rebuilt) that renders the same page
        post.write_text(post.read_text() + "\n\n")
    report = build_site(content)
    assert report.pages_rendered == 3
    assert report.files["written"] == 0
    assert (site / "blog/2024/p1/index.html").stat().st_ino == inode
