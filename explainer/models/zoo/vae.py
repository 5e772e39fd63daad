"""vae: the variational autoencoder. The encoder outputs a Gaussian over codes (mean and
log-variance), a code is *sampled* with the reparameterisation trick, and a KL term keeps the codes
near a standard normal prior, so any draw from N(0, I) decodes to something plausible.
p(x|z) is Bernoulli on pixels and Gaussian (fixed σ) on points; the loss is −ELBO in nats per
example, with the KL weighted by β (β = 1: the true bound; β > 1: a β-VAE)."""

from __future__ import annotations

import math

from ..hyper import Option
from ..protocol import Plan
from ._mlp import OPTIONS, MLPAutoencoder, default_loss, flat

# A Gaussian decoder needs a noise scale. Fixed rather than learned: with σ = 1 the KL term swamps
# the reconstruction on data of this scale and every code collapses to the prior.
GAUSSIAN_DECODER_SIGMA = 0.1
ELBO_SAMPLES = 8  # the test ELBO averages this many sampled codes per example


class VAE(MLPAutoencoder):
    def resolve(self, config) -> dict:
        return {"hidden": tuple(int(h) for h in config.opt("hidden", (128, 64))),
                "activation": config.opt("activation") or "relu",  # relu beat gelu here (_mlp.py)
                "loss": config.opt("loss") or default_loss(config.dataset, bernoulli=True),
                "beta": float(config.opt("beta", 1.0))}

    def plan(self, config) -> Plan:
        return Plan(6000, 1e-2, "cosine")

    def label(self, config) -> str:
        return f"{self.title} d={config.latent_dim} β={config.opt('beta'):g}"

    def build(self, config, info, seed: int):
        from flax import nnx

        from ..nets import VAE as Net

        net = Net(info.size, config.latent_dim, config.opt("hidden"), config.opt("activation"), info.unit_range,
                  rngs=nnx.Rngs(seed))
        net.data_shape = tuple(info.shape)
        return net

    def encode(self, module, x):  # the mean of q(z|x): the "typical" code
        return module.encode(flat(x))[0]

    def terms(self, module, x, key, config):
        """Per-example −log p(x|z) under one sampled code, and KL(q(z|x) ‖ N(0, I))."""
        import jax
        import jax.numpy as jnp
        import optax

        x = flat(x)
        mean, logvar = module.encode(x)  # (B, d), (B, d)
        z = module.sample(mean, logvar, key)  # (B, d)
        logits = module.decode_logits(z)  # (B, D)
        if config.opt("loss") == "bce":  # Bernoulli decoder: −log p(x|z) summed over pixels
            nll = jnp.sum(optax.sigmoid_binary_cross_entropy(logits, x), axis=-1)
        else:  # Gaussian decoder with fixed σ
            out = jax.nn.sigmoid(logits) if module.pixels else logits
            s = GAUSSIAN_DECODER_SIGMA
            nll = jnp.sum(0.5 * ((out - x) / s) ** 2 + math.log(s * math.sqrt(2 * math.pi)), axis=-1)
        kl = 0.5 * jnp.sum(jnp.exp(logvar) + mean**2 - 1.0 - logvar, axis=-1)  # closed form, (B,)
        return nll, kl

    def loss(self, module, x, key, config, info):
        nll, kl = self.terms(module, x, key, config)
        return (nll + config.opt("beta") * kl).mean()

    def metrics(self, module, x, config, info) -> dict:
        """Test ELBO (nats per example) averaged over several sampled codes, and its KL part."""
        import jax

        keys = jax.random.split(jax.random.PRNGKey(config.seed + 7), ELBO_SAMPLES)
        nll = jax.vmap(lambda k: self.terms(module, x, k, config)[0])(keys).mean(axis=0)  # (n,)
        kl = self.terms(module, x, keys[0], config)[1]
        return {"elbo": -(nll + kl).mean(), "kl": kl.mean(), "nll": nll.mean()}


MODEL = VAE("vae", "VAE", "variational autoencoder with a standard normal prior", has_prior=True, options={
    **OPTIONS,
    "activation": Option("choice", None, choices=("relu", "tanh", "gelu"), help="hidden-layer activation (relu)"),
    "loss": Option("choice", None, choices=("mse", "bce"),
                   help="decoder likelihood: bce (Bernoulli, default on images) or mse (Gaussian)"),
    "beta": Option("float", 1.0, 0.0, 1000.0, help="weight of the KL term, a number ≥ 0")})
