"""Several devices: the placement plan (fast, no jax), and on 8 simulated CPU devices (slow, in a
subprocess: XLA reads --xla_force_host_platform_device_count once per process) the placed groups,
the data-parallel `large: true` run, a batch that does not split, and a build on two processes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from dataclasses import replace

import pytest

from explainer.models.experiments import ExperimentConfig, parse_experiment
from explainer.models.placement import (
    MAX_SLOTS,
    Group,
    PlacementError,
    assign,
    estimate,
    group_by_shape,
    shard_count,
    slots_per_device,
)
from tests.conftest import REPO, write


def item(config):
    return (config, "key", {}, "new", None)


def test_seeds_share_a_group_and_large_experiments_are_alone():
    ae = ExperimentConfig("ae", latent_dim=2)
    nets = [item(ae), item(replace(ae, seed=1)), item(ExperimentConfig("ae", latent_dim=3)),
            item(ExperimentConfig("ae", latent_dim=2, large=True)), item(ExperimentConfig("ae", latent_dim=2, seed=2,
                                                                                          large=True))]
    groups = group_by_shape(nets)
    assert [(len(g.items), g.large) for g in groups] == [(2, False), (1, False), (1, True), (1, True)]
    assert [c.seed for c in groups[0].configs] == [0, 1] and groups[3].configs[0].seed == 2


def test_groups_spread_over_devices_longest_first():
    groups = [Group([item(ExperimentConfig("ae", latent_dim=d))], cost=c) for d, c in ((1, 5), (2, 9), (3, 1),
                                                                                      (4, 7), (5, 2))]
    lanes = assign(groups, 3, [1, 1, 1])
    loads = {lane.device: [g.cost for g in lane.groups] for lane in lanes}
    assert loads == {0: [9], 1: [7, 1], 2: [5, 2]}  # LPT: each next-longest onto the least loaded device


def test_a_device_with_room_takes_several_groups_at_once():
    groups = [Group([item(ExperimentConfig("ae", latent_dim=d))], cost=1.0) for d in range(1, 7)]
    lanes = assign(groups, 2, [3, 1])
    assert sorted((lane.device, lane.slot) for lane in lanes) == [(0, 0), (0, 1), (0, 2), (1, 0)]
    assert sum(len(lane.groups) for lane in lanes) == 6


def test_slots_follow_free_memory():
    assert slots_per_device(None, 10**6) == 1  # the CPU reports none: one at a time
    assert slots_per_device(3 * 10**6, 10**6) == 3
    assert slots_per_device(10**12, 10**6) == MAX_SLOTS
    assert slots_per_device(10**5, 10**6) == 1  # too big for the free memory: still runs, alone


def test_estimate_counts_members_steps_and_parameters():
    config = ExperimentConfig("ae", steps=100, batch_size=50)
    group = estimate(Group([item(config), item(replace(config, seed=1))]), n_params=1000, data_bytes=4000)
    assert group.cost == 1000 * 100 * 50 * 2
    assert group.need == 2 * (4 * 2 * 7 * 1000 + 4000)


def test_a_batch_that_does_not_split_names_the_sizes_that_do():
    config = ExperimentConfig("ae", batch_size=100, large=True)
    assert shard_count(config, 96, 8) == 8
    with pytest.raises(PlacementError, match=r"batch of 100 .* 8 devices .*multiple of 8 \(96 or 104\)"):
        shard_count(config, 100, 8)
    with pytest.raises(PlacementError, match=r"multiple of 8 \(8\)"):
        shard_count(config, 5, 8)


def test_large_is_checked_and_is_not_part_of_the_experiment():
    assert parse_experiment({"model": "ae", "large": True})[0].large is True
    _, errors = parse_experiment({"model": "ae", "large": "all"})
    assert errors and errors[0][0] == "large" and "true or false" in errors[0][1]
    _, errors = parse_experiment({"model": "pca", "large": True})
    assert "does not apply to model pca" in errors[0][1]
    large, plain = ExperimentConfig("ae", large=True).resolved(), ExperimentConfig("ae").resolved()
    assert large == plain and hash(large) == hash(plain)  # one cache entry: how to train, not what
    assert "large" not in large.to_dict() and replace(large, seed=1).large


# ---- on 8 simulated CPU devices ---------------------------------------------------------------------

def _env(devices: int = 8, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JAX_", "XLA_", "SLURM_", "OMPI_"))}
    return {**env, "JAX_PLATFORMS": "cpu", "XLA_FLAGS": f"--xla_force_host_platform_device_count={devices}",
            "EXPLAINER_PLACEMENT": "devices", **extra}


def _probe(which: str, tmp_path) -> dict:
    proc = subprocess.run([sys.executable, "-m", "tests.models.sharding_probe", which, str(tmp_path / "cache")],
                          cwd=REPO, env=_env(), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.slow
def test_placed_groups_spread_over_the_devices_and_match_one_after_another(tmp_path):
    out = _probe("placement", tmp_path)
    groups = {}
    for label, device in out["devices"].items():
        groups.setdefault(label.split(" seed")[0], set()).add(device)
    assert all(len(devices) == 1 for devices in groups.values())  # a vmapped group stays together
    assert len({d for devices in groups.values() for d in devices}) == 5  # five groups, five devices
    assert out["batched"]["AE d=2 hidden=[16] seed 2"] == 3 and out["batched"]["AE d=1 hidden=[16]"] == 1
    assert all(out["same"].values()), out["same"]  # identical histories and test errors


@pytest.mark.slow
def test_large_trains_data_parallel_and_matches_one_device(tmp_path):
    out = _probe("large", tmp_path)
    assert out["n_devices"] == 8
    assert out["device"] == out["runner_device"] == "cpu ×8 (data-parallel)"
    assert out["loss_rel"] < 1e-5 and out["val_rel"] < 1e-5, out
    assert out["params_max_abs"] < 1e-5 * out["params_scale"], out
    assert out["test_mse"][0] == pytest.approx(out["test_mse"][1], rel=1e-5)
    assert out["all_reduces"] > 0  # the gradient's sum over the devices is XLA's, in the program
    kind, message = out["bad_batch"]
    assert kind == "PlacementError" and "batch_size to a multiple of 8 (96 or 104)" in message


@pytest.mark.slow
def test_authors_models_and_their_errors_behave_the_same_when_placed():
    """tests/models/test_authored_training.py (an author's model trains, retrains when its files
    change, its bugs are reported at its lines) again, with every experiment placed over 8 devices."""
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-m", "slow",
                           "tests/models/test_authored_training.py"],
                          cwd=REPO, env=_env(), capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0 and " passed" in proc.stdout, proc.stdout[-3000:]


def _post(content, experiment: str):
    write(content / "posts" / "2024-01-01-a.md", f"""
        ---
        title: A
        ---
        Text.

        ```figure
        id: big
        view: reconstructions
        experiment: {experiment}
        ```
    """)


@pytest.mark.slow
def test_a_batch_that_does_not_split_fails_the_build_at_the_figure(content, tmp_path):
    _post(content, "{model: ae, hidden: [16], steps: 60, batch_size: 100, large: true}")
    site = tmp_path / "site"
    proc = subprocess.run([sys.executable, "-m", "explainer", "build", "--content", str(content), "--out", str(site),
                           "--cache-dir", str(tmp_path / "cache"), "--device", "cpu"],
                          cwd=REPO, env=_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr
    assert "2024-01-01-a.md:6:1: error: figure `big`: AE d=2 hidden=[16] has `large: true`" in proc.stderr
    assert "multiple of 8 (96 or 104)" in proc.stderr and not site.exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _two_processes(content, tmp_path) -> tuple[list, list]:
    """`explainer build` on two processes over jax.distributed on localhost, 2 CPU devices each
    (gloo collectives): ([return codes], [(stdout, stderr)])."""
    launch = {"JAX_COORDINATOR_ADDRESS": f"127.0.0.1:{_free_port()}", "JAX_NUM_PROCESSES": "2"}
    procs = [subprocess.Popen([sys.executable, "-m", "explainer", "build", "--content", str(content),
                               "--out", str(tmp_path / f"site{i}"), "--cache-dir", str(tmp_path / f"cache{i}"),
                               "--device", "cpu"],
                              cwd=REPO, env=_env(2, JAX_PROCESS_ID=str(i), **launch), stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for i in (0, 1)]
    outputs = [p.communicate(timeout=300) for p in procs]
    return [p.returncode for p in procs], outputs


@pytest.mark.slow
def test_a_build_on_two_processes_trains_together_and_only_process_0_writes(content, tmp_path):
    """The large experiment over all 4 devices, the others placed over both hosts and sent to process 0."""
    _post(content, "{model: ae, hidden: [16], steps: 60, batch_size: 96, large: true}")
    with (content / "posts" / "2024-01-01-a.md").open("a") as post:  # and three placed over both hosts
        for i, experiment in enumerate(("latent_dim: 3, hidden: [16], steps: 60",
                                        "latent_dim: 4, hidden: [8], steps: 40", "latent_dim: 4, hidden: [8], "
                                                                                 "steps: 40, seed: 1")):
            post.write(f"\n```figure\nid: s{i}\nview: reconstructions\nexperiment: {{model: ae, {experiment}}}\n```\n")
    codes, outputs = _two_processes(content, tmp_path)
    assert codes == [0, 0], outputs
    log = outputs[0][1]
    assert "on cpu ×4 on 2 hosts (data-parallel)" in log
    trained = [line for line in log.splitlines() if line.startswith("trained")]
    assert len(trained) == 4 and sum("on host 1 " in line for line in trained) == 2, log  # the seeds' group
    assert sum("on host 0 " in line for line in trained) == 1, log
    assert "process 1 of 2: training with process 0" in outputs[1][1]
    assert (tmp_path / "site0" / "blog" / "2024" / "a" / "index.html").is_file()
    assert not (tmp_path / "site1").exists() and not (tmp_path / "cache1" / "models" / "experiments").exists()


@pytest.mark.slow
def test_a_failed_build_on_two_processes_still_lets_the_other_exit(content, tmp_path):
    _post(content, "{model: ae, hidden: [16], steps: 60, batch_size: 98, large: true}")  # 98 over 4 devices
    codes, outputs = _two_processes(content, tmp_path)
    assert codes == [1, 0], outputs
    assert "figure `big`: AE d=2 hidden=[16] has `large: true`" in outputs[0][1]
    assert "multiple of 4 (96 or 100)" in outputs[0][1]


# ---- how a launch on several processes is recognised (no jax) -------------------------------------

@pytest.fixture
def clean_env(monkeypatch):
    for name in list(os.environ):
        if name.startswith(("JAX_", "SLURM_", "OMPI_", "EXPLAINER_DISTRIBUTED")):
            monkeypatch.delenv(name)
    return monkeypatch


def test_a_plain_build_is_one_process(clean_env):
    from explainer.models.launch import launch_env, process_index_from_env

    assert launch_env() is None and process_index_from_env() == 0


def test_an_explicit_launch_names_coordinator_count_and_index(clean_env):
    from explainer.base.errors import ExplainerError
    from explainer.models.launch import launch_env, process_index_from_env

    clean_env.setenv("JAX_COORDINATOR_ADDRESS", "host0:1234")
    clean_env.setenv("JAX_NUM_PROCESSES", "2")
    with pytest.raises(ExplainerError, match="JAX_PROCESS_ID set to 0 … 1"):
        launch_env()
    clean_env.setenv("JAX_PROCESS_ID", "1")
    assert launch_env() == {"coordinator_address": "host0:1234", "num_processes": 2, "process_id": 1}
    assert process_index_from_env() == 1
    clean_env.setenv("EXPLAINER_DISTRIBUTED", "0")
    assert launch_env() is None


def test_srun_and_mpirun_steps_with_several_tasks_are_launches(clean_env):
    from explainer.models.launch import launch_env, process_index_from_env

    clean_env.setenv("SLURM_JOB_ID", "7")
    clean_env.setenv("SLURM_NTASKS", "4")  # a batch script's own step: one process
    assert launch_env() is None
    clean_env.setenv("SLURM_STEP_NUM_TASKS", "4")
    clean_env.setenv("SLURM_PROCID", "3")
    assert launch_env() == {} and process_index_from_env() == 3
    for name in ("SLURM_JOB_ID", "SLURM_NTASKS", "SLURM_STEP_NUM_TASKS", "SLURM_PROCID"):
        clean_env.delenv(name)
    clean_env.setenv("OMPI_COMM_WORLD_SIZE", "2")
    clean_env.setenv("OMPI_COMM_WORLD_RANK", "0")
    assert launch_env() == {} and process_index_from_env() == 0


# ---- results sent between hosts (no jax) ----------------------------------------------------------

def test_results_and_errors_cross_hosts_as_verified_cache_files():
    import numpy as np

    from explainer.models.result_wire import RemoteTrainingError, pack, unpack
    from explainer.models.store import CorruptEntry
    from explainer.models.training_error import TrainingError
    from tests.figures.synthetic import make_result

    a, b = ExperimentConfig("ae", latent_dim=2).resolved(), ExperimentConfig("ae", latent_dim=3).resolved()
    sent = [make_result(a), TrainingError(b, 40)]
    got = unpack(pack(sent), [a, b])
    assert got[0].metrics == sent[0].metrics and np.array_equal(got[0].test_z, sent[0].test_z)
    assert got[0].config == a and np.array_equal(got[0].decoder[-1].w, sent[0].decoder[-1].w)
    assert isinstance(got[1], RemoteTrainingError) and got[1].config == b and "step 40" in str(got[1])
    data = bytearray(pack(sent[:1]))
    data[-100] ^= 0xFF  # one flipped byte in the arrays: refused, as a damaged cache entry is
    with pytest.raises(CorruptEntry):
        unpack(bytes(data), [a])


def test_the_plan_over_several_hosts_takes_each_hosts_first_device_first():
    from types import SimpleNamespace

    from explainer.models.distributed import _across_hosts

    devices = [SimpleNamespace(process_index=p, id=10 * p + i) for p in (0, 1) for i in range(3)]
    assert [d.id for d in _across_hosts(devices)] == [0, 10, 1, 11, 2, 12]


def test_an_experiment_is_large_when_any_figure_marks_it():
    from explainer.models.cache import _unique

    ae, vae = ExperimentConfig("ae").resolved(), ExperimentConfig("vae").resolved()
    unique = _unique([ae, vae, ExperimentConfig("ae", large=True).resolved(), ae])
    assert [(c.model, c.large) for c in unique] == [("ae", True), ("vae", False)]
