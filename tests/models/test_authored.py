"""Authors' models and data sets: read without jax, validated like built-ins, keyed by their code."""

from __future__ import annotations

import numpy as np
import pytest

from explainer.base.errors import Diagnostics
from explainer.figure_spec.validate import check_figure_yaml
from explainer.models import cache
from explainer.models.experiments import ExperimentConfig, parse_experiment
from explainer.models.table import tables_for
from tests.conftest import write
from tests.models.author_fixtures import TINY_MODEL, tiny_content


@pytest.fixture
def content(tmp_path):
    return tiny_content(tmp_path / "content")


def test_author_model_and_loader_join_the_table(content):
    tables = tables_for(content)
    assert tables.problems == ()
    tiny = tables.model("tiny")
    assert "ae" in tables.models and "columns" in tables.datasets
    assert set(tiny.options) == {"width", "beta", "act"}  # steps/learning_rate are defaults, not options
    assert tiny.options["act"].choices == ("tanh", "relu") and tiny.options["width"].high == 64
    assert tiny.has_prior and tiny.corrupts and tiny.title == "Tiny"
    config = ExperimentConfig("tiny", dataset="columns", beta=2.0).resolved(tables)
    assert (config.steps, config.learning_rate) == (40, 0.01)  # the Hyper's own defaults
    assert dict(config.options) == {"width": 8, "beta": 2.0, "act": "tanh"}
    assert config.label() == "Tiny d=2 beta=2 · columns"


def test_author_options_are_validated_like_built_in_ones(content):
    tables = tables_for(content)
    _, errors = parse_experiment({"model": "tiny", "widht": 4, "beta": 20, "act": "gelu"}, tables)
    errors = dict(errors)
    assert "did you mean 'width'" in errors["widht"]
    assert "at most 10" in errors["beta"]
    assert "one of tanh, relu" in errors["act"]
    _, errors = parse_experiment({"model": "tiny", "noise": 0.3}, tables)
    assert "does not apply to model tiny (it is for dae)" in dict(errors)["noise"]
    _, errors = parse_experiment({"model": "tiyn"}, tables)
    assert "did you mean 'tiny'" in dict(errors)["model"]


def test_figure_lines_and_missing_capabilities(content):
    tables, diag = tables_for(content), Diagnostics()
    write(content / "models" / "plain.py", TINY_MODEL.replace('    prior = "normal"\n', "").replace(
        "    def corrupt(self, x, key):\n        return x + 0.2 * jax.random.normal(key, x.shape)\n", "")
        .replace("self.corrupt(x, key)", "x"))
    tables = tables_for(content)
    text = "id: s\nview: samples\nexperiment:\n  model: plain\n  width: 4\n"
    assert check_figure_yaml(text, 20, "post.md", diag, tables) is None
    (error,) = diag.errors
    assert error.line == 23 and "model `plain` has no prior to sample codes from" in error.message
    diag = Diagnostics()
    check_figure_yaml(text.replace("width: 4", "width: 100"), 20, "post.md", diag, tables)
    assert diag.errors[0].line == 24 and "between 2 and 64" in diag.errors[0].message
    diag = Diagnostics()
    check_figure_yaml("id: d\nview: denoise\nexperiment: {model: plain}\n", 5, "post.md", diag, tables)
    assert "corrupt(self, x, key)" in diag.errors[0].message and diag.errors[0].line == 7


@pytest.mark.parametrize("source, line, words", [
    ("class Hyper:\n    x: int = 1\n", 1, "one frozen dataclass"),
    ("from dataclasses import dataclass\n@dataclass(frozen=True)\nclass Hyper:\n    x: int\n", 4, "needs a default"),
    ("from dataclasses import dataclass\n@dataclass(frozen=True)\nclass Hyper:\n    x: int = 1\n"
     "class M:\n    def encode(self, x): pass\n", 1, "encode(self, x), decode(self, z) and loss"),
    ("def broken(:\n", 1, "syntax error"),
    ("from dataclasses import dataclass\n@dataclass(frozen=True)\nclass Hyper:\n    x: dict = {}\n", 4,
     "not supported"),
])
def test_problems_in_the_author_file_point_at_its_line(tmp_path, source, line, words):
    write(tmp_path / "c" / "models" / "bad.py", source)
    (name, path, at, message), = tables_for(tmp_path / "c").problems
    assert (name, at) == ("bad", line) and path.endswith("bad.py") and words in message


def test_built_in_names_cannot_be_shadowed(tmp_path):
    write(tmp_path / "c" / "models" / "vae.py", TINY_MODEL)
    (tmp_path / "c" / "data").mkdir()
    np.save(tmp_path / "c" / "data" / "digits.npy", np.zeros((30, 4)))
    problems = tables_for(tmp_path / "c").problems
    assert {p[0] for p in problems} == {"vae", "digits"}
    assert all("built-in" in p[3] for p in problems)


