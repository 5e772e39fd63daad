"""The feed's stored post texts do not pile up as posts are edited (site/feed_content.prune)."""

from tests.conftest import write


def _post(content, n: int, text: str):
    write(content / "posts" / f"2024-01-{n + 1:02d}-p{n}.md", f"""
        ---
        title: Post {n}
        ---
        {text}
    """)


def test_texts_of_unpublished_versions_are_pruned_and_published_ones_kept(content, build_site, tmp_path):
    for n in range(3):
        _post(content, n, f"First version of post {n}.")
    build_site(content)
    feed_dir = tmp_path / ".cache" / "feed"
    assert len(list(feed_dir.iterdir())) == 3
    for edit in range(30):  # one post edited again and again
        _post(content, 0, f"Edit number {edit}.")
        build_site(content)
        assert len(list(feed_dir.iterdir())) <= 3 + 20 + 1  # never beyond the slack
    feed = (tmp_path / "site" / "feed.xml").read_text()
    assert "Edit number 29." in feed and "First version of post 1." in feed and "First version of post 2." in feed
    # Pruned down to what is published: a rebuild with nothing changed still finds every text.
    build_site(content)
    assert "First version of post 2." in (tmp_path / "site" / "feed.xml").read_text()


def test_a_failing_build_prunes_nothing(content, build_site, tmp_path):
    for n in range(2):
        _post(content, n, f"Post {n}.")
    build_site(content)
    feed_dir = tmp_path / ".cache" / "feed"
    extra = [feed_dir / f"{i:024x}.html" for i in range(40)]  # texts a killed build might have left
    for path in extra:
        path.write_text("old")
    _post(content, 1, "Broken: [@missing-key] {% nonsense %}")
    write(content / "posts" / "2024-02-01-bad.md", "---\ntitle: [unclosed\n---\nx\n")
    try:
        build_site(content)
    except Exception:
        pass
    assert all(path.exists() for path in extra)
    (content / "posts" / "2024-02-01-bad.md").unlink()
    build_site(content)
    assert not any(path.exists() for path in extra)
