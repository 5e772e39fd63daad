"""The site is replaced in one step, repairs itself, is world-readable, and one build runs at a time."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
import time

import pytest

from explainer.base.errors import ExplainerError
from explainer.site.atomic_site import StagedSite, recover
from explainer.site.build_lock import build_lock
from tests.conftest import REPO, write


def _post(content, name="2024-01-01-a", title="A", body="Hello."):
    write(content / "posts" / f"{name}.md", f"---\ntitle: {title}\n---\n{body}\n")


def _files(site):
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_outputs_are_world_readable(content, build_site, tmp_path):
    _post(content)
    old = os.umask(0o077)  # even with a strict umask: a web server running as another user reads the site
    try:
        build_site(content)
    finally:
        os.umask(old)
    site = tmp_path / "site"
    for p in [site, *site.rglob("*")]:
        mode = stat.S_IMODE(p.stat().st_mode)
        assert mode == (0o755 if p.is_dir() else 0o644), (p, oct(mode))


def test_hand_edited_or_deleted_output_is_repaired(content, build_site, tmp_path):
    _post(content)
    build_site(content)
    site = tmp_path / "site"
    good = _files(site)
    (site / "index.html").write_text("x")
    (site / "blog/2024/a/index.html").unlink()
    (site / "stray.html").write_text("left by someone")
    (site / ".tmp-abc.html").write_text("left by a killed build of an older version")
    report = build_site(content)
    assert _files(site) == good
    assert report.files["written"] == 2


def test_unchanged_rebuild_keeps_the_same_files(content, build_site, tmp_path):
    """No change: nothing is written, the folder is not even swapped (same inodes)."""
    _post(content)
    build_site(content)
    site = tmp_path / "site"
    inode = (site / "index.html").stat().st_ino
    report = build_site(content)
    assert report.files["written"] == 0 and (site / "index.html").stat().st_ino == inode


def test_one_changed_page_hard_links_the_rest(content, build_site, tmp_path):
    _post(content)
    _post(content, "2024-01-02-b", "B")
    build_site(content)
    site = tmp_path / "site"
    kept = site / "blog/2024/a/index.html"
    inode = kept.stat().st_ino
    _post(content, "2024-01-02-b", "B", "Changed.")
    build_site(content)
    assert kept.stat().st_ino == inode  # carried over by a hard link, not copied
    assert b"Changed." in (site / "blog/2024/b/index.html").read_bytes()
    assert not [p for p in tmp_path.iterdir() if ".staging-" in p.name or ".old-" in p.name]


def test_leftovers_of_a_killed_build_are_cleaned_and_a_missing_site_restored(tmp_path):
    out = tmp_path / "site"
    (tmp_path / ".site.staging-123-ab").mkdir()
    (tmp_path / ".site.staging-123-ab" / "index.html").write_text("half")
    old = tmp_path / ".site.old-124-cd"
    old.mkdir()
    (old / "index.html").write_text("whole old site")
    done = recover(out)
    assert (out / "index.html").read_text() == "whole old site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert len(done) == 2


def test_publish_swaps_whole_trees(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / "a.html").write_text("old a")
    (out / "gone.html").write_text("old only")
    stage = StagedSite(out)
    stage.keep("a.html")
    stage.write("dir/b.html", b"new b")
    stage.publish()
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == [
        "a.html",
        "dir/b.html",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.spare", "site"]
    spare = tmp_path / ".site.spare"  # the old site, kept as the next build's spare
    assert sorted(p.name for p in spare.iterdir()) == ["a.html", "gone.html"]
    assert (spare / "a.html").stat().st_ino == (out / "a.html").stat().st_ino  # one file, two names


def test_the_spare_is_brought_up_to_date_not_trusted(tmp_path):
    """A spare left half-updated or tampered with by anyone: only the live tree's inodes count."""
    out = tmp_path / "site"
    out.mkdir()
    (out / "a.html").write_text("live a")
    spare = tmp_path / ".site.spare"
    (spare / "dir").mkdir(parents=True)
    (spare / "a.html").write_text("tampered a")  # same name, another file
    (spare / "extra.html").write_text("not in the new site")
    (spare / "dir" / "x.html.tmp-1234").write_text("a killed write")
    (spare / "evil").symlink_to(tmp_path, target_is_directory=True)
    stage = StagedSite(out)
    assert not (spare / "evil").exists()  # never written through
    stage.keep("a.html")
    stage.write("evil/b.html", b"b")
    stage.publish()
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()) == ["a.html", "evil/b.html"]
    assert (out / "a.html").read_text() == "live a" and not (tmp_path / "b.html").exists()


def test_a_file_where_the_site_should_be_is_a_clear_error(content, build_site, tmp_path):
    _post(content)
    (tmp_path / "site").write_text("not a folder")
    with pytest.raises(ExplainerError, match="is not a folder"):
        build_site(content)


def test_second_build_waits_for_the_lock_and_says_so(tmp_path):
    out, cache = tmp_path / "site", tmp_path / ".cache"
    said, order = [], []
    entered = threading.Event()

    def first():
        with build_lock(out, cache, log=said.append):
            entered.set()
            time.sleep(0.4)
            order.append("first done")

    t = threading.Thread(target=first)
    t.start()
    entered.wait(5)
    with build_lock(out, cache, log=said.append):
        order.append("second in")
    t.join()
    assert order == ["first done", "second in"]
    assert said and "waiting for another build" in said[0] and str(os.getpid()) in said[0]


