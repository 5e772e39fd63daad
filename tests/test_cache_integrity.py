"""Every cache file is data only and checked on read: truncated, randomised, swapped or edited
entries are detected and rebuilt (never published), and a crafted entry never runs code."""

from __future__ import annotations

import json
import os
import pickle
import random

import pytest

from explainer.base.sealed_json import DamagedEntry, seal, unseal
from tests.conftest import write

POST = """---
title: Cached
---
Math $a^2 + b^2$ here.
"""


class _Boom:
    """Unpickling this would create a file: the proof that a pickle ran code."""

    def __init__(self, flag):
        self.flag = flag

    def __reduce__(self):
        return (open, (self.flag, "w"))


def _site_with_math(content, build_site):
    path = content.parent / "content" / "site.yml"
    path.write_text("title: T\nurl: https://example.org\nmath:\n  mode: svg\n")
    write(content / "posts" / "2024-01-01-a.md", POST)
    write(content / "posts" / "2024-01-02-b.md", POST.replace("a^2", "c^3"))
    build_site(content)


DAMAGES = ["truncate", "randomise", "edit", "swap"]


def _damage(path, how, other=None):
    rng = random.Random(3)
    data = path.read_bytes()
    if how == "truncate":
        path.write_bytes(data[: len(data) // 2])
    elif how == "randomise":
        path.write_bytes(bytes(rng.randrange(256) for _ in range(len(data))))
    elif how == "edit":  # a plausible edit: a title, or one letter of the stored data changed
        edited = data.replace(b'"title":"Cached"', b'"title":"Forged"')
        if edited == data:
            at = data.find(b'"body"') + 10 if b'"body"' in data else len(data) // 2
            while not data[at : at + 1].isalpha():
                at += 1
            edited = data[:at] + (b"Q" if data[at : at + 1] != b"Q" else b"R") + data[at + 1 :]
        path.write_bytes(edited)
    elif how == "swap":
        path.write_bytes(other.read_bytes())


@pytest.mark.parametrize("how", DAMAGES)
def test_damaged_post_memo_is_ignored_and_rewritten(content, build_site, tmp_path, how, capsys):
    from explainer.posts import post_memo, read

    _site_with_math(content, build_site)
    memo = tmp_path / ".cache" / post_memo.MEMO_FILE
    assert memo.is_file()
    other = tmp_path / "other.json"
    other.write_bytes(seal("post-memo", post_memo.MEMO_FORMAT, [], "another version"))
    _damage(memo, how, other)
    read._MEMO.clear()
    post_memo.forget_loaded()  # a fresh process
    build_site(content)
    page = (tmp_path / "site/blog/2024/a/index.html").read_text()
    assert "Forged" not in page and "Cached" in page
    post_memo.forget_loaded()
    post_memo.load_memo(memo, print)  # rewritten whole: loads without a word
    assert read._MEMO and "ignored" not in capsys.readouterr().out


@pytest.mark.parametrize("how", DAMAGES)
def test_damaged_manifest_means_a_full_rebuild_not_a_wrong_site(content, build_site, tmp_path, how):
    _site_with_math(content, build_site)
    site = tmp_path / "site"
    good = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    manifest = tmp_path / ".cache" / "manifest.json"
    other = tmp_path / "other.json"
    other.write_bytes(seal("manifest", 2, {"files": {}, "shape": ""}, "/another/site"))
    _damage(manifest, how, other)
    (site / "index.html").write_text("tampered")
    report = build_site(content)
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == good
    assert report.pages_skipped == 0 or how == "edit"


@pytest.mark.parametrize("how", DAMAGES)
def test_damaged_math_entry_is_rendered_again(content, build_site, tmp_path, how, capfd):
    _site_with_math(content, build_site)
    entries = sorted((tmp_path / ".cache" / "math").rglob("*.json"))
    assert len(entries) == 2
    page = tmp_path / "site/blog/2024/a/index.html"
    good = page.read_bytes()
    _damage(entries[0], how, entries[1])
    (tmp_path / "site").joinpath("index.html").unlink()  # make the build rerender pages
    import shutil

    shutil.rmtree(tmp_path / "site")
    build_site(content)
    assert page.read_bytes() == good
    assert "math cache entry" in capfd.readouterr().err
    assert all(unseal(p.read_bytes(), "math", 3, p.stem) for p in entries)  # rewritten, valid


def test_sealed_json_rejects_each_kind_of_damage():
    blob = seal("k", 1, {"a": [1, 2.5, "x"]}, "key")
    assert unseal(blob, "k", 1, "key") == {"a": [1, 2.5, "x"]}
    for bad, why in [
        (blob[:-5], "not readable"),
        (blob.replace(b"2.5", b"3.5"), "checksum"),
        (blob, "another key"),
        (b"\x80\x04K.", "not readable"),
    ]:
        with pytest.raises(DamagedEntry, match=why):
            unseal(bad, "k", 1, "key" if why != "another key" else "other")
    with pytest.raises(DamagedEntry, match="format version"):
        unseal(blob, "k", 2, "key")


def test_a_crafted_pickle_where_the_memo_was_never_runs(content, build_site, tmp_path):
    """The old memo file name and the new one, both holding a pickle that would create a file."""
    flag = tmp_path / "pwned"
    write(content / "posts" / "2024-01-01-a.md", POST)
    cache = tmp_path / ".cache"
    cache.mkdir()
    payload = pickle.dumps(("v", _Boom(str(flag))))
    (cache / "posts.pickle").write_bytes(payload)
    (cache / "posts-memo.json").write_bytes(payload)
    (cache / "manifest.json").write_bytes(payload)
    from explainer.posts import post_memo

    post_memo.forget_loaded()
    build_site(content)
    assert not flag.exists()
    assert not (cache / "posts.pickle").exists()  # the old format is removed, never read


def test_crafted_memo_json_cannot_name_other_classes(tmp_path):
    from explainer.posts.memo_codec import decode
    from explainer.posts.post_memo import memo_classes

    for crafted in [{"c": "Popen", "f": {"args": "touch x"}}, {"c": "os.system", "f": {}}, {"x": 1}]:
        with pytest.raises((KeyError, ValueError, TypeError)):
            decode(crafted, memo_classes())


# ---- trained models: both halves -----------------------------------------------------------------


@pytest.fixture
def trained(tmp_path):
    from explainer.models.cache import load_or_train
    from explainer.models.experiments import ExperimentConfig

    configs = [ExperimentConfig("pca", latent_dim=2), ExperimentConfig("pca", latent_dim=3)]

    def run():
        lines = []
        res = load_or_train(configs, cache_dir=tmp_path / "m", content_dir=tmp_path, log=lines.append)
        return res, lines

    return configs, run


# Each case retrains (seconds): the edit that would publish a lie runs in the fast loop, the rest are slow.
MODEL_CASES = [pytest.param(how, half, marks=() if (how, half) == ("edit", "json") else pytest.mark.slow)
               for how in DAMAGES for half in ("json", "npz")]


@pytest.mark.parametrize("how,half", MODEL_CASES)
def test_damaged_model_entry_is_retrained_not_published(trained, tmp_path, half, how):
    configs, run = trained
    first, _ = run()
    entries = sorted((tmp_path / "m" / "experiments").glob(f"*.{half}"))
    target, other = entries
    _damage(target, how, other)
    if half == "json" and how == "edit":  # and the edit that would lie: a better metric
        meta = json.loads(other.read_text())
        meta["body"]["metrics"]["test_mse"] = 0.0
        other.write_text(json.dumps(meta))
    again, lines = run()
    assert any("damaged cache entry" in line for line in lines), lines
    assert any("why: corrupt entry" in line for line in lines), lines
    for c in configs:
        a, b = first[c.resolved()], again[c.resolved()]
        assert a.metrics == b.metrics and a.config == b.config


def test_npz_bomb_in_the_cache_is_refused_before_unpacking(trained, tmp_path, monkeypatch):
    import hashlib
    import io
    import zipfile

    from explainer.models import store

    configs, run = trained
    run()
    monkeypatch.setattr(store, "MAX_ARRAY_BYTES", 100_000)  # the real limit is 1 GiB: same check, less RAM
    entry = sorted((tmp_path / "m" / "experiments").glob("*.npz"))[0]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("test_x.npy", b"\0" * (store.MAX_ARRAY_BYTES + 1))  # a few hundred bytes deflated
    entry.write_bytes(buf.getvalue())
    meta = entry.with_suffix(".json")
    body = unseal(meta.read_bytes(), "trained-model", store.FORMAT, entry.stem)
    body["npz_sha256"] = hashlib.sha256(buf.getvalue()).hexdigest()  # forged so only the size check stands
    meta.write_bytes(seal("trained-model", store.FORMAT, body, entry.stem))
    with pytest.raises(store.CorruptEntry, match="unpack to"):
        store.load(entry.with_suffix(""))
    assert os.path.getsize(entry) < 2_000
