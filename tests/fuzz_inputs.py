"""Random content folders for fuzzing: front matter, Markdown, math, figures, Plotly JSON, BibTeX and
site.yml, built from fragments an author (or an attacker) might write and then mangled.

`random_content(rng)` -> {relative path: text or bytes}; `run_one(files, root)` builds and checks
it in this process and says how it ended. Used by tests/test_fuzz.py (hypothesis drives the rng)
and bench/fuzz.py (a seeded loop of thousands)."""

from __future__ import annotations

import io
import random
import re
import signal
import time
import traceback
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from tests.bad_inputs import CASES, billion_laughs

WORDS = [
    "a",
    "Ada",
    "β",
    "x_1",
    "<b>",
    "&amp;",
    "]]>",
    "\x00",
    "\x07",
    "\ud7ff",
    "{{",
    "}}",
    "{%",
    "%}",
    "$",
    "\\",
    "`",
    "*",
    "_",
    "[",
    "]",
    "(",
    ")",
    "#",
    "|",
    "~",
    ":",
    "-",
    "'",
    '"',
    "\n",
    " ",
    "\t",
    "javascript:alert(1)",
    "9" * 40,
    "\u202e",
    "\ufeff",
    "💥",
    "..",
    "/",
    "%2e%2e",
    "\r",
]

MD = [
    "# H\n",
    "## Same\n",
    "## Same\n",
    "### Sub {#id}\n",
    "- [ ] task\n",
    "- [x] done\n",
    "1. item\n",
    "> quote\n",
    "Text with a footnote[^1].\n\n[^1]: Note[^2].\n\n[^2]: Deeper.\n",
    "<d-footnote>inline $x$</d-footnote>\n",
    '<d-cite key="k1,k2"></d-cite>\n',
    '<d-cite key=""></d-cite>\n',
    "$a^2$ and $$b$$\n",
    "$$\n\\int_0^1 x\\,dx\n$$\n",
    "\\begin{equation}\\label{e1} x \\end{equation} \\eqref{e1} \\eqref{nope}\n",
    "\\(\\frac{1}{0}\\)\n",
    "$\\unicode{x1F600}$\n",
    "$\\unicode{xD800}$\n",
    "$\\href{javascript:alert(1)}{x}$\n",
    "$\\undefinedmacro$\n",
    "{% highlight python linenos %}\nx = 1\n{% endhighlight %}\n",
    "{% highlight python %}\n",
    "{% details Why? %}\nBecause.\n",
    "{% enddetails %}\n",
    "{% comment %}\n",
    "{% raw %}{{ x }}{% endraw %}\n",
    "{{ '/assets/x.png' | relative_url }}\n",
    '{% include figure.liquid path="assets/img/a.png" class="img-fluid" %}\n',
    "{% unknown tag %}\n",
    "[link](/blog/2024/a/)\n",
    "[bad](/nowhere/#frag)\n",
    "![](/assets/missing.png)\n",
    '<a href="#sec">x</a>\n',
    "```python\nprint(1)\n```\n",
    "```\nunclosed fence\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "Term\n: def\n",
    '<div markdown="1">*md*</div>\n',
    "{: .class}\n",
    "---\n",
    "***bold italic***\n",
    "<script>alert(1)</script>\n",
]

PLOTLY = [
    '{"data": [{"x": [1, 2], "y": [3, 4]}], "layout": {}}',
    '{"data": []}',
    '{"data": 5}',
    "[]",
    "{",
    '{"data": [{"x": [NaN, Infinity]}]}',
    '{"data": [{"name": "</script><script>alert(1)</script>"}]}',
    "[" * 80 + "]" * 80,
    '{"data": [], "layout": "x"}',
]

FIGURE_KEYS = [
    "id: f{n}",
    "view: latent",
    "view: reconstructions",
    "view: nope",
    "caption: A *caption* $x$",
    "layout: l-page",
    "layout: l-nope",
    "experiment: {model: pca, latent_dim: 2}",
    "experiment: {model: pca, dataset: moons}",
    "experiment: {model: pca, latent_dim: 0}",
    "experiment: {model: pca, dataset: npz, path: ../x.npz}",
    "experiment: {model: nope}",
    "experiments: [{model: pca}, {model: pca, latent_dim: 3}]",
    "expect: {beats_pca: true}",
    "experiment: 5",
    "id: [1]",
    "options: {x: 1}",
]

