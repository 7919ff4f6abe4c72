"""Digits from the shipped MNIST test sample, and the ones the model gets wrong.

images are uint8 (N, 28, 28) white ink on black, exactly as MNIST stores them; they are already
centred, so they go straight to `models.preprocess.normalise` (no crop/fit step).
"""

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from models.preprocess import normalise


class GalleryError(ValueError):
    """The test sample is missing or malformed."""


@dataclass(frozen=True)
class TestSample:
    images: np.ndarray  # uint8 (N, 28, 28)
    labels: np.ndarray  # int64 (N,)


@dataclass(frozen=True)
class Predictions:
    predicted: np.ndarray  # int64 (N,)
    confidence: np.ndarray  # float32 (N,): probability of the predicted class
    probs: np.ndarray  # float32 (N, 10)


def load_test_sample(path=None) -> TestSample:
    """The shipped sample (assets/digits/test_sample.npz) or another .npz with images/labels."""
    from models import data

    images, labels = data.load_npz(path if path is not None else data.TEST_SAMPLE)
    if images.ndim != 3 or images.shape[1:] != (28, 28) or len(images) != len(labels) or len(images) == 0:
        raise GalleryError(f"the test sample must hold images (N, 28, 28) and N labels, "
                           f"got {images.shape} and {labels.shape}")
    return TestSample(images.astype(np.uint8), labels)


def as_input(image: np.ndarray) -> torch.Tensor:
    """uint8 (28, 28) MNIST digit -> normalised (1, 1, 28, 28) model input."""
    image = np.asarray(image)
    if image.shape != (28, 28):
        raise GalleryError(f"an MNIST digit is 28x28, got {image.shape}")
    return normalise(image.astype(np.float32) / 255.0)


@torch.no_grad()
def predict_all(model: nn.Module, images: np.ndarray, batch: int = 1000) -> Predictions:
    """Classify (N, 28, 28) uint8 digits in batches."""
    out = []
    for start in range(0, len(images), batch):
        x = normalise(images[start:start + batch].astype(np.float32) / 255.0)
        out.append(torch.softmax(model(x), dim=1))
    probs = torch.cat(out).numpy().astype(np.float32)
    return Predictions(probs.argmax(1).astype(np.int64), probs.max(1), probs)


def misclassified(labels: np.ndarray, preds: Predictions) -> np.ndarray:
    """Indices of the wrongly classified digits, the most confidently wrong first."""
    wrong = np.flatnonzero(preds.predicted != np.asarray(labels))
    return wrong[np.argsort(-preds.confidence[wrong], kind="stable")]


def tile(images: np.ndarray, cols: int, gap: int = 2) -> np.ndarray:
    """(N, h, w) uint8 -> one (rows*(h+gap)-gap, cols*(w+gap)-gap) uint8 mosaic, row-major."""
    n, h, w = images.shape
    rows = max(1, -(-n // cols))
    out = np.full((rows * (h + gap) - gap, cols * (w + gap) - gap), 96, np.uint8)
    for i in range(n):
        r, c = divmod(i, cols)
        out[r * (h + gap):r * (h + gap) + h, c * (w + gap):c * (w + gap) + w] = images[i]
    return out