def test_data_files_and_loaders(tmp_path, content):
    from explainer.models.authored_data import load_any as load_for

    rng = np.random.default_rng(0)
    np.save(content / "data" / "cloud.npy", rng.standard_normal((40, 2)))
    rows = "\n".join(f"{a:.3f},{b:.3f},{i % 2}" for i, (a, b) in enumerate(rng.random((40, 2))))
    write(content / "data" / "table.csv", "x1,x2,label\n" + rows + "\n")
    assert set(tables_for(content).datasets) >= {"columns", "cloud", "table"}
    cols = load_for(ExperimentConfig("ae", dataset="columns"), content)
    assert cols.image_shape == (6, 6) and cols.y_test is not None and len(cols.x_test) == 12
    cloud = load_for(ExperimentConfig("ae", dataset="cloud"), content)
    assert cloud.image_shape is None and cloud.dim == 2 and cloud.y_test is None
    table = load_for(ExperimentConfig("ae", dataset="table"), content)
    assert table.dim == 2 and set(np.unique(table.y_train)) == {0, 1}


def test_a_failing_loader_is_reported_at_its_line(content):
    from explainer.models.author_errors import AuthorCodeError
    from explainer.models.authored_data import load_any as load_for

    text = (content / "data" / "columns.py").read_text().replace("    col = rng", "    col = 1 / 0\n    col = rng")
    write(content / "data" / "columns.py", text)
    with pytest.raises(AuthorCodeError) as err:
        load_for(ExperimentConfig("ae", dataset="columns"), content)
    line = text.splitlines().index("    col = 1 / 0") + 1
    assert err.value.path.endswith("data/columns.py") and err.value.line == line
    assert "ZeroDivisionError while running the data loader columns.py" in err.value.message


def test_key_follows_the_author_code_and_files_and_nothing_else(tmp_path, content):
    config = ExperimentConfig("tiny", dataset="columns").resolved(tables_for(content))
    np.savez(content / "arrays.npz", x=np.random.default_rng(0).random((30, 4)))
    other = ExperimentConfig("ae", dataset="npz", path="arrays.npz").resolved()

    def keys():
        parts = [cache.key_parts(c, content, tmp_path / "cache") for c in (config, other)]
        return [cache.cache_key(p) for p in parts], parts[0]

    (base, base_ae), parts = keys()
    assert "content/models/tiny.py" in parts["code"] and "content/models/_layers.py" in parts["code"]
    assert set(parts["data"]) == {"content/data/columns.py", "content/data/scale.txt"}
    write(content / "posts" / "unrelated.md", "---\ntitle: x\n---\n")
    write(content / "models" / "_unused.py", "x = 1\n")
    assert keys()[0] == [base, base_ae]  # unrelated edits retrain nothing
    write(content / "models" / "_layers.py", (content / "models" / "_layers.py").read_text() + "\n# edited\n")
    (edited, ae_after), _ = keys()
    assert edited != base and ae_after == base_ae  # a built-in's experiments do not care
    index = {"old": {**parts, "identity": list(config.identity())}}
    new_parts = cache.key_parts(config, content, tmp_path / "cache")
    assert cache.why_retrain(new_parts, index, False) == "content/models/_layers.py changed"
    write(content / "data" / "scale.txt", "0.5\n")
    newer = cache.key_parts(config, content, tmp_path / "cache")
    assert cache.why_retrain(newer, {"old": {**new_parts, "identity": []}}, False) == "content/data/scale.txt changed"


def test_a_broken_model_file_is_reported_where_a_figure_names_it(tmp_path):
    content = tiny_content(tmp_path / "content")
    write(content / "models" / "tiny.py", (content / "models" / "tiny.py").read_text()
          .replace("    width: int = field(", "    width: int\n    other: int = field("))
    diag = Diagnostics()
    post = content / "posts" / "p.md"
    check_figure_yaml("id: a\nview: latent\nexperiment: {model: tiny}\n", 11, str(post), diag)
    messages = [str(d) for d in diag.errors]
    assert any("models/tiny.py:" in m and "option `width` needs a default value" in m
               and "named by the figure at" in m for m in messages), messages
    assert any("model must be one of" in m for m in messages)  # and the figure's own line says why


def test_progress_line_shows_rate_and_time_left():
    from explainer.models.progress import eta, progress_line

    config = ExperimentConfig("vae").resolved()
    line = progress_line(config.label(), config.steps, 1500, 6000, 25.1234, 26.0, 100.0)
    assert line.startswith("training VAE d=2 β=1: [#####...............] 1500/6000 · loss 25.12")
    assert line.endswith("100 steps/s · ~2 min left")  # 4500 steps of selection + a refit of at most 6000
    assert progress_line(config.label(), config.steps, 900, 1200, 1, 1, 100.0, "refitting").endswith("~3 s left")
    assert (eta(30), eta(600), eta(7200)) == ("~30 s left", "~10 min left", "~2.0 h left")
