"""The layering rules of ARCHITECTURE.md, checked from the import graph of every Python file.

Every import counts, including those inside functions and relative ones (resolved against the file's package).
Each rule also has a test that feeds it a synthetic bad file, to show the rule can fail.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, root: Path = ROOT) -> set[str]:
    """Full dotted names of every module `path` imports (top level or inside functions).

    `from a.b import c` yields both "a.b" and "a.b.c" (c may be a module); relative imports are resolved.
    """
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module_name(path, root).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package[:len(package) - (node.level - 1)] if node.level > 1 else package
                base = ".".join([*anchor, base] if base else anchor)
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
    return {n for n in names if n}


def python_files(folder: str, root: Path = ROOT) -> list[Path]:
    return sorted(p for p in (root / folder).rglob("*.py") if ".venv" not in p.parts)


def _under(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def violations(root: Path = ROOT) -> dict[str, list[str]]:
    """{rule: ["file imports module", ...]} for every broken rule under `root`."""
    found: dict[str, list[str]] = {}

    def check(rule: str, folder: str, banned) -> None:
        for path in python_files(folder, root) if (root / folder).is_dir() else []:
            for name in sorted(imports_of(path, root)):
                if banned(path, name):
                    found.setdefault(rule, []).append(f"{path.relative_to(root)} imports {name}")

    check("models/ never imports streamlit, app or components", "models",
          lambda p, n: any(_under(n, pkg) for pkg in ("streamlit", "app", "components")))
    check("components/ never imports app", "components", lambda p, n: _under(n, "app"))

    def other_page(path: Path, name: str) -> bool:
        own = path.relative_to(root / "app" / "pages").parts[0]
        return _under(name, "app.pages") and len(name.split(".")) > 2 and name.split(".")[2] != own

    check("a page never imports another page", "app/pages", other_page)
    check("benchmarks/ never imports tests", "benchmarks", lambda p, n: _under(n, "tests"))
    check("tests/ never imports benchmarks", "tests", lambda p, n: _under(n, "benchmarks"))
    check("testkit/ never imports tests or benchmarks", "testkit",
          lambda p, n: _under(n, "tests") or _under(n, "benchmarks"))
    check("Home never imports torch, torchvision or models", "app/pages/home",
          lambda p, n: any(_under(n, pkg) for pkg in ("torch", "torchvision", "models")))
    return found


def test_the_repository_keeps_its_layers():
    found = violations()
    assert not found, "\n".join(f"{rule}:\n  " + "\n  ".join(items) for rule, items in found.items())


def test_every_layer_is_scanned():
    """The rules look at real files (a renamed folder must not silently make them vacuous)."""
    for folder in ("models", "components", "app/pages", "app/pages/home", "benchmarks", "tests", "testkit"):
        assert python_files(folder), folder


# --- each rule can fail: a synthetic repository with one bad file per rule ---

BAD_FILES = {
    "models/convolution.py": ("def f():\n    import streamlit as st\n", "models/ never imports"),
    "models/pool.py": ("from components.theme import DIVERGING\n", "models/ never imports"),
    "components/widget.py": ("def f():\n    from app.pages.kernels import state\n", "components/ never imports app"),
    "components/other.py": ("from app import session\n", "components/ never imports app"),
    "app/pages/kernels/page.py": ("from app.pages.pooling.state import POOL_SIZE\n", "a page never imports"),
    "app/pages/kernels/sections.py": ("from ...pages.digits import cache\n", "a page never imports"),
    "app/pages/pooling/page.py": ("import app.pages.kernels.page\n", "a page never imports"),
    "benchmarks/scenarios/x.py": ("from tests.conftest import app_at\n", "benchmarks/ never imports tests"),
    "tests/test_x.py": ("import benchmarks.harness\n", "tests/ never imports benchmarks"),
    "testkit/helper.py": ("from tests.conftest import app_at\n", "testkit/ never imports"),
    "app/pages/home/page.py": ("def f():\n    import torch\n", "Home never imports"),
}
GOOD_FILES = {
    "app/pages/kernels/state.py": "from app.pages.kernels import cache\nfrom . import url_state\n",
    "app/pages/pooling/state.py": "from app import session\nfrom components.theme import projector\n",
    "tests/test_y.py": "from testkit.browser import goto\n",
    "benchmarks/scenarios/y.py": "from testkit.browser import goto\n",
}


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.parents:
            if parent == root:
                break
            (parent / "__init__.py").touch()
        path.write_text(text)


def test_good_imports_pass(tmp_path):
    _write(tmp_path, GOOD_FILES)
    assert violations(tmp_path) == {}


@pytest.mark.parametrize("rel", list(BAD_FILES))
def test_each_rule_catches_a_bad_file(tmp_path, rel):
    text, rule_start = BAD_FILES[rel]
    _write(tmp_path, {**GOOD_FILES, rel: text})
    found = violations(tmp_path)
    assert [rule for rule in found if rule.startswith(rule_start)], found
    assert all(rel in item for items in found.values() for item in items), found


def test_relative_imports_are_resolved(tmp_path):
    _write(tmp_path, {"app/pages/kernels/sections.py": "from ..digits.state import X\nfrom . import cache\n"})
    names = imports_of(tmp_path / "app/pages/kernels/sections.py", tmp_path)
    assert {"app.pages.digits.state", "app.pages.digits.state.X", "app.pages.kernels.cache"} <= names


def test_home_does_not_import_torch():
    """Importing Home's modules (and the entry point's) must not pull in torch, torchvision or numpy."""
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "import importlib, pathlib, ast\n"
        "import app.session, app.registry, app.logging_setup, components.page_css\n"
        "tree = ast.parse(pathlib.Path('app/pages/home/page.py').read_text())\n"
        "for node in ast.walk(tree):\n"
        "    if isinstance(node, ast.ImportFrom) and node.module: importlib.import_module(node.module)\n"
        "    if isinstance(node, ast.Import): [importlib.import_module(a.name) for a in node.names]\n"
        "bad = [m for m in ('torch', 'torchvision', 'numpy') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "", f"Home imports {out.stdout.strip()}"
