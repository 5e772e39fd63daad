"""pca: the linear baseline every autoencoder is measured against, fitted in closed form (an SVD,
no training, no jax; see `models/pca.py`). The best *linear* autoencoder: an MLP earns its place
only where it beats this at the same code size."""

from __future__ import annotations

from ..protocol import ModelSpec


class PCAModel(ModelSpec):
    def resolve(self, config) -> dict:
        return {}

    def fit(self, config, data):
        from ..pca import train_pca

        return train_pca(config, data)


MODEL = PCAModel("pca", "PCA", "principal component analysis, the linear baseline", trains=False)
