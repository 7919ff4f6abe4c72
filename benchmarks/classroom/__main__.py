"""`python -m benchmarks.classroom`: 30 students do a scripted lesson against 1 Streamlit process, then against
N processes behind nginx (default: one per core). Both topologies run throughout, so their throughput is
measured in turns. A few students are real headless chromium browsers; the rest speak Streamlit's WebSocket
protocol, replaying what a recorded chromium sent. Prints a table, writes JSON to
benchmarks/results/classroom-<time>.json.
"""

import argparse
import json
import os
import time

from benchmarks.classroom.run import (
    budgets,
    interleaved_saturation,
    machine_load,
    measure_lesson,
    record_steps,
    topology,
    warm_up,
)
from benchmarks.machine import speed
from testkit.server import ROOT


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--browsers", type=int, default=3, help="how many of the students are real chromium")
    parser.add_argument("--replicas", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--ramp", type=float, default=10.0, help="students arrive within this many seconds")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between a student's steps, s")
    parser.add_argument("--saturate", type=float, default=30.0, help="seconds of pause-free replay for throughput")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--client-nice", type=int, default=10,
                        help="CPU priority (process and autogroup) of the browsers in the lesson: their devices "
                             "would not share the server's cores in a class; 0 = same as the server. The protocol "
                             "students run at normal priority in a session of their own")
    parser.add_argument("--env", action="append", default=[], help="KEY=VALUE for every server process")
    args = parser.parse_args()
    env = dict(kv.split("=", 1) for kv in args.env)
    (ROOT / "artifacts").mkdir(exist_ok=True)
    results = {"args": vars(args), "machine_before": machine_load(), "machine_speed": speed(),
               "started": time.strftime("%Y-%m-%d %H:%M:%S")}
    print(f"machine before: {results['machine_before']}\nmachine speed (ms, lower is faster): "
          f"{results['machine_speed']}", flush=True)
    with topology(1, env) as single, topology(args.replicas, env) as replicated:
        steps, recorded = record_steps(single.url)
        warm_up(single, steps)
        warm_up(replicated, steps)
        one = measure_lesson(single, steps, args, tuple(replicated.pids))
        many = measure_lesson(replicated, steps, args, tuple(single.pids))
        one["recording_browser_ms"] = [[p, k, round(ms)] for p, k, ms in recorded]
        print(f"throughput: {args.saturate:g} s of pause-free replay each, in turns", flush=True)
        one["saturation"], many["saturation"] = interleaved_saturation([single, replicated], steps, args.students,
                                                                       args.saturate)
    print_summary("1 process", one)
    print_summary(f"{args.replicas} processes behind nginx", many)
    results.update(one_process=one, behind_nginx=many, budgets=budgets(one, many),
                   lesson_frames={f"{s.page}/{s.kind}#{i}": len(s.frames) for i, s in enumerate(steps)})
    print(json.dumps(results["budgets"], indent=2))
    out = ROOT / "benchmarks" / "results" / f"classroom-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"wrote {out}")


def print_summary(title: str, s: dict) -> None:
    lag = s.get("protocol_students_loop_lag") or {}
    print(f"\n== {title}: lesson took {s['lesson_seconds']:.0f} s, errors {s['errors']}, "
          f"peak server RSS {s['server_peak_rss_mb']:.0f} MB, CPU median {s['cpu_percent_median']}%, "
          f"drawing updates coalesced by the canvas's flow control {s.get('drawing_updates_coalesced', 0)}, "
          f"protocol students per replica {s.get('students_per_replica')}, simulated students used "
          f"{s.get('simulated_students_cores', 0):.2f} cores, the server {s.get('server_cores', 0):.2f} cores, "
          f"protocol students' event loop late by p99 {lag.get('p99_ms', 0):.0f} ms, max {lag.get('max_ms', 0):.0f} ms")
    print(f"{'page':12} {'kind':12} {'n':>4} {'median':>9} {'p95':>9} {'max':>9} {'p95 browser':>12} {'p95 protocol':>13}")
    for page, kinds in s["pages"].items():
        for kind, v in kinds.items():
            apart = [s["by_client"][c].get(page, {}).get(kind, {}).get("p95_ms") for c in ("browser", "protocol")]
            apart = [f"{ms:.0f}ms" if ms is not None else "-" for ms in apart]
            print(f"{page:12} {kind:12} {v['n']:>4} {v['median_ms']:>7.0f}ms {v['p95_ms']:>7.0f}ms {v['max_ms']:>7.0f}ms"
                  f" {apart[0]:>12} {apart[1]:>13}")
    sat = s["saturation"]
    print(f"saturation: {sat['runs_per_s']:.1f} script runs/s ({sat['runs']} in {sat['seconds']:.0f} s), "
          f"errors {sat['errors']}, students per replica {sat['students_per_replica']}, "
          f"load generator CPU {sat['load_generator_cpu_percent']:.0f}%, server kept {sat['server_cores_busy']:.2f} "
          f"cores busy, {sat['runs_per_server_cpu_s']:.1f} runs per server CPU-second")
    print(f"replica USS idle {s['replica_uss_mb_idle']} MB, after {s['replica_uss_mb_after']} MB")
    for e in s["error_examples"] + sat["error_examples"]:
        print(f"  error: {e}")


if __name__ == "__main__":
    main()
