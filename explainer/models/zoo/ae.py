"""ae: the plain autoencoder. An MLP squeezes each input through a small code and is asked for the
input back; nothing else shapes the code (see `_mlp.py` for the net and its measured defaults)."""

from ._mlp import OPTIONS, MLPAutoencoder


class PlainAE(MLPAutoencoder):
    exact_under_code_padding = True  # the code enters only through dense layers (program_share.py)


MODEL = PlainAE("ae", "AE", "MLP autoencoder, reconstruction loss", options=OPTIONS)
