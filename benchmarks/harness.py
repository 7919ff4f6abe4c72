"""Benchmark harness: cold start, per-scenario browser round trips, and server RSS.

A Scenario names a page, a one-off `setup(page)` (after the page has loaded) and an
`interact(page, i)` that performs interaction number i and returns only once its result is
visible in the DOM. The harness times `interact` over `repeats` runs and reports the median
and p90 in milliseconds, against the scenario's budget. An `interact` that returns a number
reports that number instead: most return `since_input(page, t0)`, the time from the input that
commits the change (a click, key press or pen-up, stamped by the page) until the result was seen.
The whole interaction's wall time (typing, Playwright's waits) is kept as interact_wall_median.

Every scenario runs in each of its `modes`: "normal" (1440x1000) and "projector" (?projector=1 at
1024x768, reported as "<name> [projector]"), against the same budget. The server runs with
CONVLAB_TIMING=1, so pages show the timing lines some scenarios read (hidden from students otherwise).
"""

import importlib
import json
import pkgutil
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from testkit.browser import goto
from testkit.server import ROOT, launch_chromium, streamlit_server


@dataclass
class Scenario:
    name: str
    url_path: str  # e.g. "kernels"
    interact: Callable  # (page, i) -> None; returns when the result is visible
    budget_ms: float
    setup: Callable | None = None  # (page) -> None
    repeats: int = 15
    query: str = ""
    issue: int = 0
    notes: str = ""
    metric: str = "latency"  # or "rate" (higher is better, e.g. updates per second)
    extra: dict = field(default_factory=dict)
    modes: tuple[str, ...] = ("normal", "projector")  # ("normal",) where the mode cannot matter


MODES = {"normal": ({"width": 1440, "height": 1000}, ""), "projector": ({"width": 1024, "height": 768}, "projector=1")}
SERVER_ENV = {"CONVLAB_TIMING": "1"}


def in_mode(sc: Scenario, mode: str) -> tuple[str, str, dict]:
    """(reported name, query, viewport) of `sc` run in `mode`."""
    viewport, extra_query = MODES[mode]
    if mode == "normal" or "projector=1" in sc.query:
        return sc.name, sc.query, viewport
    return f"{sc.name} [{mode}]", "&".join(q for q in (sc.query, extra_query) if q), viewport


def discover() -> list[Scenario]:
    import benchmarks.scenarios as pkg

    found = []
    for info in pkgutil.iter_modules(pkg.__path__):
        module = importlib.import_module(f"benchmarks.scenarios.{info.name}")
        found.extend(getattr(module, "SCENARIOS", []))
    return found


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[k]


def rss_mb(proc) -> float:
    try:
        p = psutil.Process(proc.pid)
        return sum(c.memory_info().rss for c in [p, *p.children(recursive=True)]) / 2**20
    except psutil.Error:
        return float("nan")


def cold_start(pw, runs: int = 3) -> list[float]:
    """Seconds from `streamlit run` process start until Home's cards are rendered in chromium.

    The browser is already open (as a student's would be); the clock starts with the server process.
    """
    from testkit.server import wait_healthy

    times = []
    browser = launch_chromium(pw)
    for _ in range(runs):
        page = browser.new_page()
        t0 = time.perf_counter()
        with streamlit_server(wait=False, extra_env=SERVER_ENV) as (url, _proc):
            wait_healthy(url, timeout=60)
            page.goto(url)
            page.wait_for_selector('[data-testid="stPageLink"]', timeout=60_000)
            times.append(time.perf_counter() - t0)
        page.close()
    browser.close()
    return times


