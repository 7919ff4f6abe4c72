"""`python -m benchmarks.model_speed`: CPU timings of the digit model's hot paths against their budgets.

- forward_with_activations on one (1,1,28,28) input: budget 5 ms median
- prepare_digit on a 280x280 RGBA canvas drawing: budget 5 ms median
- pen_up_models: what models/ does after a pen-up on the Digits page, for a real pen digit from the gallery
  drawn like the canvas (black on white RGBA): prepare_digit, the chosen model's forward_with_activations,
  the other shipped model's forward (the comparison) and confidence.judge for both: budget 30 ms median
  (the page's whole pen-up budget, maps included, is 150 ms)
- load_named per shipped model (cold load of a model switch): budget 200 ms median
Prints a table and writes JSON to benchmarks/results/model_speed-<time>.json.
"""

import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np
import torch
from PIL import Image, ImageDraw

RESULTS = Path(__file__).resolve().parent / "results"
BUDGETS_MS = {"forward_with_activations": 5.0, "prepare_digit_280_rgba": 5.0, "load_pretrained": 200.0,
              "pen_up_models": 30.0, "load_named_pen": 200.0, "load_named_mnist": 200.0}


def canvas_drawing() -> np.ndarray:
    """A '9' with a hooked tail drawn like the browser canvas: RGBA, transparent background."""
    img = Image.new("RGBA", (280, 280), (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    d.ellipse([80, 40, 190, 140], outline=(255, 255, 255, 255), width=20)
    d.line([(185, 90), (180, 220), (150, 250), (110, 240)], fill=(255, 255, 255, 255), width=20, joint="curve")
    return np.asarray(img)


def time_ms(fn, repeats: int, warmup: int = 5) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def pen_canvas() -> np.ndarray:
    """A real pen-written 9 from the shipped gallery as the canvas sends it: (280,280,4) uint8 black on white."""
    from models.unipen import gallery, render_strokes

    nine = next(g for g in gallery() if g["label"] == 9)
    grey = render_strokes(nine["strokes"], nine["width"])
    return np.dstack([grey, grey, grey, np.full_like(grey, 255)])


def pen_up(models_and_cards, canvas):
    """prepare_digit -> chosen model's activations -> other model's logits -> judge both."""
    from models.confidence import judge
    from models.preprocess import prepare_digit

    prepared = prepare_digit(canvas)
    (chosen, card), (other, other_card) = models_and_cards
    acts = chosen.forward_with_activations(prepared.tensor)
    with torch.no_grad():
        other_logits = other(prepared.tensor)[0].numpy()
    return judge(acts["logits"][0].numpy(), prepared, card), judge(other_logits, prepared, other_card)


def run(repeats: int = 200) -> dict:
    from models.mnist_cnn import MODEL_CHOICES, load_named, load_pretrained, model_card
    from models.preprocess import prepare_digit

    torch.set_num_threads(1)  # as the app does (models.torch_threads): a 2-thread pool stalls on a busy machine
    canvas = canvas_drawing()
    model = load_pretrained()
    x = prepare_digit(canvas).tensor
    timings = {
        "forward_with_activations": time_ms(lambda: model.forward_with_activations(x), repeats),
        "prepare_digit_280_rgba": time_ms(lambda: prepare_digit(canvas), repeats),
        "load_pretrained": time_ms(load_pretrained, max(5, repeats // 20), warmup=1),
    }
    pair = [(load_named(n), model_card(n)) for n in MODEL_CHOICES]
    pen = pen_canvas()
    timings["pen_up_models"] = time_ms(lambda: pen_up(pair, pen), repeats)
    for name in MODEL_CHOICES:
        timings[f"load_named_{name}"] = time_ms(lambda n=name: load_named(n), max(5, repeats // 20), warmup=1)
    results = {}
    for name, values in timings.items():
        values.sort()
        median = statistics.median(values)
        results[name] = {"median_ms": round(median, 3), "p90_ms": round(values[int(0.9 * (len(values) - 1))], 3),
                         "runs": len(values), "budget_ms": BUDGETS_MS[name], "ok": median <= BUDGETS_MS[name]}
    return {"when": time.strftime("%Y-%m-%dT%H:%M:%S"), "torch": torch.__version__,
            "threads": torch.get_num_threads(), "results": results}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.model_speed", description=__doc__.splitlines()[0])
    p.add_argument("--repeats", type=int, default=200)
    args = p.parse_args(argv)
    report = run(args.repeats)
    print(f"{'what':28} {'median ms':>10} {'p90 ms':>8} {'budget':>7}")
    for name, r in report["results"].items():
        print(f"{name:28} {r['median_ms']:10.3f} {r['p90_ms']:8.3f} {r['budget_ms']:7.1f}  {'ok' if r['ok'] else 'OVER'}")
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"model_speed-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {path}")
    return 0 if all(r["ok"] for r in report["results"].values()) else 1


if __name__ == "__main__":
    raise SystemExit(main())
