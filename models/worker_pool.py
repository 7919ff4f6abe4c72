"""One small pool of worker processes for heavy work that must not run in a session's script thread.

Streamlit runs every session's script in threads of one process; a long computation there holds the GIL
against every other session. Work sent here runs in separate processes (spawned, so no thread state or
locks are inherited), a few at a time. `submit(fn, *args)` returns a concurrent.futures.Future; `fn` must
be a module-level function of a module that does not import streamlit, and its arguments and result are
pickled. A caller waits with `future.result(timeout=...)` and shows a message on TimeoutError; the task
itself must respect its own CPU budget (models.resource_policy.CpuBudget), since a started task cannot be
cancelled.

There is one pool per server process, `server_pool()`. With CONVLAB_PRELOAD=1 (classroom replicas) the
launcher starts its workers before the server answers (app/preload.py); otherwise the first page that
needs it does (the Transforms page's cache.worker_pool()).
"""

import multiprocessing
import os
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

DEFAULT_WORKERS = int(os.environ.get("CONVLAB_WORKERS", "2"))


def _start_worker() -> None:
    """Runs once in every worker: one torch thread (the machine's cores are shared), torch imported now."""
    import torch

    torch.set_num_threads(1)


def ready() -> bool:
    """A task that only checks a worker is up (used to start the workers before the first real task)."""
    return True


class WorkerPool:
    """A lazily started ProcessPoolExecutor (spawn) that restarts itself if a worker died."""

    def __init__(self, workers: int = DEFAULT_WORKERS):
        self.workers = max(1, workers)
        self._executor: ProcessPoolExecutor | None = None
        self._guard = threading.Lock()  # only around creating the executor, never around work

    def _pool(self, fresh: bool = False) -> ProcessPoolExecutor:
        with self._guard:
            if fresh and self._executor is not None:
                self._executor.shutdown(wait=False, cancel_futures=True)
                self._executor = None
            if self._executor is None:
                self._executor = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                                     initializer=_start_worker)
            return self._executor

    def submit(self, fn, *args) -> Future:
        try:
            return self._pool().submit(fn, *args)
        except (BrokenProcessPool, RuntimeError):  # a worker was killed (e.g. out of memory): start afresh
            return self._pool(fresh=True).submit(fn, *args)

    def warm(self) -> None:
        """Start the workers now (importing torch takes seconds) without waiting for them."""
        for _ in range(self.workers):
            self.submit(ready)

    def shutdown(self) -> None:
        with self._guard:
            if self._executor is not None:
                self._executor.shutdown(wait=False, cancel_futures=True)
                self._executor = None


_SERVER_POOL: WorkerPool | None = None
_SERVER_POOL_GUARD = threading.Lock()


def server_pool() -> WorkerPool:
    """This process's one pool (created on first use; its workers start on the first submit or warm())."""
    global _SERVER_POOL
    with _SERVER_POOL_GUARD:
        if _SERVER_POOL is None:
            _SERVER_POOL = WorkerPool()
        return _SERVER_POOL
