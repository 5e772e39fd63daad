"""Training over several devices: one experiment data-parallel on 1 vs N devices, and N experiments
placed over N devices vs trained one after another on one.

    python bench/sharding.py [--devices 8] [--experiments 8] [--steps 600] [--hidden 256,128]
                             [--batch 256] [--repeats 3]

This is a benchmark for a machine with several GPUs: there it uses the GPUs jax sees. Without a
GPU it runs on N *simulated* CPU devices (XLA_FLAGS=--xla_force_host_platform_device_count=N),
which exercises the same code but gives no speed-up: the simulated devices share the machine's
cores (two on the development machine), and each adds its partition's overhead, so expect ratios
at or below 1 there. The numbers that matter come from a multi-GPU machine.

Printed, per configuration: the median over `--repeats` interleaved runs of the wall time, the CPU
seconds of this process (user + sys) and training steps/s (from the results' provenance:
compile time excluded), then the ratios. The load average is printed next to them.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _timed(fn):
    w0, c0 = time.perf_counter(), _cpu()
    out = fn()
    return out, time.perf_counter() - w0, _cpu() - c0


def _config(args, **kw):
    from explainer.models.experiments import ExperimentConfig

    hidden = tuple(int(h) for h in args.hidden.split(","))
    return ExperimentConfig("ae", hidden=hidden, latent_dim=kw.pop("latent_dim", 8), steps=args.steps,
                            batch_size=args.batch, learning_rate=1e-3, schedule="constant", **kw).resolved()


def one_experiment(args, devices) -> dict:
    """The same experiment on one device and data-parallel over all of them, interleaved."""
    from explainer.models import data
    from explainer.models.sharded import OneDevice, data_parallel
    from explainer.models.train import train_group

    digits, config = data.digits(), _config(args, large=True)
    places = {"1 device": OneDevice(devices[0]),
              f"{len(devices)} devices": data_parallel(config, len(digits.x_train), devices)}
    rows: dict = {name: [] for name in places}
    for _ in range(args.repeats):
        for name, place in places.items():
            (result,), wall, cpu = _timed(lambda place=place: train_group([config], digits, placement=place))
            rows[name].append((wall, cpu, result.provenance["steps_per_s"], result.metrics["test_mse"]))
    return rows


def many_experiments(args, devices) -> dict:
    """`--experiments` experiments of different shapes: placed over the devices vs one after another."""
    from explainer.models import data
    from explainer.models.device_pool import train_on_devices
    from explainer.models.train import train_group

    digits = data.digits()
    configs = [_config(args, latent_dim=d) for d in range(1, args.experiments + 1)]
    nets = [(c, f"k{i}", {}, "new", c.spec()) for i, c in enumerate(configs)]
    ways = {"one after another": lambda: [train_group([c], digits)[0] for c in configs],
            "placed": lambda: [r for _, r in train_on_devices(nets, lambda c: digits, None, devices=devices)]}
    rows: dict = {name: [] for name in ways}
    for _ in range(args.repeats):
        for name, way in ways.items():
            results, wall, cpu = _timed(way)
            steps = sum(r.provenance["steps"] for r in results)
            rows[name].append((wall, cpu, steps / wall, statistics.mean(r.metrics["test_mse"] for r in results)))
    return rows


def child(args) -> None:
    import jax

    devices = jax.devices()[: args.devices]
    print(f"{len(devices)} × {devices[0].platform} ({getattr(devices[0], 'device_kind', '')}); "
          f"load average {os.getloadavg()[0]:.2f}", flush=True)
    out = {"one": one_experiment(args, devices), "many": many_experiments(args, devices),
           "load": os.getloadavg()[0]}
    print("RESULT " + json.dumps(out))


def report(title: str, rows: dict, rate: str) -> None:
    print(f"\n{title}")
    med = {}
    for name, runs in rows.items():
        wall, cpu, speed, mse = (statistics.median(col) for col in zip(*runs))
        med[name] = (wall, cpu, speed)
        print(f"  {name:>20}: wall {wall:6.2f} s · CPU {cpu:6.2f} s · {speed:8.0f} {rate} · test MSE {mse:.4f}")
    (a, ra), (b, rb) = med.items()
    print(f"  {b} against {a}: wall-time speed-up ×{ra[0] / rb[0]:.2f}, {rate} ×{rb[2] / ra[2]:.2f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--devices", type=int, default=8)
    ap.add_argument("--experiments", type=int, default=8)
    ap.add_argument("--steps", type=int, default=600)
    ap.add_argument("--hidden", default="256,128")
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args)
    env = dict(os.environ)
    from explainer.models.runner import _gpu_possible

    if not _gpu_possible():  # simulated CPU devices: XLA reads the flag once, so in a fresh process
        env["JAX_PLATFORMS"] = "cpu"
        env["XLA_FLAGS"] = (env.get("XLA_FLAGS", "") + f" --xla_force_host_platform_device_count={args.devices}")
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    proc = subprocess.run([sys.executable, __file__, "--child", *sys.argv[1:]], env=env, capture_output=True,
                          text=True)
    if proc.returncode:
        sys.exit(proc.stderr[-4000:])
    lines = proc.stdout.splitlines()
    print(lines[0])
    out = json.loads(next(line for line in lines if line.startswith("RESULT "))[len("RESULT "):])
    report(f"one experiment, data-parallel (batch {args.batch}, hidden {args.hidden}, {args.steps} steps):",
           out["one"], "steps/s")
    report(f"{args.experiments} experiments:", out["many"], "steps/s")
    print(f"\nload average after: {out['load']:.2f} (CPU seconds are this process's: every device is in it)")


if __name__ == "__main__":
    main()
