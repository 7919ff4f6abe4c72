"""The classroom load test: the same 30 students against 1 Streamlit process and against N behind nginx."""

import asyncio
import os
import random
import statistics
import threading
import time
from contextlib import contextmanager

import psutil

from app.preload import PRELOAD_ENV
from benchmarks.classroom.priority import BrowsersNiced, StudentsCpu, lower_priority
from benchmarks.classroom.protocol import Result, Sample, lesson
from benchmarks.harness import percentile
from testkit.server import ROOT, launch_chromium, streamlit_server

LOAD_BUDGET_MS = 5000.0
INTERACTION_BUDGET_MS = 1000.0
SPEEDUP_BUDGET = 1.5


class Sampler:
    """Peak RSS of the server processes and the machine's CPU use, sampled every half second."""

    def __init__(self, pids: list[int]):
        self.procs = [psutil.Process(p) for p in pids]
        self.peak_mb, self.cpu, self._stop = 0.0, [], threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self):
        psutil.cpu_percent()
        while not self._stop.wait(0.5):
            self.cpu.append(psutil.cpu_percent())
            self.peak_mb = max(self.peak_mb, sum(_rss(p) for p in self.procs) / 2**20)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def _rss(proc) -> int:
    try:
        return sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)])
    except psutil.Error:
        return 0


def _uss_mb(pid: int) -> dict:
    """Unique memory (MB) of a replica's own process and of its children (the worker pool), summed."""
    try:
        proc = psutil.Process(pid)
        kids = proc.children(recursive=True)
        own = proc.memory_full_info().uss / 2**20
        children = sum(k.memory_full_info().uss for k in kids) / 2**20
        return {"process": round(own), "children": round(children), "n_children": len(kids)}
    except psutil.Error:
        return {}


@contextmanager
def topology(replicas: int, extra_env: dict):
    """Yield (url, replica_urls, replica_pids, all_pids): one bare process, or `replicas` behind nginx."""
    if replicas == 1:
        with streamlit_server(extra_env={PRELOAD_ENV: "1", **extra_env}) as (url, proc):  # as make classroom does
            yield url, [url], [proc.pid], [proc.pid]
    else:
        from deploy.classroom import cluster

        with cluster(replicas=replicas, bind="127.0.0.1", extra_env=extra_env,
                     run_dir=ROOT / "artifacts" / "classroom-bench") as c:
            pids = [p.pid for p in c.procs]
            yield c.url, c.replica_urls, pids[:-1], pids


def browser_student(url: str, name: str, delay: float, samples: list, think: float) -> None:
    from playwright.sync_api import sync_playwright

    from benchmarks.classroom.lesson import run_lesson

    time.sleep(delay)
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        page = browser.new_page(viewport={"width": 1440, "height": 1400})
        try:
            for page_name, kind, ms in run_lesson(page, url, lambda i: time.sleep(think if i else 0)):
                samples.append(Sample(page_name, kind, ms, name))
            if page.locator('[data-testid="stException"]').count():
                samples.append(Sample("browser", "interaction", 0, name, False, "exception shown on the page"))
        except Exception as exc:  # noqa: BLE001 - a failed lesson is a measured error
            samples.append(Sample("browser", "interaction", 0, name, False, f"{type(exc).__name__}: {exc}"[:300]))
        finally:
            browser.close()


def lesson_phase(url: str, steps, students: int, browsers: int, ramp: float, think: float, seed: int,
                 nice: int = 0, server_pids: tuple[int, ...] = ()):
    """All students arrive within `ramp` seconds and do the lesson once, pausing `think` s (±50%) per step.
    The simulated students run at CPU priority `nice` (see lower_priority and BrowsersNiced). Also returns the
    CPU the simulated students used (this process and its browsers, not the servers), in cores."""
    rng = random.Random(seed)
    delays = sorted(rng.uniform(0, ramp) for _ in range(students))
    browser_samples: list[Sample] = []
    threads = [threading.Thread(target=browser_student,
                                args=(url, f"browser-{i}", delays[i], browser_samples, think))
               for i in range(browsers)]
    result = Result()

    async def protocol_students():
        async def one(i):
            await asyncio.sleep(delays[i])
            await lesson(url, f"ws-{i}", steps, result, think_s=lambda: think * rng.uniform(0.5, 1.5))
        await asyncio.gather(*(one(i) for i in range(browsers, students)))

    t0 = time.monotonic()
    with BrowsersNiced(nice), StudentsCpu(server_pids) as students_cpu:
        for t in threads:
            t.start()
        clients = threading.Thread(target=lambda: (lower_priority(nice), asyncio.run(protocol_students())))
        clients.start()
        clients.join()
        for t in threads:
            t.join()
    seconds = time.monotonic() - t0
    students_cores = students_cpu.seconds() / seconds
    return result.samples + browser_samples, seconds, result.coalesced, _spread(result), students_cores


