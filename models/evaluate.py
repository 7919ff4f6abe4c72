"""Measure the shipped digit models and write the results into their model cards.

    python -m models.evaluate [--data-root P] [--model pen|mnist|all] [--check]

For each model: MNIST test accuracy; UNIPEN validation-writer accuracy (writer-disjoint, never trained on)
drawn two ways (centred at the page's default pen, and placed/sized/pen-width at random like people draw);
per-class accuracy and top confusions for each; calibration (temperature fitted on the held-out TRAIN
writers, ECE before/after); the confidence settings (thresholds chosen on the held-out train writers) and
how they do on real digits and on seeded non-digit drawings (models.non_digits).
--check only recomputes the MNIST test accuracy and compares it with the card (exit 1 on a mismatch).
Exit 2 when weights, card or data cannot be read. The data root is --data-root, else $CONVLAB_DATA,
else ../shared/data; the card names data files relative to it.
"""

import argparse
import json
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np
import torch

from models import calibration, confidence, data, non_digits, unipen
from models.mnist_cnn import MODEL_CHOICES, MODEL_FILES, MODELS_DIR, WeightsError, load_pretrained
from models.preprocess import prepare_digit
from models.train import confusion_stats, normalise, to_input

VARIED_SEED = 4242  # placement of the validation/held-out digits in the "varied" rendering
NON_DIGIT_SEED = 777
NON_DIGITS_PER_KIND = 100
UNSURE_BELOW = 0.75  # calibrated: an answer below this is wrong about one time in four or more
FALSE_FLAG_QUANTILE = 0.998  # ink-shape thresholds pass this share of held-out real digits


@torch.no_grad()
def logits_of(model, images: np.ndarray, batch: int = 2000) -> np.ndarray:
    """images (N,28,28) uint8 MNIST-style -> logits (N,10) float64."""
    model.eval()
    x = normalise(to_input(images))
    return torch.cat([model(x[i:i + batch]) for i in range(0, len(x), batch)]).double().numpy()


def summary(logits: np.ndarray, labels: np.ndarray, top: int = 5) -> dict:
    """Accuracy, per-class accuracy, confusion matrix and the `top` most frequent confusions."""
    acc, per_class, confusion = confusion_stats(logits.argmax(1), np.asarray(labels))
    off = [(int(confusion[t, p]), t, p) for t in range(10) for p in range(10) if t != p and confusion[t, p]]
    worst = sorted(off, key=lambda c: (-c[0], c[1], c[2]))[:top]
    return {"n": int(len(labels)), "accuracy": round(acc, 5), "per_class": [round(float(v), 4) for v in per_class],
            "worst_class": int(np.argmin(np.where(confusion.sum(1) > 0, per_class, np.inf))),
            "top_confusions": [{"true": t, "predicted": p, "count": n} for n, t, p in worst],
            "confusion": confusion.tolist()}


def _prepare_chunk(drawings) -> tuple[list[np.ndarray], list[dict]]:
    images, feats = [], []
    for strokes, width, seed in drawings:
        if seed is not None:  # placed at random like a person draws, from its own seed
            strokes, width = unipen.place(strokes, np.random.default_rng(seed))
        p = prepare_digit(unipen.render_strokes(strokes, width))
        images.append(p.stages["centred"])
        feats.append({**confidence.ink_features(p), "empty": bool(p.empty)})
    return images, feats


def _prepared(drawings, workers: int = 1) -> tuple[np.ndarray, list[dict]]:
    """[(strokes, pen width)] or [(strokes, None, rng seed)] -> (28x28 inputs (N,28,28) uint8, ink features);
    `workers` processes draw in parallel (same result for any number)."""
    items = [d if len(d) == 3 else (d[0], d[1], None) for d in drawings]
    chunks = [items[i:i + 400] for i in range(0, len(items), 400)]
    if workers > 1 and len(chunks) > 1:
        import multiprocessing

        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_prepare_chunk, chunks)
    else:
        parts = [_prepare_chunk(c) for c in chunks]
    images = [im for part in parts for im in part[0]]
    return np.stack(images), [f for part in parts for f in part[1]]


