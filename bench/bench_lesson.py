"""Lesson page throughput under gunicorn on PostgreSQL, against a bare one-row-read view.

    python bench/bench_lesson.py [--requests 600] [--concurrency 4] [--rounds 9]
                                 [--against REF]

Target: lesson page requests per second at least 0.5 x the bare view's, in the same run.
With --against REF a second server runs git commit REF's code on the same database, and
each round also times its lesson page, so two versions of the page are compared against the
same bare reads in one run (the report's "against" part).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import subprocess

from common import (
    PYTHON,
    ROOT,
    checkout,
    fresh_database,
    gunicorn,
    hammer,
    login_cookie,
    machine,
    write_result,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--against", metavar="REF",
                        help="also time the lesson page of git commit REF, in the same rounds")
    args = parser.parse_args()

    env = fresh_database("lectio_bench_lesson")
    subprocess.run([PYTHON, "manage.py", "load_demo"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    lesson_path = "/courses/demo/lessons/sino-russian-relations/"
    with contextlib.ExitStack() as stack:
        host = stack.enter_context(gunicorn(env, workers=args.workers))
        # The page's servers: "lesson" is this checkout's, "against" commit REF's.
        servers = {"lesson": host}
        if args.against:
            tree = stack.enter_context(checkout(args.against))
            servers["against"] = stack.enter_context(
                gunicorn(env, workers=args.workers, tree=tree))
        cookie = login_cookie(host, "student", "lectio-student")
        paths = {"bare": (host, "/bench/bare-read"),
                 **{name: (server, lesson_path) for name, server in servers.items()}}
        # Warm every path so none pays for first-request imports.
        for server, path in paths.values():
            hammer(server, path, requests=40, concurrency=2, cookie=cookie)
        # Alternate the runs in short rounds, rotating which goes first, and take the median
        # round: a shared machine's speed drifts, and a drift then moves one round (in
        # either direction), not the reported ratio.
        names = list(paths)
        rounds = []
        for index in range(args.rounds):
            order = names[index % len(names):] + names[:index % len(names)]
            runs = {name: hammer(*paths[name], requests=args.requests,
                                 concurrency=args.concurrency, cookie=cookie)
                    for name in order}
            rounds.append(runs)

    def ratio(one: dict, name: str) -> float:
        return round(one[name]["rps"] / one["bare"]["rps"], 3)

    def median_round(name: str) -> dict:
        return sorted(rounds, key=lambda one: ratio(one, name))[len(rounds) // 2]

    chosen = median_round("lesson")
    result = {
        "benchmark": "lesson_page",
        "machine": machine(),
        "server": f"gunicorn, {args.workers} sync workers, PostgreSQL",
        "lesson_page": chosen["lesson"],
        "baseline_bare_read": chosen["bare"],
        "ratio": ratio(chosen, "lesson"),
        "ratio_each_round": sorted(ratio(one, "lesson") for one in rounds),
        "target": ">= 0.5",
    }
    if args.against:
        other = median_round("against")
        result["against"] = {
            "ref": args.against,
            "lesson_page": other["against"],
            "baseline_bare_read": other["bare"],
            "ratio": ratio(other, "against"),
            "ratio_each_round": sorted(ratio(one, "against") for one in rounds),
            # This checkout's page over REF's, round by round (above 1: this one is faster).
            "this_over_ref_each_round": [
                round(one["lesson"]["rps"] / one["against"]["rps"], 3) for one in rounds],
            "rounds_in_order": [{name: one[name]["rps"] for name in one} for one in rounds],
        }
    write_result("lesson", result)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