def _spread(result: Result) -> dict:
    """Protocol students per replica (as nginx's X-ConvLab-Upstream named it; "direct" without nginx)."""
    spread = {}
    for upstream in result.upstreams.values():
        spread[upstream] = spread.get(upstream, 0) + 1
    return spread


def _cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        try:
            proc = psutil.Process(pid)
            for p in [proc, *proc.children(recursive=True)]:
                t = p.cpu_times()
                total += t.user + t.system
        except psutil.Error:
            pass
    return total


def saturation_phase(url: str, steps, students: int, seconds: float, pids: list[int]) -> dict:
    """Every student replays the lesson with no pause, over and over: finished script runs per second.

    Also the server's CPU use: cores it kept busy, and runs per CPU-second (less sensitive to other load).
    """
    result = Result()
    server0 = _cpu_seconds(pids)

    async def go():
        until = time.monotonic() + seconds
        await asyncio.gather(*(lesson(url, f"sat-{i}", steps, result, loops=0, until=until, paced=False) for i in range(students)))

    t0, cpu0 = time.monotonic(), psutil.Process().cpu_times()
    asyncio.run(go())
    elapsed, cpu1 = time.monotonic() - t0, psutil.Process().cpu_times()
    server_cpu = _cpu_seconds(pids) - server0
    errors = [s for s in result.samples if not s.ok]
    spread = _spread(result)
    return {"runs": result.runs, "seconds": elapsed, "runs_per_s": result.runs / elapsed, "errors": len(errors),
            "error_examples": sorted({s.error for s in errors})[:5], "students_per_replica": spread,
            "load_generator_cpu_percent": 100 * (cpu1.user + cpu1.system - cpu0.user - cpu0.system) / elapsed,
            "server_cores_busy": server_cpu / elapsed, "runs_per_server_cpu_s": result.runs / max(1e-9, server_cpu)}


def summarize(samples: list[Sample]) -> dict:
    """Per page and kind: n, median, p95 and max ms over all students; the same for the real browsers and the
    protocol students apart ("by_client"), since the browsers also pay for rendering on the loaded machine."""
    out = {"errors": 0, "error_examples": []}
    for s in samples:
        if not s.ok:
            out["errors"] += 1
            if s.error not in out["error_examples"] and len(out["error_examples"]) < 8:
                out["error_examples"].append(f"{s.student} {s.page}: {s.error}")
    ok = [s for s in samples if s.ok]
    out["pages"] = _stats(ok)
    out["by_client"] = {kind: _stats([s for s in ok if s.student.startswith(prefix)])
                        for kind, prefix in (("browser", "browser-"), ("protocol", "ws-"))}
    return out


def _stats(samples: list[Sample]) -> dict:
    pages: dict = {}
    for s in samples:
        pages.setdefault(s.page, {}).setdefault(s.kind, []).append(s.ms)
    for kinds in pages.values():
        for kind, values in kinds.items():
            kinds[kind] = {"n": len(values), "median_ms": statistics.median(values),
                           "p95_ms": percentile(values, 0.95), "max_ms": max(values)}
    return pages


def record_steps(url: str):
    """The lesson's BackMsgs, as one real chromium sends them (it also warms this server up)."""
    from playwright.sync_api import sync_playwright

    from benchmarks.classroom.lesson import record

    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            return record(browser, url)
        finally:
            browser.close()


