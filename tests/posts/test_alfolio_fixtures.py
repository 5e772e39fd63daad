"""al-folio posts as Jekyll + Distill show them: fixture pairs in fixtures/alfolio/ (input Markdown,
expected HTML plus what was collected and warned). Regenerate with `UPDATE_FIXTURES=1`."""

from __future__ import annotations

import pytest

from tests.posts.fixtures.harness import cases, check_case


@pytest.mark.parametrize("case", cases("alfolio"), ids=lambda p: p.stem)
def test_fixture(case):
    check_case(case)
