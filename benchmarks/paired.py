"""Paired A/B of one benchmark scenario: `python -m benchmarks.paired "<scenario>" N OLD_DIR NEW_DIR [--mode M]`.

Starts one server from each checkout (e.g. `git worktree add /tmp/old HEAD~1`), opens the scenario's page in
each with one chromium, and alternates the interactions (old, new, new, old, ...), so both see the same
machine load. Prints each side's median and p90 and the median of the per-pair ratios new/old. Two
back-to-back runs of the same code on this machine differ by up to 20 %; paired ratios are much steadier.
The scenario's code comes from this checkout, so it must work against both pages.
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.harness import MODES, SERVER_ENV, arm_input_clock, discover, in_mode, percentile
from deploy.classroom import free_port
from testkit.browser import goto
from testkit.server import launch_chromium, wait_healthy


def _server(checkout: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    cmd = [sys.executable, "-m", "app.serve", "app/main.py", "--server.headless", "true", "--server.address",
           "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false"]
    env = {**os.environ, **SERVER_ENV, "PYTHONPATH": str(checkout)}
    proc = subprocess.Popen(cmd, cwd=checkout, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    return proc, f"http://127.0.0.1:{port}"


def run(name: str, n: int, checkouts: list[Path], mode: str = "normal") -> list[list[float]]:
    """Milliseconds of n interactions on each checkout's server, interleaved."""
    from playwright.sync_api import sync_playwright

    sc = next((s for s in discover() if s.name == name), None)
    if sc is None:
        raise SystemExit(f"no scenario named {name!r} (python -m benchmarks --list)")
    servers = [_server(c) for c in checkouts]
    try:
        for _, url in servers:
            wait_healthy(url, timeout=60)
        with sync_playwright() as pw:
            browser = launch_chromium(pw)
            _, query, viewport = in_mode(sc, mode)
            pages = []
            for _, url in servers:
                page = browser.new_page(viewport=viewport)
                goto(page, url, sc.url_path, query)
                if sc.setup:
                    sc.setup(page)
                for i in range(3):  # warm up, as the harness does not time the first runs either
                    sc.interact(page, i)
                pages.append(page)
            times = [[], []]
            for i in range(n):
                for side in ((0, 1) if i % 2 == 0 else (1, 0)):
                    arm_input_clock(pages[side])
                    t0 = time.perf_counter()
                    value = sc.interact(pages[side], i + 3)
                    times[side].append(value if isinstance(value, int | float) else 1000 * (time.perf_counter() - t0))
            browser.close()
        return times
    finally:
        for proc, _ in servers:
            os.killpg(proc.pid, signal.SIGTERM)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name")
    parser.add_argument("n", type=int)
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--mode", choices=list(MODES), default="normal")
    args = parser.parse_args()
    old, new = run(args.name, args.n, [args.old.resolve(), args.new.resolve()], args.mode)
    for label, ms in (("old", old), ("new", new)):
        print(f"{label}: median {statistics.median(ms):.1f} ms, p90 {percentile(ms, 0.9):.1f} ms ({len(ms)} runs)")
    print(f"new/old, median of the paired ratios: {statistics.median(b / a for a, b in zip(old, new, strict=True)):.3f}")


if __name__ == "__main__":
    main()
