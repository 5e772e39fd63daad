"""Which URLs may land in an `href` or `src`: http, https, mailto, and relative ones.

Front matter, BibTeX and site.yml are data, and a data field must not be able to run script:
`javascript:alert(1)` as an author's `url:` would run on a reader's click. Raw HTML in a post's
body is a different matter: it is the author's, by design (see the README's Security section).
Browsers ignore tabs and newlines anywhere in a URL and control characters and spaces around it
(`java\tscript:`), so the scheme is read the way a browser reads it.
"""

from __future__ import annotations

import re

ALLOWED_SCHEMES = ("http", "https", "mailto")
_IGNORED_INSIDE = re.compile(r"[\t\n\r]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_HREF_IN_TEX = re.compile(r"\\href\s*\{([^{}]*)\}")


def safe_url(value) -> str | None:
    """`value` when a browser would treat it as an http(s)/mailto or relative URL, else None."""
    if value is None:
        return None
    text = _IGNORED_INSIDE.sub("", str(value)).strip("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x0b\x0c\x0e"
                                                     "\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18\x19"
                                                     "\x1a\x1b\x1c\x1d\x1e\x1f\x20")
    m = _SCHEME.match(text)
    if m and m.group(1).lower() not in ALLOWED_SCHEMES:
        return None
    return str(value).strip()


def refusal(value) -> str:
    return (f"{str(value)[:60]!r} is not an http(s), mailto or relative URL, so it is not linked; "
            "write e.g. `https://example.org`")


def unsafe_hrefs_in_tex(tex: str) -> list[str]:
    """URLs of `\\href{…}` in TeX (macro definitions) that fail the allow-list."""
    return [u for u in _HREF_IN_TEX.findall(tex) if safe_url(u) is None]
