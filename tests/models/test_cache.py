"""The training cache: keys, reasons, corruption, and warm builds that never import jax."""

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from explainer.models import cache
from explainer.models.experiments import ExperimentConfig

REPO = Path(__file__).resolve().parents[2]
PCA = ExperimentConfig("pca", latent_dim=3)
AE = ExperimentConfig("ae", latent_dim=2, hidden=(8,), steps=30)


def build(tmp_path, configs, **kw):
    """(results, the cache's own lines); what training says while it runs is tested in test_progress."""
    lines = []
    results = cache.load_or_train(configs, cache_dir=tmp_path / "cache", content_dir=tmp_path,
                                  log=lines.append, parallel=False, **kw)
    return results, [line for line in lines if not line.startswith("training ")]


def key(config, tmp_path):
    return cache.cache_key(cache.key_parts(config, tmp_path, tmp_path / "cache"))


def test_key_changes_only_when_it_should(tmp_path, monkeypatch):
    base = key(AE, tmp_path)
    assert key(ExperimentConfig("ae", latent_dim=2, hidden=(8,), steps=30, learning_rate=1e-2,
                                schedule="cosine", beta=7.0), tmp_path) == base  # defaults spelled out
    assert key(ExperimentConfig("ae", latent_dim=2, hidden=(8,), steps=31), tmp_path) != base
    monkeypatch.setattr(cache, "library_versions", lambda: {"jax": "9.9", "flax": "1", "optax": "1"})
    assert key(AE, tmp_path) != base
    monkeypatch.undo()
    monkeypatch.setattr(cache, "code_hashes", lambda config, content: {"explainer/models/loop.py": "edited"})
    assert key(AE, tmp_path) != base


def test_code_sources_are_found_by_walking_imports(tmp_path):
    """The key covers what the trainer and the model's file import, found from their imports; a
    model's file is in only its own experiments' keys."""
    ae = cache.code_hashes(AE.resolved(), tmp_path)
    vae = cache.code_hashes(ExperimentConfig("vae").resolved(), tmp_path)
    for name in ("train.py", "loop.py", "score.py", "data.py", "pca.py", "protocol.py", "nets.py", "zoo/_mlp.py"):
        assert f"explainer/models/{name}" in ae
    assert "explainer/models/zoo/ae.py" in ae and "explainer/models/zoo/vae.py" not in ae
    assert "explainer/models/zoo/vae.py" in vae and "explainer/models/zoo/ae.py" not in vae
    assert "explainer/figures/live.py" not in ae  # drawing is not training


def test_import_walk_follows_relative_and_lazy_imports(tmp_path):
    from explainer.models import sources

    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .sub import b\n\ndef f():\n    from . import c\n")
    (pkg / "sub" / "b.py").write_text("from ..d import thing\nimport numpy\n")
    (pkg / "c.py").write_text("")
    (pkg / "d.py").write_text("thing = 1\n")
    (pkg / "unused.py").write_text("")
    names = [p.relative_to(pkg).as_posix() for p in sources.closure(pkg / "a.py", pkg)]
    assert names == ["__init__.py", "a.py", "c.py", "d.py", "sub/__init__.py", "sub/b.py"]


def test_npz_fingerprint_follows_the_file(tmp_path):
    import numpy as np

    np.savez(tmp_path / "d.npz", x=np.zeros((30, 2)))
    cfg = ExperimentConfig("pca", dataset="npz", path="d.npz", latent_dim=1)
    first = key(cfg, tmp_path)
    np.savez(tmp_path / "d.npz", x=np.ones((30, 2)))
    assert key(cfg, tmp_path) != first


def test_second_build_is_cached_and_says_why_it_retrained(tmp_path, monkeypatch):
    results, lines = build(tmp_path, [PCA, PCA])
    assert list(results) == [PCA.resolved()]
    assert lines == [lines[0]] and lines[0].startswith("trained PCA d=3 (why: new) in ")
    again, lines = build(tmp_path, [PCA])
    assert lines == ["cached  PCA d=3"]
    assert again[PCA.resolved()].metrics == results[PCA.resolved()].metrics
    real = cache.code_hashes
    monkeypatch.setattr(cache, "code_hashes",
                        lambda config, content: {**real(config, content), "explainer/models/pca.py": "edited"})
    _, lines = build(tmp_path, [PCA])
    assert "(why: explainer/models/pca.py changed)" in lines[0]