def test_lock_wait_has_a_limit_with_a_clear_message(tmp_path):
    out, cache = tmp_path / "site", tmp_path / ".cache"
    with build_lock(out, cache, log=lambda _: None):
        with pytest.raises(ExplainerError, match="has held this lock"):
            with build_lock(out, cache, log=lambda _: None, wait_limit_s=0.2):
                pass


# ---- full disk ---------------------------------------------------------------------------------


def _mount_tmpfs(path, size="600k") -> bool:
    path.mkdir()
    if os.geteuid() != 0:
        return False
    return (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True
        ).returncode
        == 0
    )


def test_full_disk_leaves_the_old_site_whole(content, build_site, tmp_path):
    _post(content)
    build_site(content)  # elsewhere, to size the disk: room for one site and a half
    size = sum(len(b) for b in _files(tmp_path / "site").values())
    disk = tmp_path / "disk"
    if not _mount_tmpfs(disk, f"{size * 3 // 2 // 1024 + 64}k"):
        pytest.skip("cannot mount a small tmpfs here (needs root and mount permission)")
    try:
        from explainer.pipeline import BuildOptions, build

        opts = BuildOptions(content=content, out=disk / "site", cache_dir=tmp_path / ".cache", jobs=1)
        build(opts, log=lambda _: None)
        before = _files(disk / "site")
        write(content / "big.bin", "")
        (content / "big.bin").write_bytes(os.urandom(size))  # more than the disk has left
        with pytest.raises(ExplainerError, match="previous site is untouched"):
            build(opts, log=lambda _: None)
        assert _files(disk / "site") == before
        assert sorted(p.name for p in disk.iterdir() if not p.name.endswith(".lock")) in (["site"], [".site.spare", "site"])
        (content / "big.bin").unlink()
        build(opts, log=lambda _: None)
        assert _files(disk / "site") == before
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)


# ---- kill -9 at random moments ------------------------------------------------------------------

KILL_SCRIPT = """
import sys, os, time
sys.path.insert(0, {repo!r})
from pathlib import Path
from explainer.pipeline import BuildOptions, build
import explainer.site.output as output
publish = output._publish
def marked(*args):  # tells the test that this build reached the write
    Path({marker!r}).write_text("writing")
    return publish(*args)
output._publish = marked
build(BuildOptions(content=Path({content!r}), out=Path({out!r}), cache_dir=Path({cache!r}), jobs=1),
      log=lambda _: None)
"""


@pytest.mark.slow
def test_killed_builds_leave_a_whole_old_or_whole_new_site(content, build_site, tmp_path):
    """20+ builds killed with SIGKILL at spread-out moments (many during the write of 300 pages):
    the output folder is always exactly the old site or exactly the new one, and a normal build
    afterwards repairs everything."""
    import random

    n_posts = 300
    for i in range(n_posts):
        _post(content, f"2024-01-01-p{i}", f"P{i}", "Old text. " * 40)
    build_site(content)
    site = tmp_path / "site"
    old = _files(site)
    for i in range(n_posts):
        _post(content, f"2024-01-01-p{i}", f"P{i}", "New text. " * 40)
    marker = tmp_path / "writing"
    script = KILL_SCRIPT.format(
        repo=str(REPO),
        content=str(content),
        out=str(site),
        cache=str(tmp_path / ".cache"),
        marker=str(marker),
    )
    rng = random.Random(11)
    # How long a full rebuild takes here, to spread the kills over all of it, the write included.
    t = time.perf_counter()
    subprocess.run([sys.executable, "-c", script], check=True, cwd=tmp_path)
    full = time.perf_counter() - t
    new = _files(site)
    assert new != old
    outcomes, during_write = [], 0
    for k in range(22):
        # Posts edited to one version or the other, then a rebuild killed somewhere in its run. A kill
        # aimed at the write edits the posts away from what the site holds, so there is a write.
        target = ("Old" if k % 2 else "New") if k % 3 else ("Old" if not outcomes or outcomes[-1] == "new" else "New")
        for i in range(n_posts):
            _post(content, f"2024-01-01-p{i}", f"P{i}", (target + " text. ") * 40)
        marker.unlink(missing_ok=True)
        proc = subprocess.Popen([sys.executable, "-c", script], cwd=tmp_path)
        if k % 3 == 0:  # every third kill lands inside the write: wait for it to begin
            deadline = time.monotonic() + 3 * full
            while not marker.exists() and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.001)
            time.sleep(rng.uniform(0, 0.05))
        else:  # the others anywhere in the run, or after it (then the site is wholly new)
            time.sleep(rng.uniform(0.4, 1.3) * full)
        proc.kill()
        proc.wait()
        during_write += marker.exists() and proc.returncode == -9
        now = _files(site)
        mixed = sorted(
            r for r in set(now) | set(old) | set(new) if now.get(r) not in (old.get(r), new.get(r))
        )
        assert now in (old, new), (
            f"kill {k}: a mix of old and new files",
            mixed[:5],
            sorted(r for r in now if now[r] == old.get(r) != new.get(r))[:3],
            sorted(r for r in now if now[r] == new.get(r) != old.get(r))[:3],
        )
        outcomes.append("old" if now == old else "new")
    print(
        f"kills: {len(outcomes)}, during the write: {during_write}, site old/new after: "
        f"{outcomes.count('old')}/{outcomes.count('new')}"
    )
    assert during_write >= 5  # the write phase was hit, not only parsing
    for i in range(n_posts):
        _post(content, f"2024-01-01-p{i}", f"P{i}", "New text. " * 40)
    build_site(content)
    assert _files(site) == new
    assert [p.name for p in tmp_path.iterdir() if ".staging-" in p.name or ".old-" in p.name] == []
