"""Each bad input is a `path:line:col: error:` that `check` and `build` report alike: no traceback,
no "line None", and the build leaves no site behind."""

from __future__ import annotations

import os
import re

import pytest

from explainer.cli import main
from tests.bad_inputs import CASES

LINE_RE = re.compile(r"^\S.*?:\d+:\d+: (error|warning): \S")


def materialise(root, files: dict) -> None:
    (root / "posts").mkdir(parents=True, exist_ok=True)
    if not any(
        (p.decode(errors="replace") if isinstance(p, bytes) else p).startswith("posts/") for p in files
    ):
        (root / "posts" / "2024-01-01-ok.md").write_text("---\ntitle: ok\n---\nfine\n")
    for rel, data in files.items():
        path = os.path.join(os.fsencode(root), rel if isinstance(rel, bytes) else rel.encode())
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())


def run(args, capsys) -> tuple[int, list[str]]:
    code = main(args)
    captured = capsys.readouterr()
    return code, (captured.out + captured.err).splitlines()


def problems(lines) -> list[str]:
    return [ln for ln in lines if ": error: " in ln or ": warning: " in ln]


@pytest.mark.parametrize("name", list(CASES))
def test_bad_input_is_a_clear_error(name, tmp_path, capsys):
    files, code, where = CASES[name]
    content = tmp_path / "content"
    materialise(content, files)
    check_code, check_lines = run(["check", "--content", str(content)], capsys)
    build_code, build_lines = run(
        [
            "build",
            "-q",
            "--content",
            str(content),
            "--out",
            str(tmp_path / "site"),
            "--cache-dir",
            str(tmp_path / ".cache"),
            "-j",
            "1",
        ],
        capsys,
    )
    for lines in (check_lines, build_lines):
        text = "\n".join(lines)
        assert "Traceback" not in text and "None" not in text, text
        for line in problems(lines):
            assert LINE_RE.match(line), line
    assert (check_code, build_code) == (code, code), (check_lines, build_lines)
    errors = [ln for ln in problems(build_lines) if ": error: " in ln]
    if code:
        assert errors and all(where in ln for ln in errors), build_lines
        assert not (tmp_path / "site").exists()
        # `check` finds everything `build` would
        assert {ln for ln in problems(check_lines) if ": error: " in ln} >= set(errors)


def _build_errors(tmp_path, capsys, files) -> list[str]:
    materialise(tmp_path / "content", files)
    code, lines = run(
        [
            "build",
            "-q",
            "--strict",  # dead links are warnings by default (as al-folio publishes them)
            "--content",
            str(tmp_path / "content"),
            "--out",
            str(tmp_path / "site"),
            "--cache-dir",
            str(tmp_path / ".cache"),
            "-j",
            "1",
        ],
        capsys,
    )
    assert code == 1
    return [ln for ln in problems(lines) if ": error: " in ln]


def test_failing_figures_do_not_hide_other_problems(tmp_path, capsys):
    """Two figures that fail when drawn and a broken link, in one post: all three are reported."""
    import io

    import numpy as np

    buf = io.BytesIO()
    np.savez(buf, x=np.random.default_rng(0).random((60, 2)))  # points: an image view fails only when drawn
    figure = (
        "```figure\nid: {id}\nview: latent-explorer\n"
        "experiment: {{model: pca, dataset: npz, path: pts.npz}}\n```\n"
    )
    errors = _build_errors(
        tmp_path,
        capsys,
        {
            "pts.npz": buf.getvalue(),
            "posts/2024-01-01-a.md": "---\ntitle: A\n---\n[gone](/blog/2024/nothing/)\n\n"
            + figure.format(id="f1")
            + "\n"
            + figure.format(id="f2"),
        },
    )
    assert sum("a.md" in e and "figure `f" in e for e in errors) == 2, errors
    assert sum("a.md" in e and "broken link to /blog/2024/nothing/" in e for e in errors) == 1, errors


def test_an_unreadable_post_is_no_broken_link_elsewhere(tmp_path, capsys):
    errors = _build_errors(
        tmp_path,
        capsys,
        {
            "posts/2024-01-02-broken.md": "---\ntitle: [unclosed\n---\nx\n",
            "posts/2024-01-03-linker.md": "---\ntitle: L\n---\nSee [the broken one](/blog/2024/broken/).\n",
        },
    )
    assert len(errors) == 1 and "broken.md:2:1: error: invalid YAML" in errors[0], errors
