"""sparse_ae: the plain autoencoder plus an L1 penalty on the code, which drives most code units
to about zero for any one input: each input is described by a few active units."""

from __future__ import annotations

from ..hyper import Option
from ._mlp import OPTIONS, MLPAutoencoder, flat, reconstruction


class SparseAE(MLPAutoencoder):
    def resolve(self, config) -> dict:
        return {**super().resolve(config), "sparsity": float(config.opt("sparsity", 1e-3))}

    def label(self, config) -> str:
        return f"{self.title} d={config.latent_dim} λ={config.opt('sparsity'):g}"

    def loss(self, module, x, key, config, info):
        import jax.numpy as jnp

        x = flat(x)
        z = module.encode(x)  # (B, d)
        loss = reconstruction(module.decode_logits(z), x, config.opt("loss"), module.pixels)
        return loss + config.opt("sparsity") * jnp.mean(jnp.abs(z))  # L1 drives most units to ~0

    def metrics(self, module, x, config, info) -> dict:
        import jax.numpy as jnp

        return {"mean_abs_code": jnp.mean(jnp.abs(self.encode(module, x)))}


MODEL = SparseAE("sparse_ae", "Sparse AE", "MLP autoencoder with an L1 penalty on the code", options={
    **OPTIONS, "sparsity": Option("float", 1e-3, 0.0, 100.0, help="weight of the L1 penalty on the code")})