@lru_cache(maxsize=2)
def pen_sets(root: str | None, workers: int = 2) -> dict:
    """The pen digits drawn for evaluation: {name: (images, labels, features)} for
    validation_default / validation_varied (reported) and held_out_default / held_out_varied
    (train writers never trained on, for calibration and thresholds)."""
    train, val = unipen.split(unipen.load(root))
    _, held = unipen.holdout_split(train)
    out = {}
    for name, digits in (("validation", val), ("held_out", held)):
        labels = np.array([d.label for d in digits], np.int64)
        default = [(unipen.centred(d.strokes), unipen.DEFAULT_PEN) for d in digits]
        varied = [(d.strokes, None, [VARIED_SEED, name == "held_out", i]) for i, d in enumerate(digits)]
        for kind, drawings in (("default", default), ("varied", varied)):
            images, feats = _prepared(drawings, workers)
            out[f"{name}_{kind}"] = (images, labels, feats)
    return out


@lru_cache(maxsize=1)
def non_digit_set() -> tuple[np.ndarray, list[dict], list[str]]:
    """models.non_digits drawings (NON_DIGITS_PER_KIND of each kind, seed NON_DIGIT_SEED), drawn like the canvas."""
    drawings = non_digits.drawings(NON_DIGITS_PER_KIND, NON_DIGIT_SEED)
    images, feats = _prepared([(s, w) for _, s, w in drawings])
    return images, feats, [k for k, _, _ in drawings]


def choose_settings(temperature: float, held_logits: np.ndarray, held_feats: list[dict]) -> dict:
    """Confidence thresholds from the held-out train writers only (the reported validation writers
    never choose anything)."""
    def q(key):
        return float(np.quantile([f[key] for f in held_feats], FALSE_FLAG_QUANTILE))

    probs = calibration.softmax(held_logits, temperature).max(1)
    return {"temperature": round(temperature, 4), "unsure_below": UNSURE_BELOW,
            "reject_below": round(float(min(np.quantile(probs, 0.005), 0.4)), 4),
            "max_canvas_ink": max(confidence.DEFAULTS["max_canvas_ink"], round(q("canvas_ink") + 0.02, 3)),
            "max_border_ink": max(confidence.DEFAULTS["max_border_ink"], round(q("border_ink") + 0.02, 3)),
            "max_box_ink": round(max(q("box_ink") + 0.02, 0.5), 3),
            "max_thickness": round(max(q("thickness") + 0.02, 0.5), 3),
            "chosen_on": "held-out train writers (UNIPEN), both renderings; validation writers not used"}


def kinds(logits: np.ndarray, feats: list[dict], settings: dict) -> list[str]:
    """The verdict kind judge() gives each drawing (same rule, batched)."""
    probs = calibration.softmax(logits, settings["temperature"]).max(1)
    out = []
    for p, f in zip(probs, feats, strict=True):
        if f["empty"] or confidence.reason_not_digit(f, float(p), settings) is not None:
            out.append("not_a_digit")
        else:
            out.append("unsure" if p < settings["unsure_below"] else "confident")
    return out


def _rates(found: list[str]) -> dict:
    n = max(len(found), 1)
    return {k: round(found.count(k) / n, 4) for k in ("confident", "unsure", "not_a_digit")}


