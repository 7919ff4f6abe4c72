"""Why did the network answer that? Two saliency maps over the 28x28 input for one class.

occlusion(model, x, target): grey out (set to background) a patch at every position, all positions
    in ONE batch, and record how much the target's probability drops. Positive = those pixels
    pushed the class up; negative = hiding them makes the class more likely.
gradient_x_input(model, x, target): d logit_target / d input, times (input - background): a
    first-order estimate of the same thing from one backward pass.
Both take x shaped (1, 1, 28, 28) (normalised like MNIST) and return float32 numpy (28, 28).
"""

import numpy as np
import torch
from torch import nn

from models.preprocess import MNIST_MEAN, MNIST_STD

BACKGROUND = (0.0 - MNIST_MEAN) / MNIST_STD  # an empty (black) pixel after normalisation
METHODS = ("occlusion", "gradient")


class SaliencyError(ValueError):
    """Bad arguments for a saliency map (wrong shape, class or patch size)."""


def _check(x: torch.Tensor, target: int, n_classes: int = 10) -> torch.Tensor:
    if not isinstance(x, torch.Tensor) or tuple(x.shape) not in ((1, 1, 28, 28), (1, 28, 28), (28, 28)):
        shape = tuple(x.shape) if hasattr(x, "shape") else type(x).__name__
        raise SaliencyError(f"saliency needs one 28x28 digit shaped (1, 1, 28, 28), got {shape}")
    if not 0 <= int(target) < n_classes:
        raise SaliencyError(f"the class must be 0..{n_classes - 1}, got {target}")
    return x.reshape(1, 1, 28, 28).float()


def occlusion_batch(x: torch.Tensor, patch: int, stride: int) -> tuple[torch.Tensor, list[tuple[int, int]]]:
    """Every occluded copy of x (1,1,28,28) -> (P,1,28,28) and the top-left corner of each patch."""
    if not 1 <= patch <= 28 or not 1 <= stride <= 28:
        raise SaliencyError(f"patch and stride must be 1..28 pixels, got patch={patch}, stride={stride}")
    starts = list(range(0, 28 - patch + 1, stride))
    if starts[-1] != 28 - patch:
        starts.append(28 - patch)  # cover the last rows/columns too
    corners = [(r, c) for r in starts for c in starts]
    batch = x.repeat(len(corners), 1, 1, 1)
    for i, (r, c) in enumerate(corners):
        batch[i, 0, r:r + patch, c:c + patch] = BACKGROUND
    return batch, corners


@torch.no_grad()
def occlusion(model: nn.Module, x: torch.Tensor, target: int, patch: int = 4, stride: int = 2) -> np.ndarray:
    """(28,28): mean drop in P(target) over the patches covering each pixel (batched forward)."""
    x = _check(x, target)
    batch, corners = occlusion_batch(x, patch, stride)
    base = torch.softmax(model(x), dim=1)[0, target]
    probs = torch.softmax(model(batch), dim=1)[:, target]
    drop = (base - probs).numpy()
    total = np.zeros((28, 28), np.float64)
    count = np.zeros((28, 28), np.float64)
    for d, (r, c) in zip(drop, corners, strict=True):
        total[r:r + patch, c:c + patch] += d
        count[r:r + patch, c:c + patch] += 1
    return (total / np.maximum(count, 1)).astype(np.float32)


def gradient_x_input(model: nn.Module, x: torch.Tensor, target: int) -> np.ndarray:
    """(28,28): d logit_target / d x * (x - background). Positive = evidence for the class."""
    x = _check(x, target).clone().requires_grad_(True)
    with torch.enable_grad():
        logit = model(x)[0, target]
        (grad,) = torch.autograd.grad(logit, x)
    return (grad * (x.detach() - BACKGROUND))[0, 0].numpy().astype(np.float32)


def saliency(model: nn.Module, x: torch.Tensor, target: int, method: str = "occlusion") -> np.ndarray:
    if method == "occlusion":
        return occlusion(model, x, target)
    if method == "gradient":
        return gradient_x_input(model, x, target)
    raise SaliencyError(f"unknown saliency method {method!r}; choose one of {', '.join(METHODS)}")
