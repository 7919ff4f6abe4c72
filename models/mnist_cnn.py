"""The course's small MNIST CNN, its shipped weights and an activations API for the pages.

Architecture (shapes per sample, batch dimension B first):
    input (1,28,28) -> conv1 3x3 (10,26,26) -> ReLU -> maxpool 2 (10,13,13)
    -> conv2 3x3 (20,11,11) -> ReLU -> maxpool 2 (20,5,5) -> flatten 500
    -> fc1 (50) -> ReLU -> fc2 (10 logits)
"""

from collections import OrderedDict
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
MODELS_DIR = ROOT / "assets" / "models"
DEFAULT_WEIGHTS = MODELS_DIR / "mnist_cnn.pt"
DEFAULT_CARD = MODELS_DIR / "mnist_cnn.json"

MODEL_CHOICES: dict[str, str] = {"pen": "MNIST + pen handwriting", "mnist": "MNIST only (as in the course)"}
DEFAULT_CHOICE = "pen"
MODEL_FILES: dict[str, str] = {"pen": "mnist_pen", "mnist": "mnist_only"}  # stem of <stem>.pt / <stem>.json

RETRAIN_HINT = ("Retrain it with `python -m models.train` (add `--data mnist` for the MNIST-only model; "
                "about 5 minutes on a free 2-core CPU).")

LAYER_SHAPES: dict[str, tuple[int, ...]] = OrderedDict([
    ("conv1_pre", (10, 26, 26)),
    ("conv1", (10, 26, 26)),
    ("pool1", (10, 13, 13)),
    ("conv2_pre", (20, 11, 11)),
    ("conv2", (20, 11, 11)),
    ("pool2", (20, 5, 5)),
    ("fc1", (50,)),
    ("logits", (10,)),
    ("probs", (10,)),
])


class WeightsError(RuntimeError):
    """The weights file is missing, unreadable or does not fit MnistCNN."""


class MnistCNN(nn.Module):
    """conv1(1->10, 3x3) -> pool -> conv2(10->20, 3x3) -> pool -> fc1(500->50) -> fc2(50->10).

    `dropout` is applied to the flattened features and fc1 output during training only.
    """

    def __init__(self, dropout: float = 0.0):
        super().__init__()
        if not 0.0 <= float(dropout) < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {dropout}")
        self.conv1 = nn.Conv2d(1, 10, kernel_size=3)
        self.conv2 = nn.Conv2d(10, 20, kernel_size=3)
        self.fc1 = nn.Linear(20 * 5 * 5, 50)
        self.fc2 = nn.Linear(50, 10)
        self.dropout = float(dropout)

    @staticmethod
    def _check(x: torch.Tensor) -> torch.Tensor:
        if x.dim() == 3:
            x = x.unsqueeze(1)
        if x.dim() != 4 or tuple(x.shape[1:]) != (1, 28, 28):
            raise ValueError(f"MnistCNN expects images shaped (B, 1, 28, 28), got {tuple(x.shape)}")
        return x

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """x: (B,1,28,28) normalised like MNIST -> logits (B,10)."""
        x = self._check(x)
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = F.dropout(x.flatten(1), self.dropout, self.training)
        x = F.dropout(F.relu(self.fc1(x)), self.dropout, self.training)
        return self.fc2(x)

    @torch.no_grad()
    def forward_with_activations(self, x: torch.Tensor) -> "OrderedDict[str, torch.Tensor]":
        """One pass (no gradients) returning every intermediate, keys in LAYER_SHAPES order.

        x: (B,1,28,28) -> conv1_pre/conv1 (B,10,26,26), pool1 (B,10,13,13), conv2_pre/conv2
        (B,20,11,11), pool2 (B,20,5,5), fc1 (B,50), logits (B,10), probs (B,10).
        """
        x = self._check(x)
        acts: OrderedDict[str, torch.Tensor] = OrderedDict()
        acts["conv1_pre"] = self.conv1(x)
        acts["conv1"] = F.relu(acts["conv1_pre"])
        acts["pool1"] = F.max_pool2d(acts["conv1"], 2)
        acts["conv2_pre"] = self.conv2(acts["pool1"])
        acts["conv2"] = F.relu(acts["conv2_pre"])
        acts["pool2"] = F.max_pool2d(acts["conv2"], 2)
        acts["fc1"] = F.relu(self.fc1(acts["pool2"].flatten(1)))
        acts["logits"] = self.fc2(acts["fc1"])
        acts["probs"] = F.softmax(acts["logits"], dim=1)
        return acts


def parameter_count(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def save_weights(model: MnistCNN, path: Path | str) -> None:
    """Save a plain state_dict (tensors only) so it loads with weights_only=True."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().clone().contiguous() for k, v in model.state_dict().items()}
    torch.save(state, path)


def load_pretrained(path: Path | str | None = None) -> MnistCNN:
    """The shipped (or given) weights in a fresh MnistCNN, in eval mode.

    Raises WeightsError naming the file and how to retrain when it is missing, truncated,
    corrupt or made for a different architecture.
    """
    path = Path(path) if path is not None else DEFAULT_WEIGHTS
    if not path.is_file():
        raise WeightsError(f"The digit model's weights file {path} is missing. {RETRAIN_HINT}")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # noqa: BLE001 - torch raises many types for damaged files
        raise WeightsError(f"The weights file {path} is damaged or truncated and cannot be read "
                           f"({type(exc).__name__}). {RETRAIN_HINT}") from exc
    if not isinstance(state, dict):
        raise WeightsError(f"The weights file {path} does not hold a state_dict. {RETRAIN_HINT}")
    model = MnistCNN()
    try:
        model.load_state_dict(state, strict=True)
    except (RuntimeError, TypeError, ValueError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise WeightsError(f"The weights file {path} does not fit MnistCNN ({first}). {RETRAIN_HINT}") from exc
    bad = [k for k, v in model.state_dict().items() if not torch.isfinite(v).all()]
    if bad:
        raise WeightsError(f"The weights file {path} holds NaN or infinite numbers (in {', '.join(bad)}), "
                           f"so its answers would be meaningless. {RETRAIN_HINT}")
    return model.eval()


def _named_path(name: str, suffix: str) -> Path:
    if name not in MODEL_CHOICES:
        raise ValueError(f"unknown digit model {name!r}; choose one of {', '.join(MODEL_CHOICES)}")
    path = MODELS_DIR / f"{MODEL_FILES[name]}{suffix}"
    return path if path.is_file() else MODELS_DIR / f"mnist_cnn{suffix}"


def load_named(name: str) -> MnistCNN:
    """The shipped model called `name` (a MODEL_CHOICES key), in eval mode. Bad weights -> WeightsError."""
    return load_pretrained(_named_path(name, ".pt"))


def model_card(name: str) -> dict:
    """The model card (assets/models/<file>.json) of a MODEL_CHOICES name; {} when there is none."""
    import json

    path = _named_path(name, ".json")
    return json.loads(path.read_text()) if path.is_file() else {}