def measure(model, root: str | None) -> dict:
    """Every number of the card's evaluation for one model."""
    sets = pen_sets(root)
    out: dict = {}
    mnist_dir = unipen.data_root(root)
    if data.has_full_mnist(mnist_dir):
        images, labels = data.load_mnist(mnist_dir, train=False)
        mnist_logits = logits_of(model, images)
        out["mnist_test"] = summary(mnist_logits, labels)
    else:
        mnist_logits, labels = None, None
    sample_x, sample_y = data.load_npz(data.TEST_SAMPLE)
    out["sample"] = {"file": f"assets/digits/{data.TEST_SAMPLE.name}",
                     "accuracy": summary(logits_of(model, sample_x), sample_y)["accuracy"]}
    logits = {k: logits_of(model, v[0]) for k, v in sets.items()}
    for k in ("validation_default", "validation_varied"):
        out[f"unipen_{k}"] = summary(logits[k], sets[k][1])
    out["unipen_validation_default"]["how"] = ("UNIPEN validation writers (README list, never trained on), each digit "
                                               "centred at 200 px on the 280 px canvas, pen 20 px (page default)")
    out["unipen_validation_varied"]["how"] = (f"same digits placed like people draw (size 100-250 px, pen 6-40 px, "
                                              f"small tilt/shear), seed {VARIED_SEED}")
    held_logits = np.concatenate([logits["held_out_default"], logits["held_out_varied"]])
    held_labels = np.concatenate([sets["held_out_default"][1], sets["held_out_varied"][1]])
    held_feats = sets["held_out_default"][2] + sets["held_out_varied"][2]
    temperature = calibration.fit_temperature(held_logits, held_labels)
    val_logits = np.concatenate([logits["validation_default"], logits["validation_varied"]])
    val_labels = np.concatenate([sets["validation_default"][1], sets["validation_varied"][1]])
    cal = {"temperature": round(temperature, 4), "bins": calibration.BINS,
           "fitted_on": f"held-out train writers ({len(held_labels)} drawings, both renderings)"}
    for name, lg, lb in (("held_out", held_logits, held_labels), ("unipen_validation", val_logits, val_labels),
                         ("mnist_test", mnist_logits, labels)):
        if lg is not None:
            cal[f"ece_{name}_before"] = round(calibration.ece(calibration.softmax(lg), lb), 5)
            cal[f"ece_{name}_after"] = round(calibration.ece(calibration.softmax(lg, temperature), lb), 5)
    cal["reliability_unipen_validation_after"] = calibration.reliability(calibration.softmax(val_logits, temperature),
                                                                          val_labels)
    out["calibration"] = cal
    settings = choose_settings(temperature, held_logits, held_feats)
    out["confidence"] = settings
    nd_images, nd_feats, nd_kinds = non_digit_set()
    nd_found = kinds(logits_of(model, nd_images), nd_feats, settings)
    val_found = kinds(val_logits, sets["validation_default"][2] + sets["validation_varied"][2], settings)
    correct = val_logits.argmax(1) == val_labels
    out["non_digit"] = {
        "set": f"models.non_digits.drawings({NON_DIGITS_PER_KIND}, seed={NON_DIGIT_SEED}): "
               + ", ".join(non_digits.KINDS),
        "flagged": round(nd_found.count("not_a_digit") / len(nd_found), 4),
        "flagged_or_unsure": round(1 - nd_found.count("confident") / len(nd_found), 4),
        "per_kind": {k: _rates([f for f, kk in zip(nd_found, nd_kinds, strict=True) if kk == k])
                     for k in non_digits.KINDS},
        "real_digits": {**_rates(val_found), "n": len(val_found),
                        "what": "UNIPEN validation writers, both renderings"},
        "real_digits_wrong_answers": _rates([f for f, c in zip(val_found, correct, strict=True) if not c]),
        "real_digits_right_answers": _rates([f for f, c in zip(val_found, correct, strict=True) if c]),
    }
    return out


def update_card(weights: Path, card_path: Path, root=None, name: str | None = None) -> dict:
    """Measure the model in `weights` and write the results into its card (other keys kept)."""
    card_path = Path(card_path)
    card = json.loads(card_path.read_text()) if card_path.is_file() else {}
    model = load_pretrained(weights)
    root = None if root is None else str(root)
    card.update(measure(model, root))
    if name is not None:
        card.setdefault("name", name)
        card.setdefault("label", MODEL_CHOICES[name])
    card_path.write_text(json.dumps(card, indent=2) + "\n")
    return card