def run_topology(replicas: int, steps, args, extra_env: dict) -> tuple[dict, list]:
    """Measure one topology; with steps=None the lesson is first recorded on it. Returns (summary, steps)."""
    with topology(replicas, extra_env) as (url, replica_urls, replica_pids, pids):
        recorded = None
        if steps is None:
            steps, recorded = record_steps(url)
        for rurl in replica_urls:  # the teacher opened the app before class: every replica is warm
            asyncio.run(lesson(rurl, "warm-up", steps, Result(), paced=False))
        idle_uss = [_uss_mb(p) for p in replica_pids]
        server0 = _cpu_seconds(pids)
        with Sampler(pids) as sampler:
            samples, seconds, coalesced, spread, students_cores = lesson_phase(
                url, steps, args.students, args.browsers, args.ramp, args.think, args.seed, args.client_nice,
                tuple(pids))
        summary = summarize(samples)
        summary.update(lesson_seconds=seconds, drawing_updates_coalesced=coalesced, students_per_replica=spread,
                       simulated_students_cores=students_cores,
                       server_cores=(_cpu_seconds(pids) - server0) / seconds,
                       server_peak_rss_mb=sampler.peak_mb,
                       cpu_percent_median=statistics.median(sampler.cpu) if sampler.cpu else None,
                       replica_uss_mb_idle=idle_uss, replica_uss_mb_after=[_uss_mb(p) for p in replica_pids],
                       replica_rss_mb_after=[_rss(psutil.Process(p)) / 2**20 for p in replica_pids])
        if len(pids) > len(replica_pids):
            summary["nginx_rss_mb"] = _rss(psutil.Process(pids[-1])) / 2**20
        summary["saturation"] = saturation_phase(url, steps, args.students, args.saturate, pids)
        summary.update(replicas=replicas, url=url)
        if recorded:
            summary["recording_browser_ms"] = [[p, k, round(ms)] for p, k, ms in recorded]
        return summary, steps


def budgets(one: dict, many: dict) -> dict:
    def within(summary):
        loads = [v["p95_ms"] for kinds in summary["pages"].values() for k, v in kinds.items() if k == "load"]
        acts = [v["p95_ms"] for kinds in summary["pages"].values() for k, v in kinds.items() if k == "interaction"]
        return {"load_p95_max_ms": max(loads, default=0), "interaction_p95_max_ms": max(acts, default=0),
                "loads_ok": max(loads, default=0) <= LOAD_BUDGET_MS,
                "interactions_ok": max(acts, default=0) <= INTERACTION_BUDGET_MS,
                "errors_ok": summary["errors"] == 0 and summary["saturation"]["errors"] == 0}

    speedup = many["saturation"]["runs_per_s"] / max(1e-9, one["saturation"]["runs_per_s"])
    classroom = within(many)
    return {"one_process": within(one), "behind_nginx": classroom, "throughput_speedup": speedup,
            "speedup_ok": speedup >= SPEEDUP_BUDGET,
            # a class joins through `make classroom` (N replicas behind nginx; `make run` is localhost only):
            "make_classroom_ok": all(classroom[k] for k in ("loads_ok", "interactions_ok", "errors_ok"))
                                 and speedup >= SPEEDUP_BUDGET}


def machine_load(seconds: float = 5.0) -> dict:
    """How busy the machine was before the benchmark started (other work shares these cores)."""
    return {"cpus": os.cpu_count(), "loadavg": os.getloadavg(), "cpu_percent_before": psutil.cpu_percent(seconds),
            "busiest_other_processes": _busiest()}


def _busiest(n: int = 6) -> list[str]:
    procs = list(psutil.process_iter(["pid", "name", "cmdline"]))
    for p in procs:
        try:
            p.cpu_percent()
        except psutil.Error:
            pass
    time.sleep(1.0)
    rows = []
    for p in procs:
        try:
            rows.append((p.cpu_percent(), " ".join(p.info["cmdline"] or [p.info["name"] or "?"])[:90]))
        except psutil.Error:
            pass
    return [f"{cpu:.0f}% {cmd}" for cpu, cmd in sorted(rows, reverse=True)[:n] if cpu > 1]
