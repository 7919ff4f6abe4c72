"""The launcher's preload imports the whole domain layer only when asked (Home keeps its quick cold start)."""

import subprocess
import sys

from app.preload import domain_modules
from testkit.server import ROOT

CHECK = ("import gc, sys\nfrom app.preload import preload, import_domain, domain_modules, freeze_imported\n{call}\n"
         "print(sum(m in sys.modules for m in domain_modules()), 'torchvision' in sys.modules, gc.get_freeze_count())")


def _run(call: str, env_value: str | None) -> list[str]:
    """What CHECK prints after `call` in a fresh interpreter: modules imported, torchvision loaded, frozen."""
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    if env_value is not None:
        env["CONVLAB_PRELOAD"] = env_value
    done = subprocess.run([sys.executable, "-c", CHECK.format(call=call)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120, check=True)
    return done.stdout.split()


def test_domain_modules_cover_the_models_package():
    names = domain_modules()
    assert {"models.mnist_cnn", "models.pipeline", "models.convolution", "models.pooling"} <= set(names)
    assert len(names) == len({p.stem for p in (ROOT / "models").glob("*.py") if not p.stem.startswith("_")})


def test_preload_does_nothing_unless_asked():
    assert _run("preload()", None) == ["0", "False", "0"]
    assert _run("preload()", "0") == ["0", "False", "0"]


def test_import_domain_imports_every_models_module_and_torchvision():
    assert _run("import_domain()", None) == [str(len(domain_modules())), "True", "0"]


def test_freeze_takes_the_imported_objects_out_of_full_collections():
    imported, torchvision, frozen = _run("import_domain(); freeze_imported()", None)
    assert imported == str(len(domain_modules())) and torchvision == "True"
    assert int(frozen) > 100_000  # torch, torchvision, numpy, PIL and models/ hold hundreds of thousands


def test_the_launcher_runs_the_event_loop_on_uvloop():
    """app.serve sets uvloop's policy before Streamlit starts its loop with asyncio.run."""
    code = ("import asyncio\nfrom app.serve import use_uvloop\nuse_uvloop()\n"
            "async def main():\n    return type(asyncio.get_running_loop()).__module__\nprint(asyncio.run(main()))")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
                          capture_output=True, text=True, timeout=120, check=True)
    assert done.stdout.strip().startswith("uvloop")
