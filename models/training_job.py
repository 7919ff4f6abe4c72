"""One live-training run in its own process: slots, heartbeat, stop, and finding a run again after a reload.

A `TrainingJob` waits for one of the server's `TRAINING_SLOTS`, then spawns a process that runs
models.live_training.train_and_report and sends its reports over a queue; a supervisor thread in the
server applies them to the job's `Progress`. So the heavy work never runs in a session's thread, and the
process can always be ended: Stop asks the loop to finish between two batches (and terminates the process
if it has not within `STOP_WAIT_SECONDS`).

Orphans. The page calls `touch()` on every poll while the run is going. When no poll came for
`GRACE_SECONDS` (the tab was closed or reloaded, or the student left the page), the process is terminated
and the slot is free again. Each job has an unguessable id; the page keeps it in the URL, so a reloaded
tab can `find()` its job and adopt (or stop) it within the grace period.
"""

import contextlib
import logging
import math
import multiprocessing
import os
import queue
import re
import secrets
import sys
import threading
import time
import types
from dataclasses import replace

import numpy as np

from models.live_training import (
    DivergedError,
    Progress,
    Recipe,
    TrainSettings,
    finite_weights,
    train_and_report,
)

GRACE_SECONDS = float(os.environ.get("CONVLAB_TRAINING_GRACE_S", "45"))
STOP_WAIT_SECONDS = 5.0
TRAINING_NICENESS = 10  # added to the training process's nice value
KEEP_FINISHED_SECONDS = 15 * 60
TRAINING_SLOTS = max(1, (os.cpu_count() or 2) // 2)
_SLOTS = threading.BoundedSemaphore(TRAINING_SLOTS)
_JOBS: dict[str, "TrainingJob"] = {}
_JOBS_LOCK = threading.Lock()
JOB_ID = re.compile(r"[A-Za-z0-9_-]{20,40}")
log = logging.getLogger(__name__)


def _child(recipe: Recipe, train, heldout, settings: TrainSettings, reports, stop) -> None:
    """The training process: single-threaded torch at a lower CPU priority (interactive sessions go first),
    every report onto the queue."""
    from models.torch_threads import one_torch_thread

    one_torch_thread()
    with contextlib.suppress(OSError):
        os.nice(TRAINING_NICENESS)
    try:
        train_and_report(recipe, train, heldout, settings, reports.put, stop.is_set)
    except Exception as exc:  # noqa: BLE001 - reported on the page; the traceback goes to the server log
        logging.getLogger(__name__).exception("training process failed")
        reports.put(("set", {"status": "failed", "message": f"Training failed ({type(exc).__name__}). "
                                                            "The server log has the details."}))


class TrainingJob:
    """Train `recipe` on (images (N,28,28) uint8, labels (N,)) in a spawned process."""

    def __init__(self, recipe: Recipe, train: tuple[np.ndarray, np.ndarray], heldout: tuple[np.ndarray, np.ndarray],
                 settings: TrainSettings, grace: float = GRACE_SECONDS):
        self.recipe, self.settings, self.label, self.grace = recipe, settings, recipe.label, grace
        self.id = secrets.token_urlsafe(18)
        self._train, self._heldout = train, heldout
        self._lock, self._stop = threading.Lock(), threading.Event()
        self._seen = time.monotonic()
        self._ended_at: float | None = None
        self.weights: dict | None = None
        n = len(train[1])
        self._progress = Progress(epochs=settings.epochs, iterations_per_epoch=math.ceil(n / settings.batch_size),
                                  total_iterations=settings.iterations(n), n_train=n, batch_size=settings.batch_size)
        self._thread = threading.Thread(target=self._supervise, name=f"training-job-{self.id[:6]}", daemon=True)

    # --- the page's side ---
    def start(self) -> "TrainingJob":
        with _JOBS_LOCK:
            now = time.monotonic()
            for old in [j for j in _JOBS.values() if j._ended_at and now - j._ended_at > KEEP_FINISHED_SECONDS]:
                del _JOBS[old.id]
            _JOBS[self.id] = self
        self._thread.start()
        return self

    def touch(self) -> None:
        """The page that owns this run is still there (call on every poll)."""
        self._seen = time.monotonic()

    def stop(self) -> None:
        self._stop.set()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread.is_alive()

    def progress(self) -> Progress:
        """A consistent copy of the latest progress (lists copied; kernel arrays are never mutated)."""
        with self._lock:
            p = self._progress
            return replace(p, train_curve=list(p.train_curve), heldout_curve=list(p.heldout_curve),
                           kernels=list(p.kernels), epoch_marks=list(p.epoch_marks),
                           epoch_seconds=list(p.epoch_seconds))

    # --- the supervisor thread ---
    def _set(self, **changes) -> None:
        with self._lock:
            self._progress.apply(("set", changes))

    def _orphaned(self) -> bool:
        return time.monotonic() - self._seen > self.grace

    def _supervise(self) -> None:
        start = time.perf_counter()
        try:
            while not _SLOTS.acquire(timeout=0.2):
                self._set(message=f"Waiting for a free training slot ({TRAINING_SLOTS} at a time on this server).")
                if self._stop.is_set() or self._orphaned():
                    self._set(status="stopped", message="Stopped before it started.")
                    return
            try:
                self._set(message="Starting the training process…")
                self._run_process()
            finally:
                _SLOTS.release()
        except Exception:  # noqa: BLE001 - reported on the page instead of ending the thread silently
            log.exception("training job %s failed", self.id[:6])
            self._set(status="failed", message="Training failed. The server log has the details.")
        finally:
            if self._progress.status in ("waiting", "running"):
                self._set(status="failed", message="The training process ended without finishing.")
            self._set(elapsed=time.perf_counter() - start)
            self._train = self._heldout = None  # the digits are not needed any more; the weights stay
            self._ended_at = time.monotonic()

    def _run_process(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        reports, stop = ctx.Queue(), ctx.Event()
        proc = ctx.Process(target=_child, args=(self.recipe, self._train, self._heldout, self.settings, reports, stop),
                           name=f"convlab-training-{self.id[:6]}", daemon=True)
        _start_without_main(proc)
        asked_at = None
        try:
            while True:
                if self._drain(reports):
                    break
                if not proc.is_alive():
                    self._drain(reports)
                    break
                if self._orphaned():
                    log.info("training job %s orphaned: no poll for %.0f s", self.id[:6], time.monotonic() - self._seen)
                    self._set(status="stopped", message="Stopped: the page that started it was closed.")
                    break
                if self._stop.is_set():
                    if self._progress.status != "running":  # still starting up: nothing to keep
                        self._set(status="stopped", message="Stopped before it started.")
                        break
                    stop.set()  # the loop ends between two batches and reports its weights
                    asked_at = asked_at or time.monotonic()
                    if time.monotonic() - asked_at > STOP_WAIT_SECONDS:
                        self._set(status="stopped", message="Stopped (the training process did not answer).")
                        break
        finally:
            if proc.is_alive():
                proc.terminate()
            proc.join(5)
            if proc.is_alive():
                proc.kill()
                proc.join(5)
            reports.close()
            reports.cancel_join_thread()

    def _drain(self, reports) -> bool:
        """Apply every waiting report (wait up to 0.2 s for the first); True once the run has ended."""
        try:
            message = reports.get(timeout=0.2)
        except queue.Empty:
            return False
        while True:
            if message[0] == "weights":
                self.weights = message[1]
            else:
                with self._lock:
                    self._progress.apply(message)
            if self._progress.done:
                return True
            try:
                message = reports.get_nowait()
            except queue.Empty:
                return False

    # --- the result ---
    def trained_model(self):
        """A fresh eval-mode copy of the trained model, or DivergedError when its weights are not finite."""
        if self.weights is None:
            raise DivergedError("This run has no trained weights yet.")
        if not finite_weights(self.weights):
            raise DivergedError("The weights are not finite numbers: the loss blew up during training. "
                                "Try a smaller learning rate.")
        import torch

        model = self.recipe.build()
        model.load_state_dict({k: torch.from_numpy(v) for k, v in self.weights.items()})
        return model.eval()

    def summary(self) -> dict:
        """What the Draw-a-digit page shows about a model trained here."""
        p, s = self.progress(), self.settings
        from models.live_training import OPTIMIZERS

        return {"trained": f"{p.iteration} iterations ({p.iteration / max(p.iterations_per_epoch, 1):.1f} epochs)",
                "held-out accuracy": f"{(p.final_accuracy or 0):.1%}",
                "settings": f"{OPTIMIZERS[s.optimizer]}, lr {s.lr}, batch {s.batch_size}, seed {s.seed}"}


_START_LOCK = threading.Lock()


def _start_without_main(proc) -> None:
    """Start a spawn process without it re-running this process's main script first.

    Spawn runs the parent's `__main__` file in the child before the target; under `streamlit run` that is
    the app's entry script (Streamlit installs each script run as `__main__`), which would run the whole app
    in the child. An empty `__main__` for the moment of start() makes the child import only the target."""
    with _START_LOCK:
        main = sys.modules.get("__main__")
        if main is not None and getattr(main, "__spec__", None) is None and getattr(main, "__file__", None):
            sys.modules["__main__"] = types.ModuleType("__main__")
            try:
                proc.start()
            finally:
                sys.modules["__main__"] = main
        else:
            proc.start()


def find(job_id: object) -> TrainingJob | None:
    """The job with this id (as kept in a page's URL), or None for anything else."""
    if not isinstance(job_id, str) or not JOB_ID.fullmatch(job_id):
        return None
    with _JOBS_LOCK:
        return _JOBS.get(job_id)


def free_slots() -> int:
    """How many training slots are free right now (for tests and the page's status line)."""
    return _SLOTS._value  # noqa: SLF001 - BoundedSemaphore has no public counter
