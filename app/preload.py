"""Do the server's slow one-off work before it answers its first request, not in the middle of a class.

Importing torch and torchvision takes ~6 s of CPU on a slow 2-core machine, mostly holding the GIL; done on
the first student's visit to Digits or Transforms, it froze every other session in that process for as
long. The worker processes (models.worker_pool) import torch too, so they are started now as well. What was
imported is then frozen out of the garbage collector's full passes (freeze_imported).

On with CONVLAB_PRELOAD=1, which `make classroom` sets for its replicas (the teacher starts the server before
the class). Off by default: `make run` keeps its quick cold start (Home in under 2.5 s; no torch on Home).
"""

import gc
import importlib
import os
import pkgutil

PRELOAD_ENV = "CONVLAB_PRELOAD"


def domain_modules() -> list[str]:
    """Every module of the models package (the pages import them lazily or at page level)."""
    import models

    return [f"models.{m.name}" for m in pkgutil.iter_modules(models.__path__) if not m.name.startswith("_")]


def import_domain() -> None:
    for name in domain_modules():
        importlib.import_module(name)


def freeze_imported() -> None:
    """Leave everything imported so far out of the garbage collector's full passes.

    With torch, torchvision and plotly loaded, a full (generation 2) collection walked ~400k objects: 210-350 ms
    with the GIL held, 5-8 times in a classroom load test. Frozen, those pauses were 40-180 ms."""
    gc.collect()
    gc.freeze()


def preload() -> None:
    """Start the worker processes, import the domain layer and freeze it, when PRELOAD_ENV is "1"."""
    if os.environ.get(PRELOAD_ENV) != "1":
        return
    from models.worker_pool import server_pool

    server_pool().warm()  # the workers import torch in their own processes meanwhile
    import_domain()
    freeze_imported()