FRONT_GOOD = [
    "title: {w}",
    "description: {w}",
    "date: 2024-02-03 10:00:00 -0400",
    "authors: [{name: A, url: 'https://a.org'}]",
    "authors: [{name: {w}, affiliations: {name: C}}]",
    "toc: [{name: Same}, {name: Missing, subsections: [{name: H}]}]",
    "tags: a b c",
    "tags: [{w}]",
    "categories: {w}",
    "bibliography: refs.bib",
    "published: false",
    "giscus_comments: true",
    "_styles: '</style><script>x</script>'",
    "math_macros: {R: '\\mathbb{R}'}",
    "layout: distill",
    "unknown_key: {w}",
    "x: &a [1, 2]\ny: *a",
    "x: .nan",
    "y: -.inf",
]
FRONT_BAD = [
    "title: [unclosed",
    "title: !!int a",
    "title: {a: 1}",
    "date: 2024-13-45",
    "date: 9999-12-31 23:59:59 -1200",
    "date: 2024-01-01 +9999",
    "date: 0001-01-01",
    "authors: [{name: B, url: 'javascript:alert(1)', affiliations: {name: C, url: 'mailto:c@d'}}]",
    "authors: [{url: x}]",
    "authors: 5",
    "toc: 5",
    "bibliography: ../../x.bib",
    "bibliography: missing.bib",
    "published: maybe",
    "math_macros: {e: '\\href{javascript:x}{y}'}",
    "math_macros: [1]",
    "x: &a [*a]",
    "n: " + "9" * 4400,
]

SITE_GOOD = [
    "title: {w}",
    "url: https://example.org",
    "baseurl: /blog",
    "baseurl: {w}",
    "math: client",
    "math: {mode: svg, macros: {R: '\\mathbb{R}'}}",
    "giscus: {repo: a/b, repo_id: R, category: C, category_id: D}",
    "giscus: {'x onload': y}",
    "footer: {w}",
    "lang: {w}",
    "include: [.htaccess]",
    "include: 5",
    "description: {w}",
    "authors: [{name: {w}}]",
]
SITE_BAD = [
    "url: 'http://[::1'",
    "url: javascript:x",
    "url: 5",
    "math: 5",
    "math: {mode: nope}",
    "math: {macros: [1]}",
    "math: {macros: {e: '\\href{javascript:x}{y}'}}",
    "giscus: 5",
    "authors: [{name: S, url: 'javascript:x'}]",
]

BIB = [
    "@article{k1, title={A {T}itle}, author={Doe, J. and Roe, R.}, journal={J}, year={2020}}",
    "@misc{k2, title={<script>x</script>}, url={javascript:alert(1)}, year={2021}}",
    '@book{k3, title={B}, author={{\\"U}nicode}, doi={10.1/x}, year=2019}',
    "@article{k1, title={dup}}",
    "@article{broken, title={unclosed",
    "@comment{x}",
    "%% comment",
    "@string{j = {Journal}}",
]


def _pick(rng: random.Random, good: list, bad: list, p_bad: float = 0.15) -> str:
    return rng.choice(bad if rng.random() < p_bad else good)


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))


def _fill(template: str, rng: random.Random) -> str:
    word = _word(rng).replace("'", "''").replace("\n", " ")
    return template.replace("{w}", f"'{word}'").replace("{n}", str(rng.randint(0, 3)))


def _mangle(text: str, rng: random.Random) -> str:
    """Insert, delete or duplicate a few characters: finds what neat fragments do not."""
    for _ in range(rng.randint(0, 3)):
        if not text:
            break
        i = rng.randrange(len(text))
        op = rng.random()
        if op < 0.4:
            text = text[:i] + rng.choice(WORDS) + text[i:]
        elif op < 0.7:
            text = text[:i] + text[i + rng.randint(1, 5) :]
        else:
            text = text[:i] + text[i : i + 20] * rng.randint(2, 6) + text[i:]
    return text


def _body(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(1, 10)):
        r = rng.random()
        if r < 0.6:
            parts.append(rng.choice(MD))
        elif r < 0.75:
            if rng.random() < 0.7:  # a figure that works, maybe with an extra key
                keys = [
                    "id: f{n}",
                    rng.choice(["view: latent", "view: reconstructions"]),
                    rng.choice(
                        [
                            "experiment: {model: pca, latent_dim: 2}",
                            "experiment: {model: pca, dataset: moons}",
                        ]
                    ),
                ]
                keys += rng.sample(FIGURE_KEYS, rng.randint(0, 1))
            else:
                keys = rng.sample(FIGURE_KEYS, rng.randint(1, 5))
            parts.append("```figure\n" + "\n".join(_fill(k, rng) for k in keys) + "\n```\n")
        elif r < 0.85:
            parts.append("```plotly\n" + rng.choice(PLOTLY) + "\n```\n")
        else:
            parts.append(_word(rng) + "\n")
    body = "\n".join(parts)
    return _mangle(body, rng) if rng.random() < 0.15 else body


