"""`explainer build` / `python build.py` as a user runs them: exit codes and messages."""

from __future__ import annotations

import subprocess
import sys

from explainer.cli import main
from tests.conftest import REPO, write


def _build(content, tmp_path, *extra):
    return main(["build", "--content", str(content), "--out", str(tmp_path / "site"),
                 "--cache-dir", str(tmp_path / ".cache"), "-j", "1", *extra])


def test_success_is_exit_0_with_a_summary(content, tmp_path, capsys):
    write(content / "posts" / "2023-01-01-a.md", "---\ntitle: A\n---\nHello.\n")
    assert _build(content, tmp_path) == 0
    assert "1 page rendered" in capsys.readouterr().err


def test_content_errors_are_exit_1_and_each_names_file_and_line(content, tmp_path, capsys):
    write(content / "posts" / "2023-01-01-a.md", "---\ntitle: A\n---\nHello.\n")
    assert _build(content, tmp_path) == 0
    before = (tmp_path / "site" / "blog/2023/a/index.html").read_bytes()
    write(content / "posts" / "2023-01-01-a.md", "---\ntitle: A\n---\nChanged and [x](#nowhere)\n")
    write(content / "posts" / "2023-01-02-b.md", "---\ntitle: B\ndate: tomorrow\n---\nx\n")
    capsys.readouterr()
    assert _build(content, tmp_path) == 1
    err = capsys.readouterr().err
    assert "2023-01-02-b.md:3:1: error: cannot read `date: tomorrow`" in err
    assert "2023-01-01-a.md:4:1: warning: broken anchor" in err  # an error only with --strict
    assert "broken anchor `#nowhere`" in err  # links are checked even when other pages fail
    assert "build failed: 1 error; nothing was written" in err
    assert (tmp_path / "site" / "blog/2023/a/index.html").read_bytes() == before


def test_missing_content_folder_is_exit_2(tmp_path, capsys):
    assert _build(tmp_path / "nope", tmp_path) == 2
    assert "content folder" in capsys.readouterr().err


def test_build_py_is_explainer_build(content, tmp_path):
    write(content / "posts" / "2023-01-01-a.md", "---\ntitle: A\n---\nHello.\n")
    proc = subprocess.run([sys.executable, str(REPO / "build.py"), "--content", str(content),
                           "--out", str(tmp_path / "out"), "--cache-dir", str(tmp_path / ".c"), "-q"],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "blog/2023/a/index.html").is_file()
