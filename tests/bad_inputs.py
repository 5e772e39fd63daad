"""Hand-written bad inputs, one per root cause found by trying the build as an attacker and as an
unlucky author would; each must end as `path:line:col: error:` (or a warning), never a traceback.
Used by tests/test_bad_inputs.py and as seeds by bench/fuzz.py."""

from __future__ import annotations

POST = "posts/2024-01-01-a.md"


def fm(extra: str = "", body: str = "x\n") -> str:
    return f"---\ntitle: A\n{extra}---\n{body}"


def billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\n"


# name -> ({relative path: text or bytes}, expected exit code, text every error line must contain)
CASES: dict[str, tuple[dict, int, str]] = {
    "yaml tag": ({POST: fm("n: !!int a\n")}, 1, "a.md:3:"),
    "yaml python tag": ({POST: fm("n: !!python/object/apply:os.system ['true']\n")}, 1, "a.md:3:"),
    "integer over 4300 digits": ({POST: fm("n: " + "9" * 5000 + "\n")}, 1, "a.md:3:"),
    "billion laughs": ({POST: fm(billion_laughs())}, 1, "a.md:"),
    "recursive alias": ({POST: fm("x: &a [*a]\n")}, 1, "a.md:3:"),
    "deep yaml": ({POST: fm("x: " + "[" * 500 + "]" * 500 + "\n")}, 1, "a.md:3:"),
    "site.yml math: 5": ({"site.yml": "math: 5\n"}, 1, "site.yml:1:1:"),
    "site.yml url IPv6": ({"site.yml": "url: 'http://[::1'\n"}, 1, "site.yml:1:1:"),
    "site.yml not UTF-8": ({"site.yml": b"title: \xff\xfe\n"}, 1, "site.yml:1:1:"),
    "site.yml a list": ({"site.yml": "- a\n- b\n"}, 1, "site.yml:1:"),
    "site.yml macros a list": ({"site.yml": "math: {macros: [1, 2]}\n"}, 1, "site.yml:1:"),
    "site.yml javascript macro": (
        {"site.yml": "math: {mode: client, macros: {e: '\\href{javascript:x}{y}'}}\n"},
        1,
        "site.yml:1:",
    ),
    "site.yml giscus a string": ({"site.yml": "giscus: yes please\n"}, 1, "site.yml:1:"),
    "unicode surrogate": ({POST: fm(body="$\\unicode{xD800}$\n")}, 1, "a.md:4:"),
    "time zone +9999": ({POST: fm("date: 2024-01-01 10:00:00 +9999\n")}, 1, "a.md:3:"),
    "year 9999 west": ({POST: fm("date: 9999-12-31 23:59:59 -1200\n")}, 1, "a.md:3:"),
    "year 1": ({"posts/0001-01-01-a.md": fm()}, 0, ""),
    "year 1 in front matter": ({POST: fm("date: 0001-01-01\n")}, 1, "a.md:3:"),
    "plotly nested 1200 deep": (
        {POST: fm(body="```plotly\n" + "[" * 1200 + "]" * 1200 + "\n```\n")},
        1,
        "a.md:5:",
    ),
    "footnote chain 300 deep": (
        {POST: fm(body="x[^1]\n\n" + "".join(f"[^{i}]: y[^{i + 1}]\n" for i in range(1, 300)))},
        1,
        "a.md:",
    ),
    "file name not UTF-8": ({b"posts/2024-01-01-\xff.md": fm()}, 1, ":1:1:"),
    "bibliography outside": ({POST: fm("bibliography: ../../../etc/passwd\n")}, 1, "a.md:3:"),
    "author url javascript": ({POST: fm("authors: [{name: E, url: 'javascript:alert(1)'}]\n")}, 1, "a.md:3:"),
    "front matter a list": ({POST: "---\n- a\n---\nx\n"}, 1, "a.md:2:"),
    "title a mapping": ({POST: "---\ntitle: {a: 1}\n---\nx\n"}, 1, "a.md:2:"),
    "math_macros a list": ({POST: fm("math_macros: [1]\n")}, 1, "a.md:3:"),
    "unclosed highlight": ({POST: fm(body="{% highlight python %}\nx = 1\n")}, 0, ""),
    "figure yaml alias bomb": ({POST: fm(body="```figure\n" + billion_laughs() + "```\n")}, 1, "a.md:"),
    "figure data outside": (
        {
            POST: fm(
                body="```figure\nid: f\nview: latent\nexperiment: {model: pca, "
                "dataset: npz, path: ../secret.npz}\n```\n"
            )
        },
        1,
        "a.md:",
    ),
    "post not UTF-8": ({POST: b"---\ntitle: \xff\n---\nx\n"}, 1, "a.md:1:"),
}
