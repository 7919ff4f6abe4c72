"""Do the server's slow one-off work before it answers its first request, not in the middle of a class.

Importing torch and torchvision takes ~6 s of CPU on a slow 2-core machine, mostly holding the GIL; done on
the first student's visit to Digits or Transforms, it froze every other session in that process for as
long. The worker processes (models.worker_pool) import torch too, so they are started now as well.

On with CONVLAB_PRELOAD=1, which `make classroom` sets for its replicas (the teacher starts the server before
the class). Off by default: `make run` keeps its quick cold start (Home in under 2.5 s; no torch on Home).
"""

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


def preload() -> None:
    """Start the worker processes and import the domain layer, when PRELOAD_ENV is "1"."""
    if os.environ.get(PRELOAD_ENV) != "1":
        return
    from models.worker_pool import server_pool

    server_pool().warm()  # the workers import torch in their own processes meanwhile
    import_domain()
