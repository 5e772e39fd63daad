"""Shared test helpers: small content folders and a build runner."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

# One Chromium per test session for every folder: Playwright's sync API allows one at a time.
pytest_plugins = ["tests.browser_fixtures"]

REPO = Path(__file__).resolve().parents[1]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture
def content(tmp_path) -> Path:
    """An empty content folder with a site.yml; tests add posts."""
    root = tmp_path / "content"
    write(root / "site.yml", """
        title: Test site
        url: https://example.org
        math:
          mode: client
    """)
    (root / "posts").mkdir()
    (root / "bibliography").mkdir()
    return root


@pytest.fixture
def build_site(tmp_path):
    """build_site(content, **opts) -> BuildReport, building into tmp_path/site with tmp_path/.cache."""
    from explainer.pipeline import BuildOptions, build

    def run(content: Path, **kw):
        opts = BuildOptions(content=content, out=tmp_path / "site", cache_dir=tmp_path / ".cache",
                            jobs=kw.pop("jobs", 1), **kw)
        return build(opts, log=lambda line: None)
    return run
