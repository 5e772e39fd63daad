"""Which files of content/ besides posts are published, as Jekyll copies al-folio's assets/.

Everything else in content/ (images, downloads, CNAME, ...) is copied to the site at the same
path, with Jekyll's exclusions: names starting with `.`, `_`, `#` or `~` (drafts in `_drafts/`,
editor lock files `.#post.md`, `.post.md.swp`), backups ending in `~`, and `node_modules/`.
Symlinks are never followed: `ln -s /etc content/x` or a link back to content/ itself would
publish files the author never meant to (a warning names each). The data files that figures train
on (`path:` of an npz experiment) stay private too. Site.yml's `include:` (Jekyll's key) publishes
any of these on purpose, e.g. `include: [.htaccess, data/points.npz]`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from ..base.errors import Diagnostics
from ..base.hashing import digest

NOT_COPIED = {"posts", "bibliography", "site.yml", "site.yaml", "frozen",  # frozen: models/freeze.py
              "node_modules"}
_FIGURE_BLOCK = re.compile(r"^(`{3,}|~{3,})figure[ \t]*\n(.*?)^\1", re.MULTILINE | re.DOTALL)
_DATA_PATH = re.compile(r"\bpath\s*:\s*['\"]?([^\s,'\"}]+\.npz)")


def excluded_name(name: str) -> bool:
    return name.startswith((".", "_", "#", "~")) or name.endswith("~") or name.endswith(".swp")


def figure_data_paths(posts) -> set[str]:
    """content/-relative paths of the npz files that figure blocks train on (read from the post
    sources, so pages skipped as unchanged count too)."""
    found: set[str] = set()
    for post in posts:
        if not post.mentions_figure:  # most posts (and their text is not read: post_memo.py)
            continue
        for m in _FIGURE_BLOCK.finditer(post.source):
            found.update(p.lstrip("./") for p in _DATA_PATH.findall(m.group(2)))
    return found


def content_files(content: Path, include: list[str], private: set[str], outputs, diag: Diagnostics) -> None:
    """Add content/'s publishable files to the `outputs` ledger (unchanged ones are kept, not even
    read). `private`: paths not published unless `include` names them."""
    if not content.is_dir():
        return
    wanted = {i.strip("/") for i in include}
    for rel, path in _walk(content, wanted, diag):
        if rel in outputs.files or (rel in private and rel not in wanted):
            continue  # the site's own pages and assets win; training data stays private
        st = path.stat()
        outputs.add_unless_fresh(rel, digest("content-file", st.st_size, st.st_mtime_ns), path.read_bytes)


def check_content_tree(content: Path, include: list[str], diag: Diagnostics) -> None:
    """`explainer check`: the warnings a build's copy would give, without reading any file."""
    if content.is_dir():
        for _ in _walk(content, {i.strip("/") for i in include}, diag):
            pass


def _walk(content: Path, wanted: set[str], diag: Diagnostics):
    for dirpath, dirs, names in os.walk(content):  # os.walk never descends into symlinked folders
        base = Path(dirpath)
        rel_dir = base.relative_to(content).as_posix()
        prefix = "" if rel_dir == "." else rel_dir + "/"
        for name in list(dirs):
            rel = prefix + name
            if (not prefix and name in NOT_COPIED) or (excluded_name(name) and not _wanted(rel, wanted)):
                dirs.remove(name)
            elif (base / name).is_symlink():
                _symlink_warning(base / name, diag)
        dirs.sort()
        for name in sorted(names):
            rel, path = prefix + name, base / name
            if not prefix and name in NOT_COPIED:
                continue
            if excluded_name(name) and rel not in wanted:
                continue
            if path.is_symlink():
                _symlink_warning(path, diag)
                continue
            if not _utf8(rel):
                diag.warn(os.fsencode(path).decode("utf-8", "replace"), 1, "the file name is not UTF-8 "
                          "text, so it cannot be published; rename the file", col=1)
                continue
            if path.is_file():
                yield rel, path


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _wanted(rel_dir: str, wanted: set[str]) -> bool:
    return any(w == rel_dir or w.startswith(rel_dir + "/") for w in wanted)


def _symlink_warning(path: Path, diag: Diagnostics) -> None:
    try:
        target = os.readlink(path)
    except OSError:
        target = "?"
    diag.warn(path, 1, f"symbolic link (to {target}) not followed, so not published; copy the file into "
              "content/ if it belongs to the site", col=1)
