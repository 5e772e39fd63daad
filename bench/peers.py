"""Peer generators for the build benchmark: the same generated corpus laid out for Jekyll, Hugo and
Pelican, built in a subprocess, timed in CPU seconds (user + system of the whole process tree).

    python bench/peers.py --setup        # install the peers: Debian's jekyll and hugo, pelican in a venv

The peers do not typeset math (Jekyll and Pelican leave TeX to client-side MathJax, Hugo's goldmark
passes it through), so the fair comparison is with `math: client`; explainer's default (`math: svg`,
typeset at build time) does strictly more work. Each peer gets minimal templates: the benchmark
measures Markdown-to-HTML over the corpus, not a theme.
"""

from __future__ import annotations

import re
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

PELICAN_VENV = Path("/tmp/explainer-bench-pelican")


def cpu_run(args: list[str], cwd: Path) -> tuple[float, float]:
    """(CPU seconds of the child and its children, wall seconds); exits on a failed build."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"{args[0]} failed:\n{proc.stdout[-1500:]}\n{proc.stderr[-1500:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def _split(post: Path) -> tuple[str, str]:
    text = post.read_text()
    _, front, body = text.split("---\n", 2)
    return front, body


def _field(front: str, name: str) -> str:
    m = re.search(rf"^{name}:\s*(.+)$", front, re.M)
    return m.group(1).strip().strip('"') if m else ""


# ---- Jekyll -------------------------------------------------------------------------------------

def jekyll_site(posts: list[Path], root: Path) -> list[str]:
    (root / "_posts").mkdir(parents=True)
    (root / "_layouts").mkdir()
    (root / "_config.yml").write_text("title: Bench\nmarkdown: kramdown\nkramdown:\n  math_engine: mathjax\n"
                                      "permalink: /blog/:year/:title/\n")
    layout = "<!doctype html><html><head><title>{{ page.title }}</title></head><body>{{ content }}</body></html>\n"
    (root / "_layouts" / "distill.html").write_text(layout)
    (root / "_layouts" / "default.html").write_text(layout)
    (root / "index.html").write_text("---\nlayout: default\n---\n{% for p in site.posts %}"
                                     "<a href=\"{{ p.url }}\">{{ p.title }}</a>{% endfor %}\n")
    for post in posts:
        shutil.copy(post, root / "_posts" / post.name)
    return ["jekyll", "build", "--quiet", "--source", str(root), "--destination", str(root / "_site")]


# ---- Hugo ---------------------------------------------------------------------------------------

def hugo_site(posts: list[Path], root: Path) -> list[str]:
    (root / "content" / "posts").mkdir(parents=True)
    (root / "layouts" / "_default").mkdir(parents=True)
    (root / "hugo.toml").write_text('baseURL = "https://example.org/"\ntitle = "Bench"\n'
                                    "[markup.goldmark.renderer]\nunsafe = true\n")
    (root / "layouts" / "_default" / "single.html").write_text(
        "<!doctype html><html><head><title>{{ .Title }}</title></head><body>{{ .Content }}</body></html>\n")
    (root / "layouts" / "_default" / "list.html").write_text(
        "<!doctype html><html><body>{{ range .Pages }}<a href=\"{{ .RelPermalink }}\">{{ .Title }}</a>"
        "{{ end }}</body></html>\n")
    for post in posts:
        front, body = _split(post)
        (root / "content" / "posts" / post.name).write_text(f"---\n{front}---\n{body}")
    return ["hugo", "--quiet", "--source", str(root), "--destination", str(root / "public")]


# ---- Pelican ------------------------------------------------------------------------------------

def pelican_site(posts: list[Path], root: Path) -> list[str]:
    (root / "content").mkdir(parents=True)
    (root / "pelicanconf.py").write_text('SITENAME = "Bench"\nSITEURL = ""\nTIMEZONE = "UTC"\n'
                                         "FEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\n")
    for post in posts:
        front, body = _split(post)
        title, date = _field(front, "title"), _field(front, "date")[:16]
        (root / "content" / post.name).write_text(f"Title: {title}\nDate: {date}\n\n{body}")
    return [str(PELICAN_VENV / "bin" / "pelican"), "-q", str(root / "content"), "-o", str(root / "output"),
            "-s", str(root / "pelicanconf.py")]


PEERS = {"jekyll": (jekyll_site, "jekyll"), "hugo": (hugo_site, "hugo"),
         "pelican": (pelican_site, str(PELICAN_VENV / "bin" / "pelican"))}


def available() -> dict:
    return {name: make for name, (make, exe) in PEERS.items() if shutil.which(exe) or Path(exe).is_file()}


def missing() -> list[str]:
    return [name for name in PEERS if name not in available()]


def setup() -> None:
    """Install the peers: Debian's hugo and jekyll (root), pelican and markdown in their own venv."""
    subprocess.run(["apt-get", "install", "-y", "-qq", "hugo", "jekyll"], check=False)
    if not (PELICAN_VENV / "bin" / "pelican").is_file():
        subprocess.run([sys.executable, "-m", "venv", str(PELICAN_VENV)], check=True)
        subprocess.run([str(PELICAN_VENV / "bin" / "pip"), "install", "-q", "pelican", "markdown"], check=False)
    print("peers available:", ", ".join(available()) or "none", "| missing:", ", ".join(missing()) or "none")


def time_peer(name: str, posts: list[Path], work: Path) -> tuple[float, float]:
    """Clean build of `posts` by peer `name`: (CPU s, wall s)."""
    root = work / name
    shutil.rmtree(root, ignore_errors=True)
    args = available()[name](posts, root)
    return cpu_run(args, root)


if __name__ == "__main__":
    if "--setup" in sys.argv:
        setup()
    else:
        print(__doc__)
