"""Grouping benchmark: entraide.grouping against a random-restart greedy given the same time in the
same run.

    .venv/bin/python bench/grouping.py --quick   # short time limits, < 1 min
    .venv/bin/python bench/grouping.py           # the issue's limits (up to 120 s for 32/4/10)

Re-mixing instances (people/size/rounds): 15/3/7 (Kirkman), 32/4/9, 32/4/10, 20/4/5; each reports
repeats and seconds for remix and for the greedy baseline. Events: random atelier pratique events
of 30 to 200 people (bench/grouping_events.py), form_tables against a greedy seating (rank by rank
where there is room) with the same time; reports the share of participants in one of their two
preferred cases, the share that table capacities allow at most (a max flow) and how much of it was
reached, same-community pairs and seconds. The last line printed is one JSON object.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import print_json_last  # noqa: E402

INSTANCES = [(15, 3, 7, 1.0), (32, 4, 9, 10.0), (32, 4, 10, 120.0), (20, 4, 5, 5.0)]
QUICK_INSTANCES = [(15, 3, 7, 1.0), (32, 4, 9, 5.0), (32, 4, 10, 5.0), (20, 4, 5, 2.0)]


def greedy_tables(people, cases, min_size, max_size, seed, seconds):
    """Baseline seating: random restarts of the greedy construction of form_tables (rank by rank
    while there is room, then the emptiest table), keeping the best top-two share."""
    from entraide.grouping.tables import _greedy, _speaks

    by_key = {p.key: p for p in people}
    presenters = {c.presenter for c in cases}
    participants = [p for p in people if p.key not in presenters]
    allowed = {p.key: {t for t, c in enumerate(cases) if _speaks(p, c)} for p in participants}
    rng = random.Random(seed)
    started, best = time.monotonic(), None
    while best is None or time.monotonic() - started < seconds:
        seat = _greedy(participants, cases, by_key, allowed, min_size, max_size, rng)
        top = sum(1 for p in participants if p.preferences and cases[seat[p.key]].key in p.preferences[:2])
        sizes = [1 + sum(1 for t in seat.values() if t == i) for i in range(len(cases))]
        valid = all(min_size <= s <= max_size for s in sizes)
        ranked = sum(1 for p in participants if p.preferences)
        score = (valid, top / ranked if ranked else 1.0)
        if best is None or score > best:
            best = score
    return {"valid": best[0], "top_two_share": round(best[1], 4), "seconds": round(time.monotonic() - started, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entraide.settings")
    import django

    django.setup()
    from grouping_events import random_event

    from entraide.grouping import form_tables, remix
    from entraide.grouping.remix import random_restart_greedy

    figures: dict = {"bench": "grouping", "quick": args.quick, "remix": {}, "events": {}}
    for n, size, rounds, limit in QUICK_INSTANCES if args.quick else INSTANCES:
        schedule = remix(n, size, rounds, seed=args.seed, time_limit_s=limit)
        baseline = random_restart_greedy(n, size, rounds, seed=args.seed, time_limit_s=max(schedule.seconds, 0.05))
        name = f"{n}/{size}/{rounds}"
        figures["remix"][name] = {
            "repeats": schedule.repeats, "seconds": schedule.seconds, "method": schedule.method, "time_limit": limit,
            "greedy_repeats": baseline.repeats, "greedy_seconds": baseline.seconds,
        }
        print(name, figures["remix"][name], flush=True)
    for n in (30, 100) if args.quick else (30, 60, 100, 150, 200):
        people, cases = random_event(n, args.seed + n)
        tables = form_tables(people, cases, min_size=3, max_size=5, seed=args.seed, time_limit_s=1.5)
        baseline = greedy_tables(people, cases, 3, 5, args.seed, tables.score["seconds"])
        score = tables.score
        ranked = score["first_choice"] + score["second_choice"] + score["other"]
        top_two = score["first_choice"] + score["second_choice"]
        figures["events"][str(n)] = {
            "tables": len(cases), "top_two_share": score["top_two_share"], "first_choice": score["first_choice"],
            # What table capacities allow at most (a max flow), and how much of it was reached: the
            # issue's "95 % in one of their two preferred cases wherever capacity allows".
            "top_two_possible_share": round(score["top_two_possible"] / ranked, 4) if ranked else 1.0,
            "top_two_of_possible": round(top_two / score["top_two_possible"], 4) if score["top_two_possible"] else 1.0,
            "mixing": tables.score["mixing"], "seconds": tables.score["seconds"], "status": tables.score["status"],
            "greedy_top_two_share": baseline["top_two_share"], "greedy_valid": baseline["valid"],
        }
        print(n, figures["events"][str(n)], flush=True)
    print_json_last(figures)


if __name__ == "__main__":
    main()
