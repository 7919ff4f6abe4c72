"""Architecture rules that keep ConvLab's layers apart."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_models_never_import_streamlit():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "models").rglob("*.py")
                 if "streamlit" in _imported_modules(p)]
    assert offenders == [], f"models/ must stay Streamlit-free: {offenders}"


def test_layering_check_detects_a_violation(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from streamlit import session_state\n")
    assert "streamlit" in _imported_modules(bad)


def test_home_does_not_import_torch():
    """Running Home's imports must not pull in torch or torchvision (first paint stays fast)."""
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "import app.state, app.registry, app.cache, components.theme, components.cards, components.layout\n"
        "bad = [m for m in ('torch', 'torchvision') if m in sys.modules]\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"Home imports {out.stdout.strip()}"
    home_imports = _imported_modules(ROOT / "app" / "views" / "home.py")
    assert not home_imports & {"torch", "torchvision", "models"}