def run(selected: list[str] | None = None, cold_runs: int = 3, modes: tuple[str, ...] = tuple(MODES)) -> dict:
    """Run the scenarios whose name is in `selected` (all when None) in each of `modes`."""
    from playwright.sync_api import sync_playwright

    (ROOT / "artifacts").mkdir(exist_ok=True)
    from benchmarks.machine import speed

    results = {"machine_speed": speed(), "scenarios": {}}
    with sync_playwright() as pw:
        if not selected or "cold_start" in selected:
            cold = cold_start(pw, cold_runs)
            results["cold_start_s"] = {"median": statistics.median(cold), "runs": cold, "budget": 2.5}
        with streamlit_server(extra_env=SERVER_ENV) as (url, proc):
            browser = launch_chromium(pw)
            for sc in discover():
                if selected and sc.name not in selected:
                    continue
                for mode in (m for m in sc.modes if m in modes):
                    name, query, viewport = in_mode(sc, mode)
                    page = browser.new_page(viewport=viewport)
                    try:
                        results["scenarios"][name] = {"mode": mode, **_measure(page, url, sc, query)}
                    except Exception as exc:  # noqa: BLE001 - one broken scenario must not lose the others
                        results["scenarios"][name] = {"issue": sc.issue, "mode": mode,
                                                      "error": f"{type(exc).__name__}: {exc}"[:300]}
                    print(f"  {name}: {results['scenarios'][name]}", flush=True)
                    page.close()
            results["server_rss_mb"] = rss_mb(proc)
            browser.close()
    return results


# The page's own clock: the time stamp of the last trusted click, key press or pen-up, i.e. the input that
# commits the change (a scenario's earlier clicks and typing come before it). Playwright's own work before
# it (finding the element by role, waiting until it is stable, the CDP round trip) is no part of what a
# student waits for; the harness arms the clock before every interaction.
_INPUT_CLOCK = """() => { window.__lastInput = undefined; if (window.__inputClock) return; window.__inputClock = true;
    for (const type of ['click', 'keydown', 'pointerup']) document.addEventListener(type, (e) => {
        if (e.isTrusted) window.__lastInput = e.timeStamp; }, true); }"""
_SINCE_INPUT = "() => window.__lastInput === undefined ? null : performance.now() - window.__lastInput"


def arm_input_clock(page) -> None:
    """Start (or restart) the page's input clock; needed again after a navigation to a new document."""
    page.evaluate(_INPUT_CLOCK)


def since_input(page, t0: float) -> float:
    """Milliseconds from the committing input to now, in the page's clock, for an interact() to return right
    after its result was seen (so it ends a CDP round trip late, never early). Falls back to the wall time
    since perf_counter() `t0` when the page saw no input (e.g. it navigated away from the armed page)."""
    wall = (time.perf_counter() - t0) * 1000
    in_page = page.evaluate(_SINCE_INPUT)
    return wall if in_page is None else min(wall, float(in_page))


def _measure(page, url: str, sc: Scenario, query: str) -> dict:
    goto(page, url, sc.url_path, query)
    if sc.setup:
        sc.setup(page)
    samples, walls = [], []
    for i in range(sc.repeats):
        arm_input_clock(page)
        t0 = time.perf_counter()
        value = sc.interact(page, i)
        walls.append((time.perf_counter() - t0) * 1000)
        samples.append(float(value) if isinstance(value, int | float) else walls[-1])
    return {
        "issue": sc.issue, "metric": sc.metric, "budget": sc.budget_ms,
        "median": statistics.median(samples), "p90": percentile(samples, 0.9),
        "interact_wall_median": statistics.median(walls), "n": len(samples), "notes": sc.notes,
    }


def print_table(results: dict) -> None:
    if "machine_speed" in results:
        print(f"machine speed (ms, lower is faster): {results['machine_speed']}")
    if "cold_start_s" in results:
        c = results["cold_start_s"]
        print(f"cold start to Home: median {c['median']:.2f} s (budget {c['budget']} s) runs={c['runs']}")
    print(f"{'scenario':56} {'issue':>5} {'median':>9} {'p90':>9} {'budget':>8}  ok")
    for name, r in results["scenarios"].items():
        if "error" in r:
            print(f"{name:56} {r['issue']:>5}  FAILED: {r['error'][:80]}")
            continue
        unit = "" if r["metric"] == "rate" else " ms"
        ok = r["median"] >= r["budget"] if r["metric"] == "rate" else r["median"] <= r["budget"]
        print(f"{name:56} {r['issue']:>5} {r['median']:>7.1f}{unit} {r['p90']:>7.1f}{unit} {r['budget']:>8}  "
              f"{'yes' if ok else 'NO'}")
    if "server_rss_mb" in results:
        print(f"server RSS after all scenarios: {results['server_rss_mb']:.0f} MB")


def save(results: dict, path: Path | None = None) -> Path:
    out_dir = ROOT / "benchmarks" / "results"
    out_dir.mkdir(parents=True, exist_ok=True)
    path = path or out_dir / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(results, indent=2))
    return path
