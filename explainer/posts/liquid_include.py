"""al-folio's media includes, rendered as its `_includes/*.liquid` files would render them.

    {% include figure.liquid path="assets/img/9.jpg" class="img-fluid rounded z-depth-1" caption="…" %}
    {% include video.liquid path="assets/video/demo.mp4" class="img-fluid" controls=true %}
    {% include audio.liquid path="assets/audio/talk.mp3" controls=true %}
    {% twitter https://x.com/user/status/123 %}          (jekyll-twitter-plugin, offline)

Paths go through relative_url; captions are HTML, with their math typeset as al-folio's MathJax
would. Any other include is not ours to render (liquid.py warns and shows it as written).
"""

from __future__ import annotations

import html
import re

from . import liquid_vars
from .html_math import math_in_html
from .lint import warn
from .parsed import page_of

_QUOTED_PATH_RE = re.compile(r"""\bpath\s*=\s*["']""")
_PARAM_RE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
_TAGS_RE = re.compile(r"<[^>]+>")
_EXTERNAL_RE = re.compile(r"^(?:https?:)?//", re.I)
FIGURE_INCLUDES = ("figure.liquid", "figure.html")
VIDEO_INCLUDES = ("video.liquid", "video.html")
AUDIO_INCLUDES = ("audio.liquid", "audio.html")
_TWEET_RE = re.compile(r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/(\w+)(/status(?:es)?/\d+)?",
                       re.IGNORECASE)
_VIDEO_FLAGS = ("controls", "autoplay", "loop", "muted")


def params(text: str) -> dict[str, str]:
    return {m.group(1): next((g for g in m.groups()[1:] if g is not None), "")
            for m in _PARAM_RE.finditer(text)}


def _src(path: str, env: dict) -> str:
    if "XLIQUIDURL" in path or _EXTERNAL_RE.match(path):
        return path
    return page_of(env).site.relative_url(path)


def _caption(params_: dict[str, str], env: dict, line: int | None) -> str:
    caption = params_.get("caption")
    if not caption:
        return ""
    body_line0 = (line or 1) - 1 - page_of(env).line_offset
    caption = math_in_html(caption, env, body_line0, allow_display=False)
    return f'<figcaption class="caption">{caption}</figcaption>'


def _path_or_warn(args: str, p: dict[str, str], env: dict, line: int | None, kind: str) -> str:
    path = p.get("path", "")
    if path and not _QUOTED_PATH_RE.search(args):  # `path=img_path`: a variable, as Liquid reads it
        path = liquid_vars.value_at(env, path, line or 0) or ""
        if path:
            return path
    if not path or not _QUOTED_PATH_RE.search(args):
        warn(env, line, f'{kind} include needs a quoted path, e.g. {{% include {kind}.liquid '
                        f'path="assets/…" caption="…" %}}; it is left out')
        return ""
    return path


def render_figure_include(args: str, env: dict, line: int | None) -> str:
    """al-folio's `figure.liquid`. Without `alt`, the caption's text stands in for it: it says
    what the picture shows, for readers who cannot see it."""
    p = params(args)
    path = _path_or_warn(args, p, env, line, "figure")
    if not path:
        return ""
    alt = p.get("alt") or " ".join(_TAGS_RE.sub("", p.get("caption", "")).split())
    attrs = f'src="{html.escape(_src(path, env))}" alt="{html.escape(alt)}" loading="lazy"'
    for name in ("class", "width", "height", "title"):
        if p.get(name):
            attrs += f' {name}="{html.escape(p[name])}"'
    img = f"<img {attrs}>"
    if p.get("url"):
        img = f'<a href="{html.escape(p["url"])}">{img}</a>'
    return f"<figure>{img}{_caption(p, env, line)}</figure>"


def render_video_include(args: str, env: dict, line: int | None) -> str:
    """al-folio's `video.liquid`: a <video> for a file, an <iframe> for a hosted player's URL."""
    p = params(args)
    path = _path_or_warn(args, p, env, line, "video")
    if not path:
        return ""
    src = html.escape(_src(path, env))
    extra = "".join(f' {n}="{html.escape(p[n])}"' for n in ("class", "width", "height", "title") if p.get(n))
    if _EXTERNAL_RE.match(path) and not re.search(r"\.(mp4|webm|ogg|mov)$", path, re.I):
        media = f'<iframe src="{src}"{extra} frameborder="0" allowfullscreen loading="lazy"></iframe>'
    else:
        flags = "".join(f" {f}" for f in _VIDEO_FLAGS if p.get(f, "false").lower() == "true")
        media = f'<video src="{src}"{extra}{flags} preload="metadata"></video>'
    return f"<figure>{media}{_caption(p, env, line)}</figure>"


def render_audio_include(args: str, env: dict, line: int | None) -> str:
    """al-folio's `audio.liquid`: an <audio> player (its `alt` becomes the accessible name)."""
    p = params(args)
    path = _path_or_warn(args, p, env, line, "audio")
    if not path:
        return ""
    extra = "".join(f' {n}="{html.escape(p[n])}"' for n in ("class", "title") if p.get(n))
    if p.get("alt"):
        extra += f' aria-label="{html.escape(p["alt"])}"'
    flags = "".join(f" {f}" for f in _VIDEO_FLAGS if p.get(f, "false").lower() == "true")
    media = f'<audio src="{html.escape(_src(path, env))}"{extra}{flags} preload="metadata"></audio>'
    return f"<figure>{media}{_caption(p, env, line)}</figure>"


def render_twitter(args: str, env: dict, line: int | None) -> str:
    """jekyll-twitter-plugin's `{% twitter URL [options] %}`. The plugin fetches the post's text
    from Twitter at build time and adds Twitter's script; a build here fetches nothing, so the
    embed is the quote box with a link to the post, which reads fine offline."""
    words = [w for w in args.split() if w != "oembed" and "=" not in w]
    url = words[0] if words else ""
    m = _TWEET_RE.match(url)
    if not m:
        warn(env, line, f"{{% twitter %}} needs a twitter.com or x.com URL, e.g. {{% twitter "
                        f"https://x.com/user/status/123 %}}; got `{url or args}`")
        if not url.startswith(("http://", "https://")):
            return ""
    who = f" by @{m.group(1)}" if m else ""
    text = (f"View the post{who} on X (Twitter)" if m and m.group(2)
            else f"Posts{who} on X (Twitter)" if m else url)
    return (f'<div class="jekyll-twitter-plugin"><blockquote class="twitter-tweet"><p>'
            f'<a href="{html.escape(url)}">{html.escape(text)}</a></p></blockquote></div>')


def render_include(args: str, env: dict, line: int | None) -> str | None:
    """HTML for an include we know, or None."""
    first = args.split(None, 1)[0] if args else ""
    if first in FIGURE_INCLUDES:
        return render_figure_include(args, env, line)
    if first in VIDEO_INCLUDES:
        return render_video_include(args, env, line)
    if first in AUDIO_INCLUDES:
        return render_audio_include(args, env, line)
    return None
