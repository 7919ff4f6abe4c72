"""Calibration of a classifier's probabilities: temperature scaling, expected calibration error, reliability.

A network trained with cross-entropy is often over-confident: of the answers it gives "95 %", fewer than
95 % are right. Temperature scaling divides every logit by one number T > 0 (fitted to minimise the
negative log-likelihood on labelled data the network was not trained on), which keeps every answer and
only changes how sure it claims to be. ECE measures the gap: answers are binned by confidence and the
|accuracy - mean confidence| of each bin is averaged, weighted by the bin's share of answers.
"""

import numpy as np
from scipy.optimize import minimize_scalar

BINS = 15


def softmax(logits, temperature: float = 1.0) -> np.ndarray:
    """logits (N,C) -> probabilities (N,C) of softmax(logits / temperature), float64."""
    z = np.asarray(logits, np.float64) / float(temperature)
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def nll(logits, labels, temperature: float = 1.0) -> float:
    """Mean negative log-likelihood of the true labels (N,) under softmax(logits (N,C) / temperature)."""
    z = np.asarray(logits, np.float64) / float(temperature)
    z = z - z.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    return float(-log_p[np.arange(len(z)), np.asarray(labels)].mean())


def fit_temperature(logits, labels, bounds: tuple[float, float] = (0.05, 20.0)) -> float:
    """The temperature T minimising nll(logits / T) (searched over log T within bounds)."""
    logits, labels = np.asarray(logits, np.float64), np.asarray(labels)
    if logits.ndim != 2 or len(logits) != len(labels) or len(labels) == 0:
        raise ValueError(f"need logits (N,C) and N labels, got {logits.shape} and {labels.shape}")
    res = minimize_scalar(lambda log_t: nll(logits, labels, np.exp(log_t)),
                          bounds=(np.log(bounds[0]), np.log(bounds[1])), method="bounded",
                          options={"xatol": 1e-6})
    return float(np.exp(res.x))


def reliability(probs, labels, bins: int = BINS) -> dict:
    """Top-class confidence binned into `bins` equal-width bins over [0, 1] (a confidence of exactly 1
    falls in the last bin) -> {"edges" (bins+1,), "count", "confidence" (mean), "accuracy"} lists;
    empty bins have count 0 and confidence/accuracy None."""
    probs, labels = np.asarray(probs, np.float64), np.asarray(labels)
    conf, pred = probs.max(axis=1), probs.argmax(axis=1)
    correct = (pred == labels).astype(np.float64)
    which = np.minimum((conf * bins).astype(np.int64), bins - 1)
    count = np.bincount(which, minlength=bins)
    conf_sum = np.bincount(which, weights=conf, minlength=bins)
    acc_sum = np.bincount(which, weights=correct, minlength=bins)
    return {"edges": np.linspace(0.0, 1.0, bins + 1).round(6).tolist(),
            "count": count.tolist(),
            "confidence": [float(s / c) if c else None for s, c in zip(conf_sum, count, strict=True)],
            "accuracy": [float(s / c) if c else None for s, c in zip(acc_sum, count, strict=True)]}


def ece(probs, labels, bins: int = BINS) -> float:
    """Expected calibration error: sum over bins of (count / N) * |accuracy - mean confidence|."""
    r = reliability(probs, labels, bins)
    n = sum(r["count"])
    if n == 0:
        raise ValueError("ECE of an empty set")
    return float(sum(c / n * abs(a - f) for c, a, f in zip(r["count"], r["accuracy"], r["confidence"], strict=True)
                     if c))
