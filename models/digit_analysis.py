"""Everything the Digits page shows about one input, computed in one forward pass.

`analyse(model, x)` takes x (1, 1, 28, 28) normalised and returns numpy activations per layer
(batch dimension dropped: conv1 (10,26,26), pool1 (10,13,13), conv2 (20,11,11), pool2 (20,5,5),
fc1 (50,), logits/probs (10,)), the ranking of the classes, and the learned kernels.
"""

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn


@dataclass(frozen=True)
class Analysis:
    acts: dict[str, np.ndarray]  # layer name -> float32 array without the batch dimension
    probs: np.ndarray  # (10,) float32
    ranking: np.ndarray  # (10,) classes, most likely first

    @property
    def top(self) -> int:
        return int(self.ranking[0])

    @property
    def second(self) -> int:
        return int(self.ranking[1])


def analyse(model: nn.Module, x: torch.Tensor) -> Analysis:
    """One forward pass with every intermediate (model must offer forward_with_activations)."""
    with torch.inference_mode():
        acts = model.forward_with_activations(x)
    arrays = {name: t[0].detach().float().numpy() for name, t in acts.items()}
    probs = arrays["probs"]
    return Analysis(arrays, probs, np.argsort(-probs, kind="stable"))


def kernels(model: nn.Module) -> dict[str, np.ndarray]:
    """Learned 3x3 kernels: conv1 (10, 1, 3, 3) and conv2 (20, 10, 3, 3), as float32 numpy."""
    return {"conv1": model.conv1.weight.detach().float().numpy().copy(),
            "conv2": model.conv2.weight.detach().float().numpy().copy()}


@dataclass(frozen=True)
class Stage:
    name: str
    shape: tuple[int, ...]
    params: int  # learned parameters of the layer producing this stage (0 for input/pooling)


def architecture(model: nn.Module) -> list[Stage]:
    """The data's shape after each layer, with the parameter count of that layer."""
    def count(module):
        return sum(p.numel() for p in module.parameters())
    return [
        Stage("input", (1, 28, 28), 0),
        Stage("conv1·ReLU", (10, 26, 26), count(model.conv1)),
        Stage("pool1", (10, 13, 13), 0),
        Stage("conv2·ReLU", (20, 11, 11), count(model.conv2)),
        Stage("pool2", (20, 5, 5), 0),
        Stage("flatten", (500,), 0),
        Stage("fc1·ReLU", (50,), count(model.fc1)),
        Stage("fc2", (10,), count(model.fc2)),
    ]


def value_ranges(maps: dict[str, np.ndarray], mode: str) -> dict[str, np.ndarray]:
    """Colour range (C, 2) = (vmin, vmax) per channel of each layer's maps (C, ...).

    mode "per map": each map its own range; "per layer": one range per layer; "global": one range
    across all the given layers. Signed layers (any value < 0) get a symmetric range around 0 so a
    diverging colour scale keeps 0 in the middle; non-negative layers start at 0.
    """
    if mode not in ("per map", "per layer", "global"):
        raise ValueError(f"colour scale must be 'per map', 'per layer' or 'global', got {mode!r}")
    signed = {k: bool((v < 0).any()) for k, v in maps.items()}
    peak = {k: np.abs(v.reshape(len(v), -1)).max(axis=1) for k, v in maps.items()}
    top = max((float(p.max()) for p in peak.values()), default=1.0)
    out = {}
    for name, p in peak.items():
        hi = p if mode == "per map" else np.full_like(p, p.max() if mode == "per layer" else top)
        hi = np.where(hi > 1e-12, hi, 1.0)
        out[name] = np.stack([-hi if signed[name] else np.zeros_like(hi), hi], axis=1)
    return out


def logits_of(model: nn.Module, x: torch.Tensor) -> np.ndarray:
    """The 10 logits (float32 numpy) of one input x (1, 1, 28, 28)."""
    with torch.inference_mode():
        return model(x)[0].detach().float().numpy()
