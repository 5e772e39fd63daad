"""kramdown compatibility: raw HTML blocks, `$$` pairing, escaped MathJax delimiters, Liquid
before Markdown. Fixture pairs in fixtures/kramdown (see fixtures/harness.py)."""

import pytest

from tests.posts.fixtures.harness import cases, check_case


@pytest.mark.parametrize("case", cases("kramdown"), ids=lambda p: p.stem)
def test_fixture(case):
    check_case(case)
