"""Recompute the shipped model's MNIST test accuracy and check it against its model card.

    python -m models.evaluate [--weights P] [--card P] [--data-root P] [--tolerance T]

Exit code 0 when the recomputed accuracy matches the card (within --tolerance), 1 otherwise,
2 when the weights, card or data cannot be read.
"""

import argparse
import json
import sys
from pathlib import Path

from models import data
from models.mnist_cnn import DEFAULT_CARD, DEFAULT_WEIGHTS, WeightsError, load_pretrained
from models.train import evaluate


def check(weights: Path, card_path: Path, data_root: Path, tolerance: float = 1e-4) -> tuple[bool, str]:
    """-> (matches, report text). Uses full MNIST test when present, else the shipped sample
    (compared with the card's accuracy on that sample)."""
    card = json.loads(Path(card_path).read_text())
    model = load_pretrained(weights)
    full = data.has_full_mnist(data_root)
    images, labels = data.load_mnist(data_root, train=False) if full else data.load_npz(data.TEST_SAMPLE)
    acc, per_class, _ = evaluate(model, images, labels)
    if full:
        claimed, what = card["test"]["accuracy"], f"MNIST test ({len(labels)} digits)"
    else:
        claimed, what = card["sample"]["accuracy"], f"shipped sample {data.TEST_SAMPLE.name} ({len(labels)} digits)"
    ok = abs(acc - claimed) <= tolerance
    worst = sorted(range(10), key=lambda c: per_class[c])[:3]
    report = (f"{what}: recomputed accuracy {acc:.4f}, card says {claimed:.4f} -> {'OK' if ok else 'MISMATCH'}\n"
              f"weakest classes: " + ", ".join(f"{c} ({per_class[c]:.3f})" for c in worst))
    return ok, report


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m models.evaluate", description=__doc__.splitlines()[0])
    p.add_argument("--weights", type=Path, default=DEFAULT_WEIGHTS)
    p.add_argument("--card", type=Path, default=DEFAULT_CARD)
    p.add_argument("--data-root", type=Path, default=data.default_data_root())
    p.add_argument("--tolerance", type=float, default=1e-4)
    args = p.parse_args(argv)
    try:
        ok, report = check(args.weights, args.card, args.data_root, args.tolerance)
    except (WeightsError, data.DataError, OSError, KeyError, json.JSONDecodeError) as exc:
        print(f"cannot evaluate: {exc}", file=sys.stderr)
        return 2
    print(report)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
