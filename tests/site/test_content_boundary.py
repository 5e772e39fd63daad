"""Content stays in content/: no symlink is followed out, nothing private is published, and no
path in the content may point outside it."""

from __future__ import annotations

import os

import numpy as np
import pytest

from explainer.base.errors import ContentError
from tests.conftest import write


def _published(tmp_path):
    site = tmp_path / "site"
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.is_file() and not p.relative_to(site).as_posix().startswith(("assets/", "blog/"))
    )


def test_only_publishable_files_are_copied(content, build_site, tmp_path):
    write(content / "posts" / "2024-01-01-a.md", "---\ntitle: A\n---\nx\n")
    for rel in [
        "img/ok.png",
        "CNAME",
        "_drafts/2024-02-02-next.md",
        "img/ok.png~",
        "img/.ok.png.swp",
        ".#post.md",
        "#autosave#",
        "node_modules/lib/index.js",
        "img/_private.png",
        "data/points.npz",
        "data/other.npz",
        ".htaccess",
    ]:
        write(content / rel, "x")
    write(
        content / "posts" / "2024-01-02-fig.md",
        """
        ---
        title: F
        ---
        ```figure
        id: f
        view: latent
        experiment: {model: pca, dataset: npz, path: data/points.npz}
        ```
    """,
    )
    np.savez(content / "data" / "points.npz", x=np.random.default_rng(0).random((60, 4)))
    build_site(content)
    got = _published(tmp_path)
    assert "img/ok.png" in got and "CNAME" in got and "data/other.npz" in got
    for private in [
        "data/points.npz",
        "_drafts/2024-02-02-next.md",
        "img/ok.png~",
        "img/.ok.png.swp",
        ".#post.md",
        "#autosave#",
        "node_modules/lib/index.js",
        "img/_private.png",
        ".htaccess",
    ]:
        assert private not in got


def test_figure_data_is_private_unless_included(content, tmp_path):
    from explainer.posts.read import Post
    from explainer.site.content_files import figure_data_paths

    class P:  # what figure_data_paths reads of a post
        source = "```figure\nid: f\nexperiment:\n  model: ae\n  dataset: npz\n  path: ./data/p.npz\n```\n"
        mentions_figure = True

    assert figure_data_paths([P()]) == {"data/p.npz"}
    assert "source" in Post.__dataclass_fields__ and Post.mentions_figure  # the real type has both


def test_include_publishes_what_is_otherwise_excluded(content, build_site, tmp_path):
    write(content / "site.yml", "title: T\ninclude: [.htaccess, _headers]\n")
    write(content / "posts" / "2024-01-01-a.md", "---\ntitle: A\n---\nx\n")
    write(content / ".htaccess", "x")
    write(content / "_headers", "x")
    build_site(content)
    assert {".htaccess", "_headers"} <= set(_published(tmp_path))


def test_symlinks_are_not_followed_and_are_named(content, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    write(content / "posts" / "2024-01-01-a.md", "---\ntitle: A\n---\nx\n")
    os.symlink(secret, content / "h")
    os.symlink(content, content / "loop")
    os.symlink(secret, content / "posts" / "2024-01-02-link.md")
    from explainer.pipeline import BuildOptions, build

    report = build(
        BuildOptions(content=content, out=tmp_path / "site", cache_dir=tmp_path / ".cache", jobs=1),
        log=lambda _: None,
    )
    site = tmp_path / "site"
    assert not (site / "h").exists() and not (site / "loop").exists()
    assert not (site / "blog/2024/link").exists()
    assert all("top secret" not in p.read_text(errors="replace") for p in site.rglob("*") if p.is_file())
    text = "\n".join(report.warnings)
    assert "content/h:1:1: warning: symbolic link" in text.replace(str(tmp_path) + "/", "")
    assert "loop:1:1: warning: symbolic link" in text
    assert "2024-01-02-link.md:1:1: warning: symbolic link" in text


def test_bibliography_outside_content_is_an_error(content, build_site, tmp_path):
    write(tmp_path / "outside.bib", "@misc{k, title={T}}\n")
    write(content / "posts" / "2024-01-01-a.md", "---\ntitle: A\nbibliography: ../../outside.bib\n---\nx\n")
    with pytest.raises(
        ContentError, match=r"a.md:3:1: error: bibliography '../../outside.bib' is outside content/"
    ):
        build_site(content)


@pytest.mark.parametrize("path", ["../x.npz", "data/../../x.npz", "/etc/x.npz", "..\\x.npz"])
def test_data_path_outside_content_is_an_error(path):
    from explainer.models.experiments import parse_experiment

    config, errors = parse_experiment({"model": "pca", "dataset": "npz", "path": path})
    assert config is None and any("relative to content/" in m for _, m in errors)


def test_author_npz_bomb_and_zero_width_are_clear_errors(tmp_path, monkeypatch):
    import zipfile

    from explainer.models import data

    monkeypatch.setattr(data, "MAX_NPZ_BYTES", 100_000)  # same check as the 1 GiB limit, less memory
    bomb = tmp_path / "bomb.npz"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("x.npy", b"\0" * 200_000)
    with pytest.raises(data.DataError, match="would unpack to"):
        data.npz(bomb)
    empty = tmp_path / "empty.npz"
    np.savez(empty, x=np.zeros((50, 0)))
    with pytest.raises(data.DataError, match="at least one value"):
        data.npz(empty)


def test_networks_too_large_to_train_are_refused_before_allocation():
    from explainer.models.experiments import parse_experiment

    config, errors = parse_experiment({"model": "ae", "hidden": [4096] * 6})
    assert config is None and any("more than" in m and "weights" in m for _, m in errors)
    config, errors = parse_experiment({"model": "ae", "hidden": [256, 128]})
    assert config is not None, errors
