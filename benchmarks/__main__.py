"""`python -m benchmarks [scenario ...]`: run the browser benchmarks, print a table, write JSON."""

import argparse

from benchmarks.harness import MODES, discover, print_table, run, save


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", help="scenario names (default: all); 'cold_start' for cold start")
    parser.add_argument("--list", action="store_true", help="list the registered scenarios")
    parser.add_argument("--cold-runs", type=int, default=3)
    parser.add_argument("--mode", choices=list(MODES), action="append",
                        help="run only this mode (repeatable; default: normal and projector)")
    args = parser.parse_args()
    if args.list:
        for sc in discover():
            print(f"{sc.name:56} issue {sc.issue}  budget {sc.budget_ms}  modes {','.join(sc.modes)}")
        return
    results = run(args.names or None, cold_runs=args.cold_runs, modes=tuple(args.mode or MODES))
    print_table(results)
    print(f"wrote {save(results)}")


if __name__ == "__main__":
    main()
