"""`explainer new`: a post file with front matter from site.yml, never overwriting."""

from __future__ import annotations

import datetime as dt

from explainer.base.config import load_yaml
from explainer.base.errors import Diagnostics
from explainer.cli import main
from explainer.posts.read import read_post, split_front_matter
from tests.conftest import write

SITE = """
title: Test site
math: {mode: client}
authors:
  - name: Ada Lovelace
    url: https://example.org/ada
    affiliations:
      name: Analytical Engines
  - name: "Grace: Hopper"
"""


def test_new_writes_a_post_that_reads_back(content, capsys):
    write(content / "site.yml", SITE)
    assert main(["new", 'Why "Bottlenecks" Forget: a #1 guide', "--date", "2024-03-09",
                 "--content", str(content)]) == 0
    path = content / "posts" / "2024-03-09-why-bottlenecks-forget-a-1-guide.md"
    assert capsys.readouterr().out.strip() == str(path)
    fm, _, _ = split_front_matter(path.read_text())
    data = load_yaml(fm)
    assert data["layout"] == "distill" and data["title"] == 'Why "Bottlenecks" Forget: a #1 guide'
    assert data["date"] == "2024-03-09" and data["toc"] == []
    assert data["bibliography"] == "2024-03-09-why-bottlenecks-forget-a-1-guide.bib"
    assert data["description"]
    assert data["authors"][0] == {"name": "Ada Lovelace", "url": "https://example.org/ada",
                                  "affiliations": {"name": "Analytical Engines"}}
    assert data["authors"][1] == {"name": "Grace: Hopper"}
    assert (content / "bibliography" / data["bibliography"]).is_file()
    diag = Diagnostics()
    post = read_post(path, diag)
    assert not diag.items and post.meta.date == dt.datetime(2024, 3, 9) and post.slug == "why-bottlenecks-forget-a-1-guide"


def test_new_never_overwrites(content, capsys):
    assert main(["new", "Hello", "--date", "2024-01-01", "--content", str(content)]) == 0
    path = content / "posts" / "2024-01-01-hello.md"
    path.write_text("my words")
    assert main(["new", "Hello", "--date", "2024-01-01", "--content", str(content)]) == 1
    assert "already exists" in capsys.readouterr().err
    assert path.read_text() == "my words"
    # same slug, same year, another day: it would publish at the same URL
    assert main(["new", "Hello", "--date", "2024-06-01", "--content", str(content)]) == 1
    assert not (content / "posts" / "2024-06-01-hello.md").exists()


def test_new_without_site_authors_and_bad_date(content, capsys):
    assert main(["new", "Plain", "--date", "2024-02-02", "--content", str(content)]) == 0
    data = load_yaml(split_front_matter((content / "posts/2024-02-02-plain.md").read_text())[0])
    assert data["authors"] == []
    assert main(["new", "Plain", "--date", "02/02/2024", "--content", str(content)]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_new_defaults_to_today(content):
    assert main(["new", "Today", "--content", str(content)]) == 0
    assert (content / "posts" / f"{dt.date.today().isoformat()}-today.md").is_file()
