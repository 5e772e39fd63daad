"""Data sets: fixed splits, the shapes generator, fingerprints and .npz validation."""

import numpy as np
import pytest

from explainer.models import data


def test_digits_split_matches_the_notes_test_set():
    ds = data.digits()
    assert (len(ds.x_train), len(ds.x_val), len(ds.x_test)) == (1300, 200, 297)
    assert ds.image_shape == (8, 8) and ds.x_train.dtype == np.float32
    assert 0.0 <= ds.x_train.min() and ds.x_train.max() <= 1.0
    assert ds.fingerprint() == data.digits().fingerprint()


def test_digits_read_without_scikit_learn_equal_its_loader(monkeypatch):
    """The CSV read directly gives load_digits' arrays; without the file, load_digits is used."""
    from sklearn.datasets import load_digits

    reference = load_digits()
    x, y = data._digits_file()
    np.testing.assert_array_equal(x, reference.data)
    np.testing.assert_array_equal(y, reference.target)
    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)
    x2, y2 = data._digits_file()
    np.testing.assert_array_equal(x2, reference.data)
    np.testing.assert_array_equal(y2, reference.target)


def test_loading_digits_does_not_import_scikit_learn():
    import subprocess
    import sys

    code = "import sys; from explainer.models import data; data.digits(); print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_shapes_keep_their_true_factors():
    ds = data.shapes(n=300)
    assert ds.image_shape == (16, 16) and ds.x_test.shape == (30, 256)
    assert set(ds.factors_test) == {"kind", "size", "x", "y"}
    np.testing.assert_array_equal(ds.factors_test["kind"], ds.y_test)
    # a bigger shape covers more pixels
    big = data.render_shapes(np.array([0]), np.array([4.0]), np.array([8.0]), np.array([8.0]))
    small = data.render_shapes(np.array([0]), np.array([2.0]), np.array([8.0]), np.array([8.0]))
    assert big.sum() > 3 * small.sum()


@pytest.mark.parametrize("name", ["moons", "circles", "swiss_roll"])
def test_point_sets_are_2d_raw_coordinates(name):
    ds = data.load(name)
    assert ds.dim == 2 and ds.image_shape is None and not ds.in_unit_range
    assert ds.y_test is not None


def save(tmp_path, **arrays):
    path = tmp_path / "d.npz"
    np.savez(path, **arrays)
    return path


def test_npz_images_are_scaled_and_split(tmp_path):
    x = np.random.default_rng(0).uniform(0, 255, (50, 4, 6))
    save(tmp_path, x=x)
    ds = data.load("npz", path="d.npz", content_dir=tmp_path)
    assert ds.image_shape == (4, 6) and ds.dim == 24
    assert len(ds.x_train) + len(ds.x_val) + len(ds.x_test) == 50
    assert "min-max scaled" in ds.note and ds.x_train.max() <= 1.0


@pytest.mark.parametrize("arrays, message", [
    ({"y": np.zeros(30)}, "no array named 'x'"),
    ({"x": np.zeros((30, 2, 2, 2))}, "(n, D) or (n, height, width)"),
    ({"x": np.zeros((5, 3))}, "at least 20"),
    ({"x": np.full((30, 3), np.nan)}, "NaN"),
    ({"x": np.random.rand(30, 3), "y": np.zeros(29, int)}, "integer labels shaped (30,)"),
])
def test_npz_errors_name_the_file(tmp_path, arrays, message):
    path = save(tmp_path, **arrays)
    with pytest.raises(data.DataError) as err:
        data.npz(path)
    assert message in str(err.value) and str(path) in str(err.value)


def test_missing_npz(tmp_path):
    with pytest.raises(data.DataError, match="not found"):
        data.load("npz", path="nope.npz", content_dir=tmp_path)
