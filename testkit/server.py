"""Start and stop a real `streamlit run app/main.py` and a headless Debian chromium.

Shared by the Playwright tests (tests/conftest.py) and the benchmarks (benchmarks/harness.py).
"""

import os
import signal
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

from deploy.classroom import free_port, wait_healthy  # noqa: F401 - one copy, re-exported for tests

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


@contextmanager
def streamlit_server(port: int | None = None, wait: bool = True, extra_env: dict | None = None,
                     script: str = "app/main.py"):
    """Yield (base_url, Popen) for a running app (`script`, relative to the repository, run from there with
    its .streamlit/config.toml); stop it afterwards whatever happened. Its output goes to
    artifacts/streamlit-<port>.log when artifacts/ exists."""
    port = port or free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **(extra_env or {})}
    cmd = [sys.executable, "-m", "app.serve", script,
           "--server.headless", "true", "--server.address", "127.0.0.1",
           "--server.port", str(port), "--browser.gatherUsageStats", "false"]
    log = open(ROOT / "artifacts" / f"streamlit-{port}.log", "w") if (ROOT / "artifacts").is_dir() else subprocess.DEVNULL
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        if wait:
            wait_healthy(url)
        yield url, proc
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if log is not subprocess.DEVNULL:
            log.close()


def launch_chromium(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def is_local(url: str) -> bool:
    from urllib.parse import urlparse

    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about", "chrome-error"):
        return True
    return parsed.hostname in ("127.0.0.1", "localhost", "::1")
