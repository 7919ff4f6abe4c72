"""`python -m benchmarks [scenario ...]`: run the browser benchmarks, print a table, write JSON."""

import argparse

from benchmarks.harness import discover, print_table, run, save


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", help="scenario names (default: all); 'cold_start' for cold start")
    parser.add_argument("--list", action="store_true", help="list the registered scenarios")
    parser.add_argument("--cold-runs", type=int, default=3)
    args = parser.parse_args()
    if args.list:
        for sc in discover():
            print(f"{sc.name:44} issue {sc.issue}  budget {sc.budget_ms}")
        return
    results = run(args.names or None, cold_runs=args.cold_runs)
    print_table(results)
    print(f"wrote {save(results)}")


if __name__ == "__main__":
    main()
