"""The build as a whole: permalinks, site pages, errors that write nothing, incremental rebuilds."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET

import pytest

from explainer.base.errors import ContentError
from tests.conftest import write
from tests.fixtures.alfolio_drafts import drafts

POST = """
---
layout: distill
title: A "quoted" <tag> & more
description: First post.
date: 2023-05-05 11:59:00-0400
authors:
  - name: Ada Lovelace
    url: https://example.org/ada
    affiliations:
      name: Analytical Engines
bibliography: refs.bib
---

## Introduction

Cited <d-cite key="k1"></d-cite> with math $$E = mc^2$$ and a footnote.<d-footnote>Hi.</d-footnote>
"""

BIB = """
@article{k1, title={{DRAW}: A Network}, author={J{\\"u}rgen, Smith}, journal={J}, year={2015}}
"""


def test_builds_pages_at_al_folio_permalinks(content, build_site, tmp_path):
    write(content / "posts" / "2023-05-05-first.md", POST)
    write(content / "bibliography" / "refs.bib", BIB)
    write(content / "posts" / "second.md", "---\ntitle: Second\ndate: 2024-01-02\n---\nText.\n")
    report = build_site(content)
    site = tmp_path / "site"
    page = (site / "blog/2023/first/index.html").read_text()
    assert (site / "blog/2024/second/index.html").is_file()
    for name in ("index.html", "feed.xml", "sitemap.xml", "404.html"):
        assert (site / name).is_file(), name
    assert "A &#34;quoted&#34; &lt;tag&gt; &amp; more" in page or "A &quot;quoted&quot; &lt;tag&gt; &amp; more" in page
    assert 'id="ref-k1"' in page
    ET.fromstring((site / "feed.xml").read_bytes())
    assert report.pages_rendered == 2


def test_content_errors_are_all_reported_and_nothing_is_written(content, build_site, tmp_path):
    write(content / "posts" / "2023-01-01-good.md", "---\ntitle: Good\n---\nFine.\n")
    build_site(content)
    index_before = (tmp_path / "site" / "index.html").read_bytes()
    write(content / "posts" / "2023-01-02-bad.md", "---\ntitle: [unclosed\n---\nx\n")
    write(content / "posts" / "2023-01-03-nodate.md", "---\ndate: someday\n---\nx\n")
    with pytest.raises(ContentError) as exc:
        build_site(content)
    text = str(exc.value)
    assert "2023-01-02-bad.md:2" in text
    assert "2023-01-03-nodate.md" in text and "title" in text and "date" in text
    assert (tmp_path / "site" / "index.html").read_bytes() == index_before
    assert not (tmp_path / "site" / "blog" / "2023" / "bad").exists()


def test_unchanged_pages_are_skipped_and_removed_posts_disappear(content, build_site, tmp_path):
    for i in range(3):
        write(content / "posts" / f"2023-01-0{i + 1}-p{i}.md", f"---\ntitle: P{i}\n---\nBody {i}.\n")
    assert build_site(content).pages_rendered == 3
    again = build_site(content)
    assert (again.pages_rendered, again.pages_skipped) == (0, 3)
    write(content / "posts" / "2023-01-02-p1.md", "---\ntitle: P1\n---\nEdited.\n")
    edited = build_site(content)
    assert (edited.pages_rendered, edited.pages_skipped) == (1, 2)
    assert "Edited." in (tmp_path / "site/blog/2023/p1/index.html").read_text()
    (content / "posts" / "2023-01-03-p2.md").unlink()
    build_site(content)
    assert not (tmp_path / "site/blog/2023/p2/index.html").exists()
    shutil.rmtree(tmp_path / "site")
    assert build_site(content).pages_rendered == 2  # a deleted site/ is rebuilt, not trusted


def test_drafts_only_with_flag(content, build_site, tmp_path):
    write(content / "posts" / "2023-01-01-draft.md", "---\ntitle: D\npublished: false\n---\nx\n")
    build_site(content)
    assert not (tmp_path / "site/blog/2023/draft/index.html").exists()
    build_site(content, drafts=True)
    assert (tmp_path / "site/blog/2023/draft/index.html").exists()


def test_strict_turns_warnings_into_errors(content, build_site):
    write(content / "posts" / "2023-01-01-w.md", "---\ntitle: W\ngiscus_comments: true\n---\nx\n")
    report = build_site(content)
    assert any("giscus" in w for w in report.warnings)
    with pytest.raises(ContentError, match="giscus"):
        build_site(content, strict=True)


def test_missing_bibliography_file_is_a_warning_with_line(content, build_site):
    write(content / "posts" / "2023-01-01-b.md", "---\ntitle: B\nbibliography: nope.bib\n---\nx\n")
    write(content / "bibliography" / "other.bib", BIB)
    report = build_site(content)  # al-folio publishes such a post too
    assert any("2023-01-01-b.md:3:1: warning" in w and "other.bib" in w for w in report.warnings)
    with pytest.raises(ContentError) as exc:
        build_site(content, strict=True)
    assert "2023-01-01-b.md:3" in str(exc.value) and "other.bib" in str(exc.value)


def test_base_url_prefixes_links(content, build_site, tmp_path):
    write(content / "posts" / "2023-01-01-a.md", "---\ntitle: A\n---\n[x]({{ '/about/' | relative_url }})\n")
    write(content / "about" / "index.html", "<h1>About</h1>")
    build_site(content, base_url="https://me.github.io/blog")
    page = (tmp_path / "site/blog/2023/a/index.html").read_text()
    assert 'href="../../../about/"' in page  # page-relative: works from disk and any base path
    feed = (tmp_path / "site/feed.xml").read_text()
    assert "https://me.github.io/blog/blog/2023/a/" in feed


@pytest.mark.parametrize("draft", drafts(), ids=lambda d: d.name)
def test_al_folio_draft_builds_with_its_traps_warned(draft, content, build_site, tmp_path):
    shutil.copy(draft.md, content / "posts")
    shutil.copy(draft.bib, content / "bibliography")
    report = build_site(content)
    warnings = "\n".join(report.warnings)
    page = (tmp_path / f"site/blog/2023/{draft.slug}/index.html").read_text()
    assert "bibliography:" in warnings  # cites but names no bibliography
    assert all(name in warnings for name in draft.missing_toc)  # toc names sections that do not exist
    assert "\\textit" in warnings
    assert "# N" in warnings or "level-1" in warnings
    assert "giscus" in warnings
    assert f'id="ref-{draft.cited}"' in page
    assert 'class="footnote-ref"' in page
    assert page.count('class="math-display"') >= draft.displays


def test_warnings_of_skipped_pages_are_still_reported(content, build_site):
    write(content / "posts" / "2023-01-01-w.md", "---\ntitle: W\n---\n# Stray\n\nText \\textit{x}.\n")
    first = build_site(content)
    again = build_site(content)
    assert again.pages_skipped == 1
    assert sorted(first.warnings) == sorted(again.warnings) and first.warnings


def test_other_content_files_are_copied_and_removed(content, build_site, tmp_path):
    write(content / "posts" / "2023-01-01-img.md",
          "---\ntitle: I\n---\n![a digit]({{ '/assets/img/x.svg' | relative_url }})\n")
    write(content / "assets" / "img" / "x.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>")
    build_site(content)
    copied = tmp_path / "site" / "assets" / "img" / "x.svg"
    assert copied.read_text().startswith("<svg")
    assert 'src="../../../assets/img/x.svg"' in (tmp_path / "site/blog/2023/img/index.html").read_text()
    (content / "assets" / "img" / "x.svg").unlink()
    with pytest.raises(ContentError, match="image `/assets/img/x.svg` not found"):
        build_site(content, strict=True)  # the unchanged post still shows it
    write(content / "posts" / "2023-01-01-img.md", "---\ntitle: I\n---\nNo image now.\n")
    build_site(content)
    assert not copied.exists()


def test_broken_internal_links_fail_the_build_with_their_line(content, build_site, tmp_path):
    write(content / "posts" / "2023-01-01-a.md", "---\ntitle: A\n---\n## Here\n\n[ok](#here)\n")
    write(content / "posts" / "2023-01-02-b.md",
          "---\ntitle: B\n---\nIntro.\n\n[gone](/blog/2023/c/) and [no anchor](/blog/2023/a/#there)\n")
    with pytest.raises(ContentError) as exc:
        build_site(content, strict=True)  # warnings otherwise (test_link_warnings.py)
    text = str(exc.value)
    assert "2023-01-02-b.md:6:1: error: broken link to /blog/2023/c/" in text
    assert "broken anchor `#there`" in text
    assert not (tmp_path / "site").exists()


def test_anchors_into_unchanged_pages_are_checked_against_the_built_page(content, build_site):
    write(content / "posts" / "2023-01-01-a.md", "---\ntitle: A\n---\n## Here\n\nText.\n")
    build_site(content)
    write(content / "posts" / "2023-01-02-b.md", "---\ntitle: B\n---\n[ok](/blog/2023/a/#here)\n")
    report = build_site(content)
    assert (report.pages_rendered, report.pages_skipped) == (1, 1)
    write(content / "posts" / "2023-01-02-b.md", "---\ntitle: B\n---\n[bad](/blog/2023/a/#nope)\n")
    with pytest.raises(ContentError, match="broken anchor `#nope`: no element with id `nope` on /blog/2023/a/"):
        build_site(content, strict=True)


def test_unchanged_pages_links_are_rechecked_when_their_target_disappears(content, build_site):
    write(content / "posts" / "2023-01-01-a.md", "---\ntitle: A\n---\n## Here\n\nText.\n")
    write(content / "posts" / "2023-01-02-b.md", "---\ntitle: B\n---\nSee [A](/blog/2023/a/#here).\n")
    build_site(content)
    write(content / "posts" / "2023-01-01-a.md", "---\ntitle: A\n---\n## Elsewhere\n\nText.\n")
    with pytest.raises(ContentError, match=r"2023-01-02-b.md:4:1: error: broken anchor `#here`"):
        build_site(content, strict=True)  # b.md is unchanged, but the heading it points at was renamed
    write(content / "posts" / "2023-01-01-a.md", "---\ntitle: A\n---\n## Here\n\nText.\n")
    build_site(content)
    (content / "posts" / "2023-01-01-a.md").unlink()
    with pytest.raises(ContentError, match="broken link to /blog/2023/a/"):
        build_site(content, strict=True)


def test_a_fresh_process_reuses_the_posts_an_earlier_build_read(content, tmp_path):
    """The front matter of unchanged posts is not parsed again by the next `python build.py`."""
    import subprocess
    import sys

    from tests.conftest import REPO
    write(content / "posts" / "2023-01-01-a.md", "---\ntitle: A\n---\nText.\n")
    write(content / "posts" / "2023-01-02-b.md", "---\ntitle: B\n---\nText.\n")
    args = [sys.executable, "-c", "import sys; sys.path.insert(0, sys.argv[1]); "
            "import explainer.posts.read as r; calls = []; real = r._read_post; "
            "r._read_post = lambda p, d: calls.append(p.name) or real(p, d); "
            "from explainer.cli import main; main(sys.argv[2:]); print(sorted(calls))",
            str(REPO), "build", "--content", str(content), "--out", str(tmp_path / "site"),
            "--cache-dir", str(tmp_path / ".cache"), "-q"]
    first = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    assert first.strip() == "['2023-01-01-a.md', '2023-01-02-b.md']"
    write(content / "posts" / "2023-01-02-b.md", "---\ntitle: B\n---\nEdited.\n")
    second = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    assert second.strip() == "['2023-01-02-b.md']"
