"""`explainer check`: every content problem, as text or JSON, without training or writing output."""

from __future__ import annotations

import json

from explainer.cli import main
from tests.conftest import write

GOOD = """
---
title: Good
date: 2023-05-05
bibliography: refs.bib
---
## Intro

Cited <d-cite key="k1"></d-cite>; see [below](#details), [the other post](../bad/) and
![a plot of the loss](/assets/img/loss.png).

## Details

$$E = mc^2$$
"""

BAD = """
---
title: Bad
date: 2023-06-01
bibliography: refs.bib
---
## Section

See [nowhere](#missing-section) and [a ghost](/blog/2023/ghost/).

![](/assets/img/absent.png)
"""

BIB = "@article{k1, title={A}, author={B, C}, journal={J}, year={2015}}\n"


def _site(content):
    write(content / "bibliography" / "refs.bib", BIB)
    write(content / "posts" / "2023-05-05-good.md", GOOD)
    (content / "assets" / "img").mkdir(parents=True)
    (content / "assets" / "img" / "loss.png").write_bytes(b"png")


def _run(content, tmp_path, *args):
    return main(["check", "--content", str(content), "--cache-dir", str(tmp_path / ".cache"), "-j", "1", *args])


def test_good_content_passes_and_nothing_is_written(content, tmp_path, capsys):
    _site(content)
    write(content / "posts" / "2023-06-01-bad.md", "---\ntitle: Bad\n---\nFine after all.\n")
    assert _run(content, tmp_path) == 0
    assert "0 errors" in capsys.readouterr().out
    assert not (tmp_path / "site").exists() and not (tmp_path / ".cache" / "manifest.json").exists()


def test_bad_content_text_lists_every_problem_with_its_line(content, tmp_path, capsys):
    _site(content)
    write(content / "posts" / "2023-06-01-bad.md", BAD)
    write(content / "posts" / "2023-07-01-broken.md", "---\ntitle: [unclosed\n---\nx\n")
    assert _run(content, tmp_path) == 1
    out = capsys.readouterr().out
    bad = "content/posts/2023-06-01-bad.md" if "content/posts" in out else "2023-06-01-bad.md"
    assert f"{bad}:8:1: warning: broken anchor `#missing-section`" in out  # errors only with --strict
    assert f"{bad}:8:1: warning: broken link to /blog/2023/ghost/" in out
    assert f"{bad}:10:1: warning: image `/assets/img/absent.png` has no alt text" in out
    assert f"{bad}:10:1: warning: image `/assets/img/absent.png` not found" in out
    assert "2023-07-01-broken.md:2:1: error" in out
    assert "good.md" not in out
    assert "1 error, 4 warnings" in out


def test_json_output_and_strict(content, tmp_path, capsys):
    _site(content)
    write(content / "posts" / "2023-06-01-bad.md", BAD.replace("#missing-section", "#section")
          .replace("/blog/2023/ghost/", "../good/#details").replace("![](/assets/img/absent.png)", ""))
    write(content / "posts" / "2023-06-02-alt.md", "---\ntitle: Alt\n---\n![](/assets/img/loss.png)\n")
    assert _run(content, tmp_path, "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"] == {"errors": 0, "warnings": 1}
    [d] = data["diagnostics"]
    assert d["path"].endswith("2023-06-02-alt.md") and d["line"] == 4 and d["severity"] == "warning"
    assert set(d) == {"path", "line", "col", "severity", "message"}
    assert _run(content, tmp_path, "--format", "json", "--strict") == 1


def test_missing_content_folder_is_a_usage_error(tmp_path, capsys):
    assert main(["check", "--content", str(tmp_path / "nope")]) == 2
    assert "not found" in capsys.readouterr().err


# -- the build report (explainer build) --------------------------------------------------------------

def test_build_report_summary_and_json(content, tmp_path, capsys):
    _site(content)
    write(content / "posts" / "2023-06-01-bad.md", "---\ntitle: Bad\n---\nFine after all.\n")
    args = ["build", "--content", str(content), "--out", str(tmp_path / "site"),
            "--cache-dir", str(tmp_path / ".cache"), "-j", "1"]
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "2 pages rendered, 0 unchanged" in err and "time: read" in err and "heaviest:" in err
    assert "math: 1 formula" in err
    data = json.loads((tmp_path / ".cache" / "build-report.json").read_text())
    assert data["pages_rendered"] == 2 and set(data["stages"]) >= {"read", "parse", "write"}
    assert data["heaviest"][0]["path"].endswith(".html") and data["seconds"] > 0
    assert main(args + ["-q"]) == 0
    assert capsys.readouterr().err == ""
    assert main(args + ["-v"]) == 0
    assert "0 pages rendered, 2 unchanged" in capsys.readouterr().err


def test_progress_bar_draws_on_a_terminal_only():
    import io

    from explainer.site.report import ProgressBar

    class Tty(io.StringIO):
        def isatty(self):
            return True
    tty = Tty()
    bar = ProgressBar(tty, delay=0)
    for i in range(1, 11):
        bar("pages", i, 10)
    assert "[" in tty.getvalue() and "10/10" in tty.getvalue() and tty.getvalue().endswith("\r")
    pipe = io.StringIO()
    ProgressBar(pipe, delay=0)("pages", 1, 1)
    assert pipe.getvalue() == ""