def check(weights: Path, card_path: Path, root=None, tolerance: float = 1e-4) -> tuple[bool, str]:
    """Recompute MNIST test accuracy (the shipped sample when full MNIST is absent) -> (matches card, report)."""
    card = json.loads(Path(card_path).read_text())
    model = load_pretrained(weights)
    mnist_dir = unipen.data_root(root)
    if data.has_full_mnist(mnist_dir):
        images, labels = data.load_mnist(mnist_dir, train=False)
        claimed, what = card["mnist_test"]["accuracy"], f"MNIST test ({len(labels)} digits)"
    else:
        images, labels = data.load_npz(data.TEST_SAMPLE)
        claimed, what = card["sample"]["accuracy"], f"shipped sample {data.TEST_SAMPLE.name} ({len(labels)} digits)"
    found = summary(logits_of(model, images), labels)
    ok = abs(found["accuracy"] - claimed) <= tolerance
    return ok, f"{what}: recomputed {found['accuracy']:.4f}, card says {claimed:.4f} -> {'OK' if ok else 'MISMATCH'}"


def report(name: str, card: dict) -> str:
    lines = [f"== {name}: {card.get('label', '')}"]
    for key in ("mnist_test", "unipen_validation_default", "unipen_validation_varied"):
        if key in card:
            s = card[key]
            conf = ", ".join(f"{c['true']}->{c['predicted']} x{c['count']}" for c in s["top_confusions"][:3])
            lines.append(f"{key}: {100 * s['accuracy']:.2f}% (n={s['n']}); worst class {s['worst_class']} "
                         f"{100 * min(s['per_class']):.1f}%; per class "
                         + " ".join(f"{100 * v:.1f}" for v in s["per_class"]) + f"; top confusions {conf}")
    c, nd = card["calibration"], card["non_digit"]
    lines.append(f"temperature {c['temperature']:.3f}; ECE validation {c['ece_unipen_validation_before']:.4f} -> "
                 f"{c['ece_unipen_validation_after']:.4f}; held-out {c['ece_held_out_before']:.4f} -> "
                 f"{c['ece_held_out_after']:.4f}")
    lines.append(f"non-digits flagged {100 * nd['flagged']:.1f}% (flagged or unsure {100 * nd['flagged_or_unsure']:.1f}%): "
                 + ", ".join(f"{k} {100 * v['not_a_digit']:.0f}%" for k, v in nd["per_kind"].items())
                 + f"; real digits flagged {100 * nd['real_digits']['not_a_digit']:.2f}%, unsure "
                 f"{100 * nd['real_digits']['unsure']:.2f}%")
    return "\n".join(lines)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m models.evaluate", description=__doc__.splitlines()[0])
    p.add_argument("--data-root", type=Path, default=None)
    p.add_argument("--model", choices=[*MODEL_CHOICES, "all"], default="all")
    p.add_argument("--models-dir", type=Path, default=MODELS_DIR)
    p.add_argument("--check", action="store_true", help="only compare MNIST test accuracy with the card")
    p.add_argument("--tolerance", type=float, default=1e-4)
    args = p.parse_args(argv)
    names = list(MODEL_CHOICES) if args.model == "all" else [args.model]
    torch.set_num_threads(2)
    status = 0
    for name in names:
        weights = args.models_dir / f"{MODEL_FILES[name]}.pt"
        card_path = args.models_dir / f"{MODEL_FILES[name]}.json"
        try:
            if args.check:
                ok, text = check(weights, card_path, args.data_root, args.tolerance)
                status = status or (0 if ok else 1)
            else:
                text = report(name, update_card(weights, card_path, args.data_root, name))
        except (WeightsError, data.DataError, unipen.UnipenError, OSError, KeyError, json.JSONDecodeError) as exc:
            print(f"cannot evaluate {name}: {exc}", file=sys.stderr)
            return 2
        print(text, flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
