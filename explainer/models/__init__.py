"""Pure JAX/Flax models and their training: no HTML, no file layout.

Importing this package must not import jax: a build whose experiments are all cached never does.
Only `nets.py`, `loop.py` and what the trainer imports lazily touch jax.

- `protocol.py`: what a model is (`ModelSpec`); `table.py`: every model and data set a figure may name,
  the built-in ones (`zoo/`, one file each) and the author's (`authored.py`, `authored_data.py`).
- `experiments.py`: `ExperimentConfig` and its validation; `hyper.py`: model options from dataclasses.
- `train.py`, `loop.py`, `score.py`: training and scoring through the protocol; `runner.py`: which
  process and how many threads; `progress.py`: what training says while it runs; `cache.py`,
  `sources.py`, `store.py`: the training cache.
- `purefn.py`: a trained model's decoder or encoder as a pure JAX function (`ModelSpec.decode_fn`).
- Several devices and hosts: `placement.py` (which group goes where), `device_pool.py` and `lanes.py`
  (training them concurrently), `sharded.py` (one device, or data-parallel over a mesh for
  `large: true`), `launch.py` and `distributed.py` (`jax.distributed`: several hosts, one build),
  `result_wire.py` (results sent between hosts).
"""
