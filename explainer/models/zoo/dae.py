"""dae: the denoising autoencoder. The plain autoencoder's net, fed corrupted inputs and asked for
the clean ones: it cannot copy, so its code must keep what survives noise (the digit) and drop the
rest. Two corruptions: Gaussian noise (unclipped) and masking pixels to 0."""

from __future__ import annotations

from ..hyper import Option
from ..protocol import Plan
from ._mlp import OPTIONS, MLPAutoencoder, flat, reconstruction

NOISE_TYPES = ("gaussian", "mask")


class DAE(MLPAutoencoder):
    exact_under_code_padding = True  # the noise is on the input, the code as in ae (program_share.py)

    def resolve(self, config) -> dict:
        return {**super().resolve(config), "noise": float(config.opt("noise", 0.3)),
                "noise_type": config.opt("noise_type") or "gaussian"}

    def plan(self, config) -> Plan:
        # Gaussian: validation was still improving at 6000 steps (best 0.0159 at the last step);
        # 12000 reached 0.0156 at step 10200. The noise keeps it from overfitting.
        if config.opt("noise_type") == "mask":
            return Plan(12000, 1e-3, "constant")
        return Plan(12000, 3e-3, "cosine")

    def check(self, values: dict) -> list:
        problems = super().check(values)
        if values.get("noise_type") == "mask" and values.get("noise", 0.3) >= 1:
            problems.append(("noise", "with noise_type: mask, noise is a probability and must be below 1"))
        return problems

    def label(self, config) -> str:
        noise = config.opt("noise")
        gaussian = config.opt("noise_type") == "gaussian"
        text = f"{self.title} σ={noise:g}" if gaussian else f"{self.title} mask p={noise:g}"
        if config.latent_dim != 16:
            text = f"{self.title} d={config.latent_dim} " + text[len(self.title) + 1:]
        return text

    def corruption(self, config):
        return config.opt("noise_type"), config.opt("noise")

    def corrupt(self, module, x, key):
        import jax

        noise_type, noise = module.noise
        if noise_type == "gaussian":
            return x + noise * jax.random.normal(key, x.shape)
        return x * (jax.random.uniform(key, x.shape) >= noise)

    def build(self, config, info, seed: int):
        net = super().build(config, info, seed)
        net.noise = (config.opt("noise_type"), config.opt("noise"))
        return net

    def loss(self, module, x, key, config, info):
        """Reconstruct the clean x from a corrupted copy."""
        x = flat(x)
        z = module.encode(self.corrupt(module, x, key))  # (B, d)
        return reconstruction(module.decode_logits(z), x, config.opt("loss"), module.pixels)


MODEL = DAE("dae", "DAE", "MLP autoencoder trained to undo noise", corrupts=True, options={
    **OPTIONS,
    "noise": Option("float", 0.3, 0.0, 5.0, low_open=True,
                    help="Gaussian noise sigma, or masking probability with noise_type: mask"),
    "noise_type": Option("choice", "gaussian", choices=NOISE_TYPES, help="gaussian or mask")})
