"""Pure loss functions: (model, batch, key, config) → scalar. What each autoencoder is trained to do.

Reconstruction losses are means per pixel (MSE) or per pixel-bit (BCE), so numbers compare across
image sizes; the VAE's −ELBO is in nats per image, its natural unit.
"""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import optax

# A Gaussian decoder needs a noise scale. Fixed rather than learned: with σ = 1 the KL term swamps
# the reconstruction on data of this scale and every code collapses to the prior.
GAUSSIAN_DECODER_SIGMA = 0.1


def corrupt(x, key, noise_type: str, noise: float):
    """The denoising AE's corruption: Gaussian noise (unclipped) or masking pixels to 0."""
    if noise_type == "gaussian":
        return x + noise * jax.random.normal(key, x.shape)
    if noise_type == "mask":
        return x * (jax.random.uniform(key, x.shape) >= noise)
    return x


def reconstruction(logits, target, loss: str, pixels: bool):
    """Mean reconstruction error. BCE uses the logits directly (stable log-sigmoid form)."""
    if loss == "bce":
        return jnp.mean(optax.sigmoid_binary_cross_entropy(logits, target))
    out = jax.nn.sigmoid(logits) if pixels else logits
    return jnp.mean((out - target) ** 2)


def autoencoder_loss(model, x, key, cfg, pixels: bool):
    """AE: reconstruct x. DAE: reconstruct the clean x from a corrupted copy. Sparse AE: + λ·|z|."""
    x_in = corrupt(x, key, cfg.noise_type, cfg.noise)  # (B, D); unchanged unless dae
    z = model.encode(x_in)  # (B, d)
    loss = reconstruction(model.decode_logits(z), x, cfg.loss, pixels)
    if cfg.sparsity:
        loss = loss + cfg.sparsity * jnp.mean(jnp.abs(z))  # L1 drives most code units to ~0
    return loss


def vae_terms(model, x, key, cfg, pixels: bool):
    """Per-image negative log-likelihood of x under one sampled code, and KL(q(z|x) ‖ N(0, I))."""
    mean, logvar = model.encode(x)  # (B, d), (B, d)
    z = model.sample(mean, logvar, key)  # (B, d)
    logits = model.decode_logits(z)  # (B, D)
    if cfg.loss == "bce":  # Bernoulli decoder: −log p(x|z) summed over pixels
        nll = jnp.sum(optax.sigmoid_binary_cross_entropy(logits, x), axis=-1)
    else:  # Gaussian decoder with fixed σ
        out = jax.nn.sigmoid(logits) if pixels else logits
        s = GAUSSIAN_DECODER_SIGMA
        nll = jnp.sum(0.5 * ((out - x) / s) ** 2 + math.log(s * math.sqrt(2 * math.pi)), axis=-1)
    kl = 0.5 * jnp.sum(jnp.exp(logvar) + mean**2 - 1.0 - logvar, axis=-1)  # closed form, (B,)
    return nll, kl


def vae_loss(model, x, key, cfg, pixels: bool):
    """−ELBO with the KL weighted by β (β = 1: the true bound; β > 1: a β-VAE)."""
    nll, kl = vae_terms(model, x, key, cfg, pixels)
    return jnp.mean(nll + cfg.beta * kl)


def objective(model, x, key, cfg, pixels: bool):
    """The training loss of the model a config names."""
    if cfg.model == "vae":
        return vae_loss(model, x, key, cfg, pixels)
    return autoencoder_loss(model, x, key, cfg, pixels)
