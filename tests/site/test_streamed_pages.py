"""Pages are written into the spare tree as they are laid out, never all held in the build's memory,
and the site is still published in one step, only by a build that succeeds."""

from __future__ import annotations

import pytest

import explainer.site.links as links
from explainer.base.errors import ContentError
from explainer.site.atomic_site import spare_dir
from explainer.site.output import Written
from tests.conftest import write


def _posts(content, n, body="Some text."):
    for i in range(n):
        write(content / "posts" / f"2024-01-{i % 28 + 1:02d}-p{i}.md",
              f"---\ntitle: Post {i}\n---\n## Part\n\n{body} Number {i}. [Up](/)\n")


def _files(site):
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture
def at_link_check(monkeypatch):
    """Runs `inspect(results, outputs, out_dir)` when the build reaches its link check: after every
    page is laid out, before anything is published."""
    seen = []

    def install(inspect):
        real = links.check_built_links

        def wrapped(results, posts, outputs, out_dir, *rest):
            inspect(results, outputs, out_dir)
            seen.append(len(results))
            return real(results, posts, outputs, out_dir, *rest)
        monkeypatch.setattr(links, "check_built_links", wrapped)
        return seen
    return install


@pytest.mark.parametrize("jobs", [1, 2])  # in this process, and in forked page workers
def test_pages_are_on_disk_in_the_spare_and_not_in_memory_before_the_build_ends(
        content, build_site, tmp_path, at_link_check, jobs):
    n = 20  # enough for page workers (site/page_pool.py)
    _posts(content, n)

    def inspect(results, outputs, out_dir):
        assert len(results) == n
        spare = spare_dir(out_dir)
        for r in results:
            assert r.html is None and r.pending is None  # the parent holds no page's HTML
            rel = r.post.out_path
            assert isinstance(outputs.files[rel], Written)  # the ledger: hash and stamp, no bytes
            page = (spare / rel).read_text(encoding="utf-8")
            assert f"Post {r.post.path.stem[12:].lstrip('p')}" in page
            assert outputs.files[rel].size == len(page.encode("utf-8"))
        assert not (out_dir / "index.html").exists()  # nothing published yet
    seen = at_link_check(inspect)
    report = build_site(content, jobs=jobs)
    assert seen == [n]
    assert report.files["written"] == len(_files(tmp_path / "site"))


def test_page_workers_build_the_same_site_as_one_process(content, tmp_path):
    """Pages written by forked workers, a dead link marked after the fact, figure-free and kept pages:
    the published site is byte for byte the one a single process builds."""
    from explainer.pipeline import BuildOptions, build

    _posts(content, 20)
    write(content / "posts" / "2024-02-01-dead.md", "---\ntitle: Dead\n---\nSee [gone](/blog/2030/gone/).\n")
    sites = {}
    for jobs in (1, 2):
        out = tmp_path / f"site{jobs}"
        opts = BuildOptions(content=content, out=out, cache_dir=tmp_path / f".cache{jobs}", jobs=jobs)
        build(opts, log=lambda _: None)
        sites[jobs] = _files(out)
    assert sites[1] == sites[2]
    assert b"broken-link" in sites[2]["blog/2024/dead/index.html"]


def test_a_failing_build_publishes_nothing_and_clears_what_it_wrote(content, build_site, tmp_path):
    _posts(content, 20)
    build_site(content, jobs=2)
    site = tmp_path / "site"
    before = _files(site)
    _posts(content, 20, body="New text.")
    write(content / "posts" / "2024-03-01-bad.md", "---\ntitle: Bad\ndate: not a date\n---\nX\n")
    with pytest.raises(ContentError):
        build_site(content, jobs=2)
    assert _files(site) == before
    spare = spare_dir(site)
    assert not any(b"New text." in p.read_bytes() for p in spare.rglob("*.html"))  # abandoned
    (content / "posts" / "2024-03-01-bad.md").unlink()
    build_site(content, jobs=2)
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
