"""The training cache: keys, reasons, corruption, and warm builds that never import jax."""

import json
import shutil
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
    lines = []
    results = cache.load_or_train(configs, cache_dir=tmp_path / "cache", content_dir=tmp_path,
                                  log=lines.append, parallel=False, **kw)
    return results, lines


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
    monkeypatch.setattr(cache, "code_hash", lambda: "edited")
    assert key(AE, tmp_path) != base


def test_code_hash_follows_the_module_text(tmp_path):
    src = Path(cache.__file__).parent
    for name in cache.CODE_FILES:
        shutil.copy(src / name, tmp_path / name)
    assert cache.code_hash(tmp_path) == cache.code_hash()
    (tmp_path / "losses.py").write_text((src / "losses.py").read_text() + "\n# a tweak\n")
    assert cache.code_hash(tmp_path) != cache.code_hash()


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
    monkeypatch.setattr(cache, "code_hash", lambda: "edited")
    _, lines = build(tmp_path, [PCA])
    assert "(why: code changed)" in lines[0]


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
    assert lines[0].startswith("trained PCA d=3 (why: corrupt entry)")
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
    assert out.stdout.splitlines() == ["cached  PCA d=3", "cached  AE d=2", "jax imported: False"]


@pytest.mark.slow
def test_cached_result_round_trips_layers(tmp_path):
    results, _ = build(tmp_path, [AE])
    again, _ = build(tmp_path, [AE])
    a, b = results[AE.resolved()], again[AE.resolved()]
    assert b.config == a.config and len(b.encoder) == len(a.encoder)
    assert (b.encoder[0].w == a.encoder[0].w).all() and b.decoder[-1].activation == "sigmoid"
    assert set(b.history) == {"step", "train_loss", "val_loss", "val_mse"}
    meta = json.loads(next((tmp_path / "cache" / "experiments").glob("*.json")).read_text())
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
    lines = sorted(out.stdout.splitlines())
    assert len(lines) == 2 and all(line.startswith("trained AE d=") for line in lines)