def random_content(rng: random.Random) -> dict:
    if rng.random() < 0.1:  # a known bad input, mangled
        files = dict(rng.choice(list(CASES.values()))[0])
        key = rng.choice(list(files))
        if isinstance(files[key], str):
            files[key] = _mangle(files[key], rng)
        return files
    files: dict = {}
    if rng.random() < 0.7:
        site = [_fill(_pick(rng, SITE_GOOD, SITE_BAD, 0.1), rng) for _ in range(rng.randint(0, 4))]
        if "mode" not in " ".join(site) and "math: " not in " ".join(site):
            site.append("math: client")  # most runs skip V8 start-up; some exercise SVG math
        files["site.yml"] = "\n".join(site) + "\n"
        if rng.random() < 0.05:
            files["site.yml"] = billion_laughs()
    for n in range(rng.randint(1, 3)):
        front = [_fill(_pick(rng, FRONT_GOOD, FRONT_BAD, 0.08), rng) for _ in range(rng.randint(0, 5))]
        if not any(f.startswith("title:") for f in front) and rng.random() < 0.9:
            front.insert(0, "title: T")
        text = "---\n" + "\n".join(front) + "\n---\n" + _body(rng)
        name = _pick(
            rng, ["2024-01-0{n}-a", "2024-01-0{n}-post", "2023-12-31-{n}"], ["no-date-{n}", "2024-02-30-x"]
        )
        files[f"posts/{name.format(n=n + 1)}.md"] = _mangle(text, rng) if rng.random() < 0.1 else text
    if rng.random() < 0.5:
        files["bibliography/refs.bib"] = "\n".join(rng.sample(BIB, rng.randint(1, 4))) + "\n"
    if rng.random() < 0.05:
        files["bibliography/refs.bib"] = "@misc{" + "{" * 2000 + "\n"
    return files


# ---- running one input ------------------------------------------------------------------------

_DIAG_RE = re.compile(r"^\S.*?:\d+:\d+: (error|warning): \S")


class TimedOut(Exception):
    pass


def _alarm(signum, frame):
    raise TimedOut()


def _write(files: dict, content: Path) -> None:
    import os
    import shutil

    shutil.rmtree(content.parent, ignore_errors=True)
    (content / "posts").mkdir(parents=True)
    for rel, data in files.items():
        name = rel if isinstance(rel, bytes) else rel.encode("utf-8", "surrogatepass")
        path = os.path.join(os.fsencode(content), name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass"))


def _cli(args: list[str], time_limit_s: int) -> tuple[int, str]:
    from explainer.cli import main

    out = io.StringIO()
    signal.alarm(time_limit_s)
    try:
        with redirect_stdout(out), redirect_stderr(out):
            code = main(args)
    except SystemExit as e:
        code = e.code
    finally:
        signal.alarm(0)
    return code, out.getvalue()


def _malformed(text: str) -> list[str]:
    return [ln for ln in text.splitlines()
            if ((": error: " in ln or ": warning: " in ln) and not _DIAG_RE.match(ln)) or "line None" in ln]


def _errors(text: str) -> set[str]:
    """Error lines without their suggestions (which depend on what else the site holds)."""
    lines = [ln for ln in text.splitlines() if ": error: " in ln]
    return {re.split(r" \(did you mean|; did you mean", ln)[0] for ln in lines}


def run_one(files: dict, root: Path, time_limit_s: int = 20) -> dict:
    """Check and build `files` in this process. -> {"outcome": "ok" | "errors" | "traceback" |
    "timeout" | "bad-message" | "check-missed", "seconds": float, "detail": str}.
    "check-missed": build reported an error that check did not (errors of trained figures aside:
    check never trains)."""
    content = root / "content"
    _write(files, content)
    build = ["build", "-q", "--content", str(content), "--out", str(root / "site"),
             "--cache-dir", str(root.parent / "fuzz-cache"), "-j", "1"]
    old = signal.signal(signal.SIGALRM, _alarm)
    t = time.perf_counter()
    try:
        (check_code, check_text), (build_code, build_text) = (
            _cli(["check", "--content", str(content)], time_limit_s), _cli(build, time_limit_s))
    except TimedOut:
        return {"outcome": "timeout", "seconds": time.perf_counter() - t, "detail": str(list(files))}
    except Exception:  # noqa: BLE001 - a crash of the CLI itself is what the fuzzer looks for
        detail = traceback.format_exc()[-3000:]
        return {"outcome": "traceback", "seconds": time.perf_counter() - t, "detail": detail}
    finally:
        signal.signal(signal.SIGALRM, old)
    seconds = time.perf_counter() - t
    for text, code in ((check_text, check_code), (build_text, build_code)):
        if "Traceback" in text or "internal error" in text or code not in (0, 1):
            return {"outcome": "traceback", "seconds": seconds, "detail": f"exit {code}: {text[-3000:]}"}
        if _malformed(text):
            return {"outcome": "bad-message", "seconds": seconds, "detail": _malformed(text)[0]}
    missed = [e for e in _errors(build_text) - _errors(check_text) if "figure `" not in e]
    if missed:
        return {"outcome": "check-missed", "seconds": seconds, "detail": missed[0]}
    return {"outcome": "errors" if check_code or build_code else "ok", "seconds": seconds, "detail": ""}
