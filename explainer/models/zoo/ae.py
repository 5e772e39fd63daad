"""ae: the plain autoencoder. An MLP squeezes each input through a small code and is asked for the
input back; nothing else shapes the code (see `_mlp.py` for the net and its measured defaults)."""

from ._mlp import OPTIONS, MLPAutoencoder

MODEL = MLPAutoencoder("ae", "AE", "MLP autoencoder, reconstruction loss", options=OPTIONS)