@pytest.mark.slow
def test_config_change_is_named(tmp_path):
    build(tmp_path, [AE])
    _, lines = build(tmp_path, [ExperimentConfig("ae", latent_dim=2, hidden=(8,), steps=45)])
    assert "(why: config changed: steps 30→45)" in lines[0]
    assert " on cpu" in lines[0] and "test MSE" in lines[0]


@pytest.mark.parametrize("damage", ["truncate", "drop_json", "garble_json"])
def test_corrupt_entry_is_retrained(tmp_path, damage):
    build(tmp_path, [PCA])
    entry = next((tmp_path / "cache" / "experiments").glob("*.npz"))
    if damage == "truncate":
        entry.write_bytes(entry.read_bytes()[:100])
    elif damage == "drop_json":
        entry.with_suffix(".json").unlink()
    else:
        entry.with_suffix(".json").write_text("{not json")
    results, lines = build(tmp_path, [PCA])
    assert lines[-1].startswith("trained PCA d=3 (why: corrupt entry)")
    if damage != "drop_json":  # a damaged entry is named in one line; a missing half is simply absent
        assert "damaged cache entry" in lines[0] and len(lines) == 2
    _, lines = build(tmp_path, [PCA])
    assert lines == ["cached  PCA d=3"]


@pytest.mark.slow
def test_warm_build_in_a_fresh_process_never_imports_jax(tmp_path):
    build(tmp_path, [PCA, AE])
    script = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from explainer.models.cache import load_or_train
        from explainer.models.experiments import ExperimentConfig
        configs = [ExperimentConfig("pca", latent_dim=3),
                   ExperimentConfig("ae", latent_dim=2, hidden=(8,), steps=30)]
        results = load_or_train(configs, cache_dir=Path({str(tmp_path / "cache")!r}),
                                content_dir=Path({str(tmp_path)!r}))
        assert len(results) == 2
        print("jax imported:", "jax" in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["cached  PCA d=3", "cached  AE d=2 hidden=[8]", "jax imported: False"]


@pytest.mark.slow
def test_cached_result_round_trips_layers(tmp_path):
    results, _ = build(tmp_path, [AE])
    again, _ = build(tmp_path, [AE])
    a, b = results[AE.resolved()], again[AE.resolved()]
    assert b.config == a.config and b.encoder.ops == a.encoder.ops and b.decoder.shapes == a.decoder.shapes
    assert all((x == y).all() for x, y in zip(b.encoder.consts, a.encoder.consts))
    assert "logistic" in [op["op"] for op in b.decoder.ops]  # pixels: the page's decoder ends in the sigmoid
    assert set(b.history) == {"step", "train_loss", "val_loss", "val_mse"}
    meta = json.loads(next((tmp_path / "cache" / "experiments").glob("*.json")).read_text())["body"]
    assert meta["provenance"]["versions"]["jax"]


@pytest.mark.slow
def test_cpu_workers_from_an_unguarded_script(tmp_path):
    """Worker processes are spawned; a build script without `if __name__ == "__main__"` must not
    be re-run by them."""
    script = tmp_path / "build_models.py"
    script.write_text(textwrap.dedent(f"""
        from pathlib import Path
        from explainer.models.cache import load_or_train
        from explainer.models.experiments import ExperimentConfig
        configs = [ExperimentConfig("ae", latent_dim=d, hidden=(8,), steps=30) for d in (2, 3)]
        load_or_train(configs, cache_dir=Path({str(tmp_path / "cache")!r}), content_dir=Path("."), device="cpu")
    """))
    env = {**__import__("os").environ, "PYTHONPATH": str(REPO)}
    out = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True,
                         timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    plan, *lines = out.stdout.splitlines()  # first, at once: what trains where
    assert plan.startswith("training ") and "AE d=2 hidden=[8], AE d=3 hidden=[8]" in plan and "CPU" in plan
    lines = sorted(line for line in lines if not line.startswith("training "))
    assert len(lines) == 2 and all(line.startswith("trained AE d=") for line in lines)
