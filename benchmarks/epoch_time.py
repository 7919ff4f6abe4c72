"""Non-browser benchmark: one live-training epoch as the Anatomy page runs it, and how long a run takes to start.

    python -m benchmarks.epoch_time [--repeats 2]

Seconds per epoch of models.training_job on the shipped 10k subset, batch size 64, SGD+momentum, in its own
spawned single-threaded process (held-out evaluation and kernel snapshots included), and the seconds from
start() until the first iteration (process start-up: spawn, torch import). Budget: <= 20 s per epoch on a
2-core machine. The 1-minute load average is printed next to each number, since the machine may be shared.
"""

import argparse
import json
import os
import statistics
import time

import torch

from models import data
from models import live_training as lt
from models import training_job as tj


def epoch_seconds(repeats: int) -> list[tuple[float, float]]:
    """[(seconds of the epoch, seconds from start() to the first iteration)] for `repeats` seeds."""
    train, heldout = data.load_npz(data.TRAIN_SUBSET), data.load_npz(data.TEST_SAMPLE)
    out = []
    for seed in range(repeats):
        t0 = time.perf_counter()
        job = tj.TrainingJob(lt.Recipe(), train, heldout, lt.TrainSettings(epochs=1, batch_size=64, seed=seed),
                             grace=3600).start()
        first = None
        while job.running:
            if first is None and job.progress().iteration > 0:
                first = time.perf_counter() - t0
            time.sleep(0.05)
        p = job.progress()
        assert p.status == "finished", p.message
        out.append((p.epoch_seconds[0], first or float("nan")))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    runs = epoch_seconds(args.repeats)
    epochs, starts = [r[0] for r in runs], [r[1] for r in runs]
    report = {"cpu_count": os.cpu_count(), "torch": torch.__version__, "epoch_seconds": epochs,
              "start_seconds": starts, "median": statistics.median(epochs), "load_1min_before": load}
    print(f"one epoch (10k digits, batch 64) median {statistics.median(epochs):.2f} s {[round(s, 2) for s in epochs]}"
          f", start-up to first iteration {[round(s, 2) for s in starts]} s (budget 20 s; load avg {load:.1f})")
    out = data.ROOT / "benchmarks" / "results" / f"epoch-time-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
