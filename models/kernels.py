"""Kernel presets with their textbook values, the 2D Gaussian, nn.Conv2d-style random init, and checks.

Every kernel is a square float64 numpy array of odd size k, shape (k, k), row 0 at the top.
"""

import math
from dataclasses import dataclass

import numpy as np

SIZES = (1, 3, 5, 7, 9, 11)
MAX_ABS = 1000.0  # larger entries are refused: they overflow float32 outputs and teach nothing
MAX_TEXT_CHARS = 4000  # typed/pasted kernel text: 121 numbers of up to ~30 characters


class KernelError(ValueError):
    """A kernel or setting ConvLab cannot use; the message is written for a student."""


class AllZeroKernel(KernelError):
    """Raised for an all-zero kernel: the output can still be shown, but it is flat."""


_FIXED = {
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "laplacian 4": [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
    "laplacian 8": [[1, 1, 1], [1, -8, 1], [1, 1, 1]],
    "sobel x": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    "sobel y": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
    "prewitt x": [[-1, 0, 1], [-1, 0, 1], [-1, 0, 1]],
    "prewitt y": [[-1, -1, -1], [0, 0, 0], [1, 1, 1]],
    "scharr x": [[-3, 0, 3], [-10, 0, 10], [-3, 0, 3]],
    "scharr y": [[-3, -10, -3], [0, 0, 0], [3, 10, 3]],
    "emboss": [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]],
    "outline": [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
}
# Presets whose size the user picks (the rest are defined as 3x3).
_SIZED = ("identity", "box blur", "gaussian", "unsharp mask", "laplacian of gaussian", "motion blur", "random")
PRESETS = ("identity", "box blur", "gaussian", "sharpen", "unsharp mask", "laplacian 4", "laplacian 8",
           "laplacian of gaussian", "sobel x", "sobel y", "prewitt x", "prewitt y", "scharr x", "scharr y",
           "emboss", "outline", "motion blur", "random")
GRADIENT_PAIRS = {"sobel x": "sobel y", "sobel y": "sobel x", "scharr x": "scharr y", "scharr y": "scharr x",
                  "prewitt x": "prewitt y", "prewitt y": "prewitt x"}

DESCRIPTIONS = {
    "identity": "A single 1 in the centre: every output pixel copies the input pixel under it.",
    "box blur": "Every weight 1/k²: each output pixel is the plain average of its k×k neighbourhood.",
    "gaussian": "A bell of weights summing to 1: a blur that trusts near pixels more than far ones.",
    "sharpen": "Centre 5, four neighbours −1: adds back the difference from the neighbours, so edges pop.",
    "unsharp mask": "2·identity − Gaussian: the image plus (image − blurred image). The textbook 5×5 uses the binomial Gaussian /256.",
    "laplacian 4": "Second derivative in x plus y: zero on flat areas and ramps, large at edges and fine detail.",
    "laplacian 8": "Laplacian including the diagonals: responds to edges in all 8 directions.",
    "laplacian of gaussian": "Blur then Laplacian in one kernel (the 'Mexican hat'): edges at one scale, less noise.",
    "sobel x": "Derivative across x (left→right) with 1-2-1 smoothing along y: lights up vertical edges.",
    "sobel y": "Derivative down y (top→bottom) with 1-2-1 smoothing along x: lights up horizontal edges.",
    "prewitt x": "Like Sobel x with plain 1-1-1 smoothing.",
    "prewitt y": "Like Sobel y with plain 1-1-1 smoothing.",
    "scharr x": "Sobel x with 3-10-3 weights, more accurate for edge directions.",
    "scharr y": "Sobel y with 3-10-3 weights, more accurate for edge directions.",
    "emboss": "A diagonal derivative plus the pixel itself: the image looks lit from one corner.",
    "outline": "8·centre minus all 8 neighbours: black on flat areas, bright outlines at edges.",
    "motion blur": "Averages along a line: what a camera shaken in that direction records.",
    "random": "Uniform in ±1/√(fan_in), exactly how a fresh nn.Conv2d starts before any training.",
}


def is_sized(preset: str) -> bool:
    """True when the preset takes the user's kernel size (False: fixed 3x3)."""
    return preset in _SIZED


def _check_size(size: int) -> int:
    if size not in SIZES:
        raise KernelError(f"Kernel size must be one of {', '.join(map(str, SIZES))} (odd, so the kernel "
                          f"has an exact centre pixel); got {size}.")
    return int(size)


def identity(size: int) -> np.ndarray:
    k = np.zeros((_check_size(size),) * 2)
    k[size // 2, size // 2] = 1.0
    return k


def box(size: int) -> np.ndarray:
    return np.full((_check_size(size),) * 2, 1.0 / size**2)


def gaussian(size: int, sigma: float) -> np.ndarray:
    """Sampled 2D Gaussian exp(-(x²+y²)/2σ²), normalised to sum 1; it equals outer(g1, g1) (separable)."""
    return np.outer(*(2 * [gaussian_1d(size, sigma)]))


def gaussian_1d(size: int, sigma: float) -> np.ndarray:
    """(k,) sampled 1D Gaussian, normalised to sum 1."""
    _check_size(size)
    if not (math.isfinite(sigma) and sigma > 0):
        raise KernelError(f"The Gaussian's sigma must be a positive number; got {sigma}.")
    x = np.arange(size) - size // 2
    g = np.exp(-(x**2) / (2 * sigma**2))
    return g / g.sum()


def binomial(size: int) -> np.ndarray:
    """Pascal-triangle blur, e.g. 5x5 = outer([1,4,6,4,1], [1,4,6,4,1]) / 256."""
    row = np.array([math.comb(size - 1, i) for i in range(_check_size(size))], dtype=np.float64)
    return np.outer(row, row) / row.sum() ** 2


def unsharp_mask(size: int) -> np.ndarray:
    """2·identity − binomial blur (Wikipedia's 5x5: −1/256 · [..., -476, ...])."""
    if size < 3:
        raise KernelError("An unsharp mask needs at least a 3x3 kernel (it subtracts a blur).")
    return 2 * identity(size) - binomial(size)


def laplacian_of_gaussian(size: int, sigma: float) -> np.ndarray:
    """Sampled −1/(πσ⁴)·(1 − r²/2σ²)·exp(−r²/2σ²), shifted to sum exactly 0 (flat areas give 0)."""
    _check_size(size)
    if not (math.isfinite(sigma) and sigma > 0):
        raise KernelError(f"The Gaussian's sigma must be a positive number; got {sigma}.")
    x = np.arange(size) - size // 2
    r2 = x[None, :] ** 2 + x[:, None] ** 2
    log = -1 / (math.pi * sigma**4) * (1 - r2 / (2 * sigma**2)) * np.exp(-r2 / (2 * sigma**2))
    return log - log.mean()


def motion_blur(size: int, length: int, angle_deg: float) -> np.ndarray:
    """A line `length` cells long through the centre at `angle_deg` (0 = horizontal, counter-clockwise), sum 1.

    The length is counted in cells along the line's longer axis, so a 45° line of length 5 covers 5 diagonal cells;
    an even length has one more cell on the positive side.
    """
    _check_size(size)
    length = int(min(max(length, 1), size))
    c = size // 2
    theta = math.radians(angle_deg)
    dx, dy = math.cos(theta), math.sin(theta)
    k = np.zeros((size, size))
    for o in np.arange(length) - length // 2:  # one cell per step along the line's longer axis
        if abs(dx) >= abs(dy):
            row, col = c - _round(o * dy / abs(dx)), c + o * (1 if dx > 0 else -1)
        else:
            row, col = c - o * (1 if dy > 0 else -1), c + _round(o * dx / abs(dy))
        k[row, col] = 1.0
    return k / k.sum()


def _round(v: float) -> int:
    """Round half away from zero after removing float noise (cos 45° ≠ sin 45° in the last bit)."""
    v = round(v, 9)
    return int(math.floor(abs(v) + 0.5) * (1 if v >= 0 else -1))


def conv2d_init(size: int, seed: int = 0) -> tuple[np.ndarray, float]:
    """(weight (k,k), bias) of a fresh nn.Conv2d(1, 1, k) under torch.manual_seed(seed).

    PyTorch uses kaiming_uniform_(a=√5): bound = gain·√(3/fan_in) with gain = √(2/(1+a²)) = √(1/3),
    so weights ~ U(−1/√fan_in, 1/√fan_in), and the bias ~ U(−1/√fan_in, 1/√fan_in); fan_in = 1·k·k.
    """
    import torch

    _check_size(size)
    with torch.random.fork_rng():
        torch.manual_seed(int(seed))
        conv = torch.nn.Conv2d(1, 1, size)
    return conv.weight.detach().double().numpy()[0, 0].copy(), float(conv.bias.detach()[0])


def init_bound(size: int) -> float:
    """The ±bound of nn.Conv2d's default init for one input channel: 1/√(k·k)."""
    return 1.0 / math.sqrt(size * size)


@dataclass(frozen=True)
class PresetParams:
    size: int = 3
    sigma: float = 1.0
    length: int = 5
    angle: float = 0.0
    seed: int = 0


def make_preset(name: str, p: PresetParams) -> tuple[np.ndarray, float]:
    """(kernel (k,k), suggested bias) for a preset name from PRESETS."""
    if name in _FIXED:
        return np.array(_FIXED[name], dtype=np.float64), 0.0
    makers = {
        "identity": lambda: identity(p.size),
        "box blur": lambda: box(p.size),
        "gaussian": lambda: gaussian(p.size, p.sigma),
        "unsharp mask": lambda: unsharp_mask(p.size),
        "laplacian of gaussian": lambda: laplacian_of_gaussian(p.size, p.sigma),
        "motion blur": lambda: motion_blur(p.size, p.length, p.angle),
    }
    if name == "random":
        return conv2d_init(p.size, p.seed)
    if name not in makers:
        raise KernelError(f"There is no preset called {name!r}.")
    return makers[name](), 0.0


def validate(kernel: np.ndarray) -> np.ndarray:
    """Return the kernel as float64 (k,k) or raise KernelError saying what is wrong, in a student's terms.

    Raises AllZeroKernel (a KernelError) last, for a kernel the page can still apply.
    """
    k = np.asarray(kernel, dtype=np.float64)
    if k.ndim != 2 or k.shape[0] != k.shape[1] or k.shape[0] % 2 == 0:
        raise KernelError(f"A kernel must be a square grid with an odd size (1, 3, 5, ...) so it has an exact "
                          f"centre; got shape {k.shape}.")
    if k.shape[0] not in SIZES:
        raise KernelError(f"Kernel size must be one of {', '.join(map(str, SIZES))}; got {k.shape[0]}.")
    bad = ~np.isfinite(k)
    if bad.any():
        r, c = np.argwhere(bad)[0]
        what = "empty or not a number (NaN)" if np.isnan(k[r, c]) else "infinite"
        raise KernelError(f"Cell (row {r + 1}, column {c + 1}) is {what}. Every kernel entry must be an "
                          f"ordinary number: one NaN or infinity spreads into every output pixel it touches.")
    huge = np.abs(k) > MAX_ABS
    if huge.any():
        r, c = np.argwhere(huge)[0]
        raise KernelError(f"Cell (row {r + 1}, column {c + 1}) is {exact(k[r, c])}, outside the allowed range "
                          f"−{MAX_ABS:g} … {MAX_ABS:g}: pixel values are 0..1, so products that big overflow "
                          f"32-bit floats and the image turns into infinities.")
    if not k.any():
        raise AllZeroKernel("Every kernel entry is 0, so every product (pixel × weight) is 0 and every output "
                            "pixel equals just the bias. With bias 0 the whole output is 0, which shows as black "
                            "(white on the signed colour scale).")
    return k


def exact(value: float) -> str:
    """A number as typed, never rounded into the limit it broke: −1000.0001 stays −1000.0001."""
    text = repr(float(value))
    return ("−" + text[1:] if text.startswith("-") else text).removesuffix(".0")


def check_bias(bias: float) -> float:
    try:
        bias = float(bias)
    except (TypeError, ValueError):
        raise KernelError(f"The bias must be a number between −{MAX_ABS:g} and {MAX_ABS:g}.") from None
    if not math.isfinite(bias) or abs(bias) > MAX_ABS:
        raise KernelError(f"The bias is {exact(bias)}, outside the allowed range −{MAX_ABS:g} … {MAX_ABS:g}; "
                          "it must be an ordinary number in that range.")
    return float(bias)


def normalise(kernel: np.ndarray) -> np.ndarray:
    """Scale so the entries sum to 1 (brightness preserved). Raises KernelError when the sum is ~0."""
    total = float(np.sum(kernel))
    if abs(total) < 1e-9:
        raise KernelError("This kernel's entries sum to 0 (typical of edge detectors), so it cannot be scaled "
                          "to sum to 1. It is applied as it is.")
    return kernel / total


def parse_text(text: str) -> np.ndarray:
    """Parse rows of numbers (rows on lines or split by ';', numbers by spaces or commas) into a (k,k) array."""
    if len(text) > MAX_TEXT_CHARS:
        raise KernelError(f"The kernel text is {len(text)} characters long; an 11×11 kernel needs far fewer, "
                          f"so at most {MAX_TEXT_CHARS} are read.")
    rows = [r for r in text.replace(";", "\n").splitlines() if r.strip()]
    try:
        grid = [[float(x) for x in r.replace(",", " ").split()] for r in rows]
    except ValueError as exc:
        raise KernelError(f"Could not read the kernel text: {exc}. Write one row per line, numbers separated "
                          f"by spaces or commas, e.g. '0 -1 0'.") from exc
    if not grid or any(len(r) != len(grid) for r in grid):
        raise KernelError(f"The kernel text must be square: {len(grid)} rows, but row lengths are "
                          f"{[len(r) for r in grid]}.")
    return np.array(grid, dtype=np.float64)


def format_text(kernel: np.ndarray) -> str:
    return "\n".join(" ".join(f"{v:.6g}" for v in row) for row in np.asarray(kernel))


def suggested_view(kernel: np.ndarray) -> tuple[str, str]:
    """(display mode from models.convolution.display_values, one-line reason) suited to a (k,k) kernel.

    Smoothing kernels (all weights >= 0) keep pixel values in 0..1, so grey shows them like a photo;
    derivative kernels (weights summing to ~0) give signed outputs around 0, so a diverging scale shows them.
    """
    k = np.asarray(kernel, dtype=np.float64)
    total, scale = float(k.sum()), float(np.abs(k).sum()) or 1.0
    if (k >= 0).all():
        if total <= 1.0 + 1e-6:
            return "clipped", (f"All weights are ≥ 0 and sum to {total:.3g} (a smoothing kernel): outputs stay in "
                               "0..1, so they are shown in grey like the input.")
        return "stretch", (f"All weights are ≥ 0 but sum to {total:.3g}: outputs go above 1, so grey is stretched "
                           "from the smallest to the largest output.")
    if abs(total) <= 1e-6 * scale:
        return "diverging", ("The weights sum to 0 (a derivative kernel): flat areas give 0 and edges give positive "
                             "or negative values, so the output is shown signed: blue < 0 < red, white = 0.")
    if abs(total - 1.0) <= 0.05:
        return "clipped", ("Mixed signs summing to 1 (like sharpen): flat areas keep their brightness, so grey "
                           "0..1 shows the output like a photo; values beyond 0..1 are clipped.")
    return "stretch", (f"Mixed signs summing to {total:.3g}: the output range is not 0..1, so grey is stretched "
                       "from the smallest to the largest output.")
