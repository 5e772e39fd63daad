"""The build's first stage: every post file under content/posts/ read (or taken from the memo),
with the problems that keep a file out of the build reported once, as itself.

A file is skipped with a message, not read, when it cannot be a post safely: a name that is not
UTF-8 (it could never be a URL), a symbolic link leading outside content/ (`ln -s /etc/passwd
content/posts/x.md` would publish the file), or a size past MAX_POST_BYTES. The out paths of posts
that could not be read are returned too, so that a link to one of them is not reported as a
second, false problem in another post.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..base.errors import Diagnostics
from .post_memo import MEMO_FILE, load_memo, save_memo, without_text
from .read import _MEMO, POST_NAME_RE, Post, find_posts, read_post, slugify

MAX_POST_BYTES = 8 << 20  # a long article is ~100 KB; parsing scales with size, so bound it


def collect_posts(content: Path, cache_dir: Path, diag: Diagnostics, *, drafts: bool, save: bool,
                  log=print, lean: bool = False) -> tuple[list[Post], set[str]]:
    """-> (the posts to publish, newest first; out paths of the posts whose errors keep them out).
    `lean` (a one-shot build): the posts come back without their text, read again where needed
    (post_memo.without_text), and this process keeps nothing of them."""
    posts, memo, unreadable = [], cache_dir / MEMO_FILE, set()
    (cache_dir / "posts.pickle").unlink(missing_ok=True)  # the old memo format: never read, only removed
    load_memo(memo, log)
    root = content.resolve()
    for path in find_posts(content / "posts"):
        errors_before = len(diag.errors)
        st = _readable(path, root, diag)
        post = read_post(path, diag, st) if st is not None else None
        if post is not None and (post.facts.published or drafts):
            posts.append(post)
        elif post is None and len(diag.errors) > errors_before:
            unreadable.update(out_path_from_name(path))
    if save:
        save_memo(memo, content / "posts")
    if lean:
        posts = [without_text(p) for p in posts]
        _MEMO.clear()  # read by nothing else in a one-shot build; it held every text
    posts.sort(key=lambda p: (p.facts.date.replace(tzinfo=None), p.slug), reverse=True)
    return posts, unreadable


def _readable(path: Path, root: Path, diag: Diagnostics) -> os.stat_result | None:
    """The file's stat when it may be read as a post (one system call for a plain file: a 1000-post
    site stats every post on every build); None, with the reason in `diag`, when not."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        shown = os.fsencode(path).decode("utf-8", "replace")
        diag.error(shown, 1, "the file name is not UTF-8 text; rename the file", col=1)
        return None
    st = os.lstat(path)
    if stat.S_ISLNK(st.st_mode):
        if not path.resolve().is_relative_to(root):
            diag.warn(path, 1, f"symbolic link to {path.resolve()}, outside content/: not read; copy the "
                      "post into content/posts/", col=1)
            return None
        st = os.stat(path)
    if st.st_size > MAX_POST_BYTES:
        diag.error(path, 1, f"the post is {st.st_size / 2**20:.0f} MiB; posts are limited to "
                   f"{MAX_POST_BYTES >> 20} MiB: put data in files beside it", col=1)
        return None
    return st


def out_path_from_name(path: Path) -> list[str]:
    """Where a post would be published, from its file name alone (`YYYY-MM-DD-slug.md`)."""
    m = POST_NAME_RE.match(path.stem)
    return [f"blog/{m.group(1)}/{slugify(m.group(4))}/index.html"] if m else []
