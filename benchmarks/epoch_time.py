"""Non-browser benchmark for issue 8: one live-training epoch, and what the per-thread torch cap does.

    python -m benchmarks.epoch_time [--threads 1 2] [--repeats 2]

1. Seconds per epoch of models.live_training on the shipped 10k subset, batch size 64, SGD+momentum,
   for each thread cap (the app uses 1), as the page runs it (held-out evaluation and kernel
   snapshots included). Budget: <= 20 s per epoch on a 2-core machine.
2. The thread-cap check: torch.get_num_threads() and a 1500x1500 matmul in the capped worker thread,
   in the main thread and in a fresh thread started afterwards (as Streamlit starts one per script
   run). The worker should report 1 and take about twice as long; the others keep the default.
The 1-minute load average is printed next to each number, since the machine may be shared.
"""

import argparse
import json
import os
import statistics
import threading
import time

import torch

from models import data
from models import live_training as lt
from models.mnist_cnn import MnistCNN


def epoch_seconds(threads: int, repeats: int) -> list[float]:
    train, heldout = data.load_npz(data.TRAIN_SUBSET), data.load_npz(data.TEST_SAMPLE)
    out = []
    for seed in range(repeats):
        trainer = lt.LiveTrainer(MnistCNN, train, heldout,
                                 lt.TrainSettings(epochs=1, batch_size=64, threads=threads, seed=seed)).start()
        trainer.join()
        p = trainer.progress()
        assert p.status == "finished", p.message
        out.append(p.epoch_seconds[0])
    return out


def _matmul_ms(n: int = 1500, reps: int = 4) -> float:
    a = torch.randn(n, n)
    a @ a
    t0 = time.perf_counter()
    for _ in range(reps):
        a @ a
    return (time.perf_counter() - t0) / reps * 1000


def thread_cap_check() -> dict:
    result = {}

    def worker():
        lt.limit_this_thread(1)
        result["worker"] = (torch.get_num_threads(), _matmul_ms())

    t = threading.Thread(target=worker)
    t.start()
    t.join()
    result["main"] = (torch.get_num_threads(), _matmul_ms())
    fresh = threading.Thread(target=lambda: result.__setitem__("fresh", (torch.get_num_threads(), _matmul_ms())))
    fresh.start()
    fresh.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    report = {"cpu_count": os.cpu_count(), "torch": torch.__version__, "epochs": {}}
    for threads in args.threads:
        load = os.getloadavg()[0]
        secs = epoch_seconds(threads, args.repeats)
        report["epochs"][threads] = {"seconds": secs, "median": statistics.median(secs), "load_1min_before": load}
        print(f"threads={threads}: one epoch (10k digits, batch 64) median {statistics.median(secs):.2f} s "
              f"{[round(s, 2) for s in secs]} (budget 20 s; load avg {load:.1f})")
    cap = thread_cap_check()
    report["thread_cap"] = cap
    for name, (n, ms) in cap.items():
        print(f"{name:>6} thread: torch.get_num_threads() = {n}, 1500x1500 matmul {ms:.0f} ms")
    out = data.ROOT / "benchmarks" / "results" / f"epoch-time-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=2))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
