"""What the build adds around pages: plotly.js and live.js only where pages load them; the full-text feed."""

from __future__ import annotations

from tests.conftest import write


def _assets(site) -> list[str]:
    return sorted(p.name for p in (site / "assets").iterdir() if p.suffix == ".js")


def test_a_site_without_charts_ships_neither(content, build_site, tmp_path):
    write(content / "posts" / "2024-01-01-plain.md", "---\ntitle: Plain\ndate: 2024-01-01\n---\nJust text.\n")
    build_site(content)
    names = _assets(tmp_path / "site")
    assert not any(n.startswith(("plotly", "live.")) for n in names), names


def test_a_chart_brings_plotly_and_removing_it_removes_it(content, build_site, tmp_path):
    post = write(content / "posts" / "2024-01-01-chart.md",
                 '---\ntitle: Chart\ndate: 2024-01-01\n---\n```plotly\n{"data": [{"type": "bar", "y": [1, 2]}]}\n```\n')
    write(content / "posts" / "2024-01-02-plain.md", "---\ntitle: Plain\ndate: 2024-01-02\n---\nText.\n")
    build_site(content)
    assert any(n.startswith("plotly") for n in _assets(tmp_path / "site"))
    build_site(content)  # unchanged pages are kept: their notes still count
    assert any(n.startswith("plotly") for n in _assets(tmp_path / "site"))
    post.write_text("---\ntitle: Chart\ndate: 2024-01-01\n---\nNo chart now.\n")
    build_site(content)
    assert not any(n.startswith("plotly") for n in _assets(tmp_path / "site"))


def test_the_feed_carries_full_posts_and_follows_body_edits(content, build_site, tmp_path):
    post = write(content / "posts" / "2024-01-01-a.md",
                 '---\ntitle: A\ndate: 2024-01-01\n---\nFirst words.<d-footnote>A note.</d-footnote>\n\n'
                 '![A photo](photo.png)\n')
    write(content / "blog" / "2024" / "a" / "photo.png", "not really a png")
    build_site(content)
    feed = (tmp_path / "site" / "feed.xml").read_text()
    assert '<content type="html" xml:base="https://example.org/blog/2024/a/">' in feed
    assert "First words." in feed and "https://example.org/blog/2024/a/photo.png" in feed
    assert "hover-card" not in feed and "&lt;script" not in feed
    post.write_text(post.read_text().replace("First words.", "Second thoughts."))
    build_site(content)
    feed = (tmp_path / "site" / "feed.xml").read_text()
    assert "Second thoughts." in feed and "First words." not in feed


def test_a_chart_only_post_previews_its_chart(content, build_site, tmp_path):
    write(content / "posts" / "2024-01-01-chart.md",
          '---\ntitle: Chart\ndate: 2024-01-01\n---\n```plotly\n{"data": [{"type": "bar", "y": [1, 2]}]}\n```\n')
    write(content / "posts" / "2024-01-02-text.md", "---\ntitle: Text\ndate: 2024-01-02\n---\nWords only.\n")
    build_site(content)
    page = (tmp_path / "site" / "blog" / "2024" / "chart" / "index.html").read_text()
    assert 'og:image" content="https://example.org/blog/2024/chart/share-chart.png"' in page
    png = tmp_path / "site" / "blog" / "2024" / "chart" / "share-chart.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    text = (tmp_path / "site" / "blog" / "2024" / "text" / "index.html").read_text()
    assert "og:image" not in text and 'twitter:card" content="summary"' in text
    build_site(content)  # both pages unchanged: the preview stays
    assert png.is_file()
