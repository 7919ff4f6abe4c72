"""Noise used to compare linear and non-linear filters. Images are float arrays in [0, 1]."""

import numpy as np


def gaussian_noise(image: np.ndarray, sigma: float, seed: int = 0) -> np.ndarray:
    """Add N(0, sigma^2) noise and clip to [0, 1]. Any shape."""
    rng = np.random.default_rng(seed)
    return np.clip(image + rng.normal(0.0, sigma, image.shape), 0.0, 1.0)


def salt_and_pepper(image: np.ndarray, amount: float, seed: int = 0) -> np.ndarray:
    """Set a fraction `amount` of pixels (all channels together) to 0 or 1 with equal odds.

    image: (H, W) or (H, W, C).
    """
    if not 0.0 <= amount <= 1.0:
        raise ValueError(f"amount must be between 0 and 1, got {amount}")
    rng = np.random.default_rng(seed)
    out = image.copy()
    hit = rng.random(image.shape[:2]) < amount
    salt = rng.random(image.shape[:2]) < 0.5
    out[hit & salt] = 1.0
    out[hit & ~salt] = 0.0
    return out
