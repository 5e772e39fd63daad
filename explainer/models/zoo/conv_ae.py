"""conv_ae: a convolutional autoencoder for images. conv3×3(16) → 2×2 average pool → conv3×3(32)
→ dense d, mirrored with nearest upsampling. Each conv is im2col + one matmul: XLA on the CPU runs
`lax.conv`'s weight gradient 23–50× slower inside `lax.scan` than a plain matmul (docs/training-notes.md)."""

from __future__ import annotations

from ..protocol import Plan
from ._mlp import OPTIONS, MLPAutoencoder, default_loss, flat, reconstruction


class ConvAE(MLPAutoencoder):
    def resolve(self, config) -> dict:
        return {"activation": config.opt("activation") or "relu",
                "loss": config.opt("loss") or default_loss(config.dataset)}

    def plan(self, config) -> Plan:
        # 16×16 shapes cost 4× the pixels of 8×8 digits per step (~40 steps/s on a 2-core CPU);
        # 600 steps already reconstruct them 8× better than PCA
        return Plan(3000, 3e-3, "constant") if config.dataset == "digits" else Plan(600, 3e-3, "constant")

    def build(self, config, info, seed: int):
        from flax import nnx

        from ..data import DataError
        from ..nets import ConvAutoencoder

        shape = info.image_shape
        if shape is None or shape[0] % 2 or shape[1] % 2:
            raise DataError(f"conv_ae needs images with even height and width; the data have shape {info.shape}")
        net = ConvAutoencoder(shape, config.latent_dim, config.opt("activation"), rngs=nnx.Rngs(seed))
        net.data_shape = tuple(info.shape)
        return net

    def loss(self, module, x, key, config, info):
        x = flat(x)
        return reconstruction(module.decode_logits(module.encode(x)), x, config.opt("loss"), True)

    def export_dense(self, module, config, info):
        return None, None  # convolutions: only the jaxpr exporter can ship it


MODEL = ConvAE("conv_ae", "Conv AE", "convolutional autoencoder (images)", needs_images=True,
               options={k: OPTIONS[k] for k in ("activation", "loss")})
