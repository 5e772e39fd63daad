"""Which source files decide what a training run produces: found by walking imports, never listed.

The training cache's key covers the text of every module the training code imports, transitively,
inside one root folder: the explainer package for the trainer and a built-in model, the content
folder for an author's model or loader (its own local modules, `from .layers import Block`). A
hand-kept list goes stale the day someone adds a module; the walk cannot. Imports are read from
the source (`ast`), including imports inside functions (the trainer imports jax lazily), so nothing
is executed and no jax is started.
"""

from __future__ import annotations

import ast
import hashlib
from functools import lru_cache
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parents[1]  # explainer/
TRAINER = PACKAGE_ROOT / "models" / "train.py"


def _module_file(folder: Path, dotted: str) -> Path | None:
    base = folder.joinpath(*dotted.split(".")) if dotted else folder
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _package_dir(path: Path) -> Path:
    return path.parent


def imported_files(path: Path, root: Path) -> list[Path]:
    """Files under `root` that `path` imports directly (relative imports, or absolute ones that
    name a module under `root`, e.g. `explainer.models.data` when root is the package's parent)."""
    stat = path.stat()
    return list(_imported_files(str(path), str(root), stat.st_mtime_ns, stat.st_size))


@lru_cache(maxsize=1024)
def _imported_files(path_text: str, root_text: str, mtime_ns: int, size: int) -> tuple[Path, ...]:
    """Parsed once per file version: a build asks for every experiment's key."""
    path, root = Path(path_text), Path(root_text)
    tree = ast.parse(path.read_bytes(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            found += _from_import(node, path, root)
        elif isinstance(node, ast.Import):
            found += [f for alias in node.names if (f := _absolute(alias.name, root))]
    return tuple(f for f in found if f is not None)


def _from_import(node: ast.ImportFrom, path: Path, root: Path) -> list:
    if node.level:
        folder = _package_dir(path)
        for _ in range(node.level - 1):
            folder = folder.parent
        if root not in (folder, *folder.parents):
            return []
        base = node.module or ""
        target = _module_file(folder, base)
        subs = [_module_file(folder, f"{base}.{a.name}" if base else a.name) for a in node.names]
        return [target] + subs
    base = _absolute(node.module or "", root)
    subs = [_absolute(f"{node.module}.{a.name}", root) for a in node.names]
    return [base] + subs


def _absolute(dotted: str, root: Path) -> Path | None:
    """`explainer.models.data` -> explainer/models/data.py when explainer/ is under root."""
    first, _, rest = dotted.partition(".")
    if first != root.name:
        return None
    return _module_file(root, rest)


def closure(start: Path, root: Path) -> list[Path]:
    """`start` and every file under `root` it imports, transitively, sorted."""
    root, seen, todo = Path(root).resolve(), set(), [Path(start).resolve()]
    while todo:
        path = todo.pop()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        try:
            todo += [p.resolve() for p in imported_files(path, root)]
        except SyntaxError:
            pass  # the author's syntax error is reported when the module is imported
    return sorted(seen)


def hashes(files, root: Path, label_root: Path | None = None) -> dict[str, str]:
    """{shown path: sha256[:16]} for the files (shown relative to `label_root`, default root)."""
    shown = Path(label_root or root).resolve()
    return {_shown(f, shown): _sha(f) for f in files}


def _shown(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def _sha(path: Path) -> str:
    return _sha_cached(str(path), path.stat().st_mtime_ns, path.stat().st_size)


@lru_cache(maxsize=512)
def _sha_cached(path: str, mtime_ns: int, size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def package_sources(*starts: Path) -> dict[str, str]:
    """Hashes of the trainer's closure and of the given package files' (a model's module)."""
    files = set(closure(TRAINER, PACKAGE_ROOT))
    for start in starts:
        files.update(closure(start, PACKAGE_ROOT))
    return hashes(sorted(files), PACKAGE_ROOT, PACKAGE_ROOT.parent)
