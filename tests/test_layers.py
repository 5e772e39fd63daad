"""The package's import graph: no cycle, and no wing imports a wing above it (docs/architecture.md).

Function-level imports count too: they are still dependencies, only later ones.
`python tests/test_layers.py` prints the graph between wings.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "explainer"

# Lower numbers are further down; a module may import its own wing and any wing with a lower number.
LAYERS = {
    "base": 0, "models": 0,
    "figure_spec": 1, "posts": 1,
    "figures": 2,
    "site": 3,
    "pipeline": 4,
    "serve": 5, "commands": 5,
    "cli": 6, "__main__": 7,
    "theme": 0,  # theme/compiled: Jinja's compiled templates, importing only jinja2 (site/compiled_templates.py)
    "": 0,  # explainer/__init__.py: the version only
}


def modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        out[name] = path
    return out


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                full = f"{target}.{alias.name}"
                found.add(full if full in known else target)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {t for t in found if t in known and t != name}


def graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: imports_of(name, path, set(mods)) for name, path in mods.items()}


def wing(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in g[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))
    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def test_no_import_cycle():
    assert cycles(graph()) == []


def test_every_module_belongs_to_a_known_wing():
    assert {wing(m) for m in graph()} <= set(LAYERS)


def test_no_upward_import():
    upward = [f"{m} -> {d}" for m, deps in graph().items() for d in deps
              if LAYERS[wing(d)] > LAYERS[wing(m)]]
    assert upward == []


def test_models_and_posts_stay_apart():
    """models/ is pure JAX (no HTML, no site); posts/ parses without drawing figures."""
    bad = [f"{m} -> {d}" for m, deps in graph().items() for d in deps
           if (wing(m) == "models" and wing(d) != "models" and wing(d) != "base")
           or (wing(m) == "posts" and wing(d) in ("figures", "models"))]
    assert bad == []


if __name__ == "__main__":
    edges: dict[tuple[str, str], int] = {}
    for m, deps in graph().items():
        for d in deps:
            if wing(m) != wing(d):
                edges[(wing(m) or "explainer", wing(d) or "explainer")] = edges.get((wing(m), wing(d)), 0) + 1
    for (a, b), n in sorted(edges.items(), key=lambda kv: (LAYERS.get(kv[0][0], 0), kv[0])):
        print(f"{a:>12} -> {b:<12} {n} import(s)")
    print("cycles:", cycles(graph()) or "none")
    print("top-level modules:", sorted(m for m in graph() if m.count(".") == 1 and not (PACKAGE / wing(m)).is_dir()))
