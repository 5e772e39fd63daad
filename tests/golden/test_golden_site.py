"""The golden site: tests/golden/content (every authoring feature, two posts, a figure) built and
compared file by file with tests/golden/expected.

The figure's experiment is not trained: the build is given a trainer (the same interface the
preview server uses) that hands out a synthetic result, so the whole build runs in seconds.
After a deliberate change, regenerate with `UPDATE_GOLDEN=1 python -m pytest tests/golden -q` and
read the diff of tests/golden/expected before committing it.

What is compared: every HTML and XML file in full; for everything else (theme assets, images,
plotly.js, MathJax files) that it exists. Content hashes in asset names are replaced by `HASH`, so
a new version of Pygments or plotly does not fail the test; what our own code writes into pages
still does.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from explainer.base.process_caches import reset
from explainer.pipeline import BuildOptions, build
from explainer.site.plotly_bundle import NPM_PREFIX_ENV
from tests.figures.synthetic import SyntheticTrainer

HERE = Path(__file__).resolve().parent
CONTENT, EXPECTED = HERE / "content", HERE / "expected"
_HASHED_RE = re.compile(r"(assets/[\w.-]+?)\.[0-9a-f]{10}((?:\.[a-z0-9]+)+)")
_COMPARED = (".html", ".xml")
_WHITESPACE_SPAN_RE = re.compile(r'<span class="w">(\s*)</span>')
# The same span escaped inside the Atom feed's HTML content.
_ESCAPED_WHITESPACE_SPAN_RE = re.compile(r'&lt;span class=&#34;w&#34;&gt;(\s*)&lt;/span&gt;')


def normalized(text: str) -> str:
    # Pygments 2.21 stopped escaping quotes in text (`&quot;` -> `"`), and Pygments after 2.15 wraps
    # whitespace in `<span class="w">`: the same HTML to a reader, so the same here.
    text = text.replace("&quot;", '"').replace("&#x27;", "'").replace("&#39;", "'")
    text = _WHITESPACE_SPAN_RE.sub(r"\1", text)
    text = _ESCAPED_WHITESPACE_SPAN_RE.sub(r"\1", text)
    return _HASHED_RE.sub(r"\1.HASH\2", text)


def built_site(tmp_path: Path) -> Path:
    out = tmp_path / "site"
    # The same site on every machine: the full plotly.js, whether or not npm's basic build is installed.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(NPM_PREFIX_ENV, str(tmp_path / "no-npm"))
        reset("assets")
        build(BuildOptions(content=CONTENT, out=out, cache_dir=tmp_path / ".cache", jobs=1,
                           trainer=SyntheticTrainer()), log=lambda line: None)
    reset("assets")
    return out


def snapshot(site: Path) -> dict[str, str | None]:
    """Site-relative path (hashes replaced) -> normalized text, or None where only presence counts."""
    out = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = normalized(path.relative_to(site).as_posix())
        out[rel] = normalized(path.read_text(encoding="utf-8")) if path.suffix in _COMPARED else None
    return out


def write_expected(snap: dict) -> None:
    shutil.rmtree(EXPECTED, ignore_errors=True)
    EXPECTED.mkdir(parents=True)
    (EXPECTED / "FILES.txt").write_text("".join(f"{rel}\n" for rel in snap), encoding="utf-8")
    for rel, text in snap.items():
        if text is not None:
            target = EXPECTED / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def golden(tmp_path_factory) -> dict:
    snap = snapshot(built_site(tmp_path_factory.mktemp("golden")))
    if os.environ.get("UPDATE_GOLDEN"):
        write_expected(snap)
    return snap


def test_the_site_has_exactly_the_expected_files(golden):
    assert EXPECTED.is_dir(), "tests/golden/expected is missing; run with UPDATE_GOLDEN=1"
    expected = (EXPECTED / "FILES.txt").read_text(encoding="utf-8").splitlines()
    assert sorted(golden) == sorted(expected)


@pytest.mark.parametrize("rel", sorted(
    p.relative_to(EXPECTED).as_posix() for p in EXPECTED.rglob("*") if p.suffix in _COMPARED))
def test_each_page_is_as_expected(golden, rel):
    assert golden.get(rel) is not None, f"{rel} was not built"
    expected = (EXPECTED / rel).read_text(encoding="utf-8")
    if golden[rel] != expected:
        import difflib
        diff = "".join(list(difflib.unified_diff(expected.splitlines(True), golden[rel].splitlines(True),
                                                 "expected/" + rel, "built/" + rel, n=1))[:60])
        pytest.fail(f"{rel} differs from tests/golden/expected (UPDATE_GOLDEN=1 to accept):\n{diff}")


def test_the_golden_content_covers_every_feature():
    """Guards the fixture itself: dropping a feature from the content would weaken the test."""
    text = "".join(p.read_text(encoding="utf-8") for p in (CONTENT / "posts").glob("*.md"))
    for feature in ("$$", "\\begin{equation}", "\\eqref", "<d-cite", "<d-footnote>", "[^md]",
                    "<d-code", "{% highlight", "{% details", "l-gutter", "<aside>", "| relative_url",
                    "```figure", "```plotly", "{: .table}", "- [x]", "toc:", "math_macros:"):
        assert feature in text, feature
