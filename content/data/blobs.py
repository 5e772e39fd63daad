"""Blobs: 12×12 images of one soft round spot at a random place. Generated, never downloaded.

Two numbers (the spot's x and y) describe each image completely, so a 2-D code can be perfect:
a good autoencoder's latent plane becomes a map of where the spot is. Labels: the quadrant (0–3).

A data loader is a module with `load()` returning {"x": images, "y": labels} (or x, or (x, y)).
"""

import numpy as np

SIDE = 12  # pixels per side
COUNT = 2000  # images
WIDTH = 1.4  # the spot's standard deviation, in pixels


def load():
    rng = np.random.default_rng(7)  # fixed: the same data on every build
    cx, cy = rng.uniform(2.0, SIDE - 2.0, (2, COUNT))  # centres, kept off the border
    rows, cols = np.mgrid[0:SIDE, 0:SIDE] + 0.5  # pixel centres, (SIDE, SIDE) each
    dist2 = (cols - cx[:, None, None]) ** 2 + (rows - cy[:, None, None]) ** 2  # (COUNT, SIDE, SIDE)
    images = np.exp(-dist2 / (2 * WIDTH**2))  # brightness 1 at the centre, in [0, 1]
    quadrant = (cx > SIDE / 2).astype(int) + 2 * (cy > SIDE / 2).astype(int)
    return {"x": images.astype(np.float32), "y": quadrant}
