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


def centre_crop(image: np.ndarray, side: int) -> np.ndarray:
    """The central side x side part (or less, for a smaller image) of an (H, W) or (H, W, C) image."""
    h, w = image.shape[:2]
    top, left = max(0, (h - side) // 2), max(0, (w - side) // 2)
    return image[top:top + side, left:left + side]


def denoise_comparison(clean: np.ndarray, kind: str, amount: float, size: int, nonlinear: str) -> dict:
    """Noise added to `clean` ((H, W) or (H, W, C) in [0, 1]), then a linear and a non-linear filter, and the
    Sobel edge magnitude (halved, so a full step edge gives about 1) of each. Every array keeps clean's shape.

    kind: "salt and pepper" or "gaussian"; size: odd filter size; nonlinear: "median", "min" or "max".
    Returns {"clean", "noisy", "linear", "nonlinear", "edges": {same four keys}}.
    """
    from models.convolution import ConvSettings, convolve, gradient_magnitude, rank_filter
    from models.kernels import PresetParams, gaussian, make_preset

    noisy = salt_and_pepper(clean, amount) if kind == "salt and pepper" else gaussian_noise(clean, amount)
    noisy = noisy.astype(np.float32)
    reflect = ConvSettings("reflect")
    images = {"clean": clean, "noisy": noisy, "linear": convolve(noisy, gaussian(size, size / 4), reflect),
              "nonlinear": rank_filter(noisy, size, nonlinear)}
    sobel_x, sobel_y = (make_preset(name, PresetParams())[0] for name in ("sobel x", "sobel y"))
    images["edges"] = {name: gradient_magnitude(convolve(img, sobel_x, reflect), convolve(img, sobel_y, reflect)) / 2
                       for name, img in images.items()}
    return images
