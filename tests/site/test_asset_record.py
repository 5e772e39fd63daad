"""The asset record: unchanged inputs give the recorded names without making the assets; any changed
input (theme file, Pygments, plotly.js, the basic bundle, our code) makes them again."""

from __future__ import annotations

import os
import shutil

import pytest

from explainer.base.config import MathConfig, SiteConfig
from explainer.base.errors import ExplainerError
from explainer.base.process_caches import reset
from explainer.base.sealed_json import read_sealed, write_sealed
from explainer.site import asset_record, assets
from explainer.site.plotly_bundle import NPM_PREFIX_ENV
from tests.conftest import write

SITE = SiteConfig(title="t", math=MathConfig(mode="svg"))


@pytest.fixture
def fresh(monkeypatch, tmp_path):
    """Each collect_assets call as in a fresh process; no basic bundle."""
    monkeypatch.setenv(NPM_PREFIX_ENV, str(tmp_path / "npm"))
    reset("assets")
    yield
    reset("assets")


def _never_made(monkeypatch):
    def fail(*args):
        raise AssertionError("the assets were made, not taken from the record")
    monkeypatch.setattr(assets, "_collect", fail)


def test_unchanged_inputs_give_the_recorded_names_and_make_bytes_only_when_asked(fresh, tmp_path, monkeypatch):
    names, files = assets.collect_assets(SITE, tmp_path)
    assert (tmp_path / asset_record.RECORD_FILE).is_file()
    reset("assets")
    real = assets._collect
    _never_made(monkeypatch)
    names2, files2 = assets.collect_assets(SITE, tmp_path)
    assert names2 == names and {rel: key for rel, (_, key) in files2.items()} == {
        rel: key for rel, (_, key) in files.items()}
    monkeypatch.setattr(assets, "_collect", real)  # a file the site lacks is made when written
    css = names["css/highlight.css"]
    assert files2[css][0]() == files[css][0]


def test_the_record_is_only_read_without_a_cache_folder_or_written_with_save_false(fresh, tmp_path):
    assets.collect_assets(SITE, None)
    assets.collect_assets(SITE, tmp_path, save=False)
    assert not (tmp_path / asset_record.RECORD_FILE).exists()


def _fake_package(root, files):
    for rel in files:
        write(root / rel, f"# {rel}\n")
    return root


@pytest.mark.parametrize("change", ["pygments style", "pygments version", "plotly.js", "basic bundle",
                                    "theme file", "code", "math mode"])
def test_a_changed_input_makes_the_assets_again(fresh, tmp_path, monkeypatch, change):
    fake = {"pygments": _fake_package(tmp_path / "pygments", ["__init__.py", "styles/default.py"]),
            "plotly": _fake_package(tmp_path / "plotly", ["package_data/plotly.min.js"])}
    monkeypatch.setattr(asset_record, "_package_dir", lambda name: fake.get(name))
    static = tmp_path / "static"
    shutil.copytree(asset_record.STATIC_DIR, static)
    monkeypatch.setattr(asset_record, "STATIC_DIR", static)
    prefix = str(tmp_path / "npm")
    inputs = asset_record.stamps(asset_record.input_files("svg", prefix))
    asset_record.save(tmp_path, "svg", prefix, inputs, {"css/site.css": "assets/site.1.css"},
                      {"assets/site.1.css": "assets/site.1.css"})
    assert asset_record.load(tmp_path, "svg", prefix) is not None
    mode = "svg"
    if change == "pygments style":
        (fake["pygments"] / "styles" / "default.py").write_text("# another colour\n")
    elif change == "pygments version":
        (fake["pygments"] / "__init__.py").write_text("__version__ = '99'\n")
    elif change == "plotly.js":
        path = fake["plotly"] / "package_data" / "plotly.min.js"
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))  # same size, touched
    elif change == "basic bundle":
        write(tmp_path / "npm" / asset_record.BASIC_BUNDLE, "window.Plotly = {};\n")
    elif change == "theme file":
        write(static / "css" / "extra.css", "body {}\n")  # a new file: the folder listing moves
    elif change == "code":
        monkeypatch.setattr(asset_record, "tree_fingerprint", lambda *a: "other code")
    else:
        mode = "client"
    assert asset_record.load(tmp_path, mode, prefix) is None


def test_a_damaged_record_is_made_again(fresh, tmp_path):
    assets.collect_assets(SITE, tmp_path)
    record = tmp_path / asset_record.RECORD_FILE
    record.write_bytes(record.read_bytes().replace(b'"keys"', b'"kays"'))
    assert asset_record.load(tmp_path, "svg", os.environ[NPM_PREFIX_ENV]) is None
    reset("assets")
    assets.collect_assets(SITE, tmp_path)  # rewritten
    assert asset_record.load(tmp_path, "svg", os.environ[NPM_PREFIX_ENV]) is not None


def test_bytes_that_no_longer_match_the_record_stop_the_build(fresh, tmp_path):
    """An input changed without its stamp moving: what would be written is not what pages name."""
    assets.collect_assets(SITE, tmp_path)
    path, prefix = tmp_path / asset_record.RECORD_FILE, os.environ[NPM_PREFIX_ENV]
    key = asset_record.record_key("svg", prefix)
    body = read_sealed(path, "assets", asset_record.FORMAT, key)
    body["keys"] = [[rel, "a stale key"] for rel, _ in body["keys"]]
    write_sealed(path, "assets", asset_record.FORMAT, body, key)
    reset("assets")
    _, files = assets.collect_assets(SITE, tmp_path)
    make, _ = next(iter(files.values()))
    with pytest.raises(ExplainerError, match="build again"):
        make()
