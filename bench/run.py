"""`make bench`: run every benchmark in bench/ and write one report.

Writes bench/REPORT.md and bench/report.json: each figure next to the baseline it is compared
with in the same run, and the machine it ran on. Benchmarks that need PostgreSQL use
BENCH_PG_ADMIN_URL (default postgres://root@127.0.0.1:5432/postgres). `python bench/run.py
--only lesson scale` runs those again and keeps the other rows of the last report.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

from common import machine

HERE = Path(__file__).resolve().parent
BENCHES = [
    ("ingest", ["bench_ingest.py", "--json"]),
    ("gift", ["bench_gift.py", "--json"]),
    ("moodle_xml", ["bench_moodle_xml.py", "--json"]),
    ("import_preview", ["bench_import_preview.py"]),
    ("lesson", ["bench_lesson.py"]),
    ("quiz", ["bench_quiz.py", "--students", "200"]),
    ("gradebook", ["bench_gradebook.py"]),
    ("two_servers", ["drill_two_servers.py", "--students", "200"]),
    ("scale", ["bench_scale.py", "--sizes", "1000,10000"]),
]


def run_one(args: list[str]) -> dict:
    done = subprocess.run([sys.executable, str(HERE / args[0]), *args[1:]], cwd=HERE.parent,
                          capture_output=True,
                          text=True, timeout=1200)
    text = done.stdout
    start = text.find("{")
    if start < 0:
        return {"error": (done.stderr or text)[-2000:], "exit": done.returncode}
    result = json.loads(text[start:])
    result["exit"] = done.returncode
    return result


def _spread(ratios: list[float]) -> str:
    return f"{len(ratios)} rounds from {min(ratios)} to {max(ratios)}"


def _yes(ok: bool) -> str:
    return "yes" if ok else "NO"


def _row(name: str, result: dict) -> str:
    if "error" in result:
        last = result["error"].splitlines()[-1] if result["error"] else ""
        return f"| {name} | failed: {last} | | |"
    if name == "gift":
        return (f"| GIFT import, {result['questions']} questions "
                f"({result['file_bytes'] / 1e6:.1f} MB) | parse {result['parse_median_seconds']}"
                f" s (peak {result['parse_peak_memory_mb']} MB); parse and store on PostgreSQL "
                f"{result['parse_and_store_median_seconds']} s | none | |")
    if name == "moodle_xml":
        return (f"| Moodle XML import, {result['questions']} questions "
                f"({result['file_bytes'] / 1e6:.1f} MB) | parse {result['parse_median_seconds']}"
                f" s (peak {result['parse_peak_memory_mb']} MB); parse and store on PostgreSQL "
                f"{result['parse_and_store_median_seconds']} s | none | |")
    if name == "import_preview":
        return (f"| question-import preview, {result['questions']} GIFT questions | first "
                f"preview {result['preview_median_seconds']} s; page 2 "
                f"{result['page_2_median_seconds']} s; last page "
                f"{result['last_page_median_seconds']} s | bare one-row read: "
                f"{result['bare_read_median_ms']} ms | |")
    if name == "lesson":
        return (f"| seed lesson page | {result['lesson_page']['rps']} req/s, p50 "
                f"{result['lesson_page']['p50_ms']} ms | bare one-row read: "
                f"{result['baseline_bare_read']['rps']} req/s | ratio {result['ratio']}, "
                f"median of {_spread(result['ratio_each_round'])} (target {result['target']}) |")
    if name == "quiz":
        return (f"| {result['students']} students save and submit | saves "
                f"{result['saves']['per_second']}/s (p50 {result['saves']['p50_ms']} ms, p95 "
                f"{result['saves']['p95_ms']} ms, p99 {result['saves']['p99_ms']} ms); "
                f"{result['errors']} errors, {result['lost_answers']} lost of "
                f"{result['acknowledged_saves']} | bare INSERT: "
                f"{result['baseline_bare_insert']['per_second']}/s | ratio "
                f"{result['ratio_saves_to_bare_insert']}, median of "
                f"{_spread(result['ratio_each_round'])} (target {result['target']}) |")
    if name == "gradebook":
        csv_ = result["csv_export"]
        return (f"| gradebook, {result['students']} students x {result['quizzes']} quizzes | "
                f"page median {result['gradebook_page_median_ms']} ms; CSV peak memory "
                f"{csv_['small']['peak_bytes']} B at {csv_['small']['rows']} rows, "
                f"{csv_['large']['peak_bytes']} B at {csv_['large']['rows']} rows | raw "
                f"aggregate SQL: {result['baseline_raw_sql_median_ms']} ms | ratio "
                f"{result['ratio_page_to_sql']} of the medians, "
                f"{_spread(result['ratio_each_round'])} (target {result['target']}) |")
    if name == "scale":
        growth = result["growth"]
        return (f"| scale: {growth['from']:,} to {growth['to']:,} students x "
                f"{result['quizzes']} quizzes | growth (Lectio / raw SQL): " + "; ".join(
                    f"{view} {g['lectio']} / {g['raw_sql']}" for view, g in growth.items()
                    if isinstance(g, dict))
                + " | raw SQL, same run | see the table below |")
    if name == "two_servers":
        crowd = result["students_over_both"]
        return (f"| drill: nginx over two gunicorn servers, PostgreSQL, Redis | upload on A "
                f"confirmed on B: {_yes(result['upload_preview_a_confirm_b']['ok'])}; note "
                f"edited on A shown on B: {_yes(result['note_edit_a_shows_on_b']['ok'])}; "
                f"{crowd['students']} students, server A killed after "
                f"{crowd.get('saves_stored_when_killed', 0)} saves: {crowd['errors']} errors, "
                f"{crowd['lost_answers']} lost of {crowd['acknowledged_saves']}, "
                f"{crowd['graded_attempts']} graded in {crowd['whole_run_seconds']} s | none "
                f"| {'pass' if result['ok'] else 'FAIL'} |")
    figures = ", ".join(f"{k}: {v}" for k, v in result.items()
                        if isinstance(v, (int, float, str)) and k not in ("exit", "ran"))
    return f"| {name} | {figures} | none | |"


def _when(result: dict) -> str:
    return f" (run {result['ran']})" if result.get("ran") else ""


def _scale_table(result: dict | None) -> list[str]:
    """Each teaching view at each class size, next to its raw SQL, and how each grew."""
    if not result or "sizes" not in result:
        return []
    sizes = list(result["sizes"].values())
    lines = ["## Teaching views at scale (bench/bench_scale.py)", "",
             "Seconds, median of the run's repeats (each regrade changes every score); "
             "Lectio / raw SQL computing the same numbers in the same run.", "",
             "| view | " + " | ".join(f"{s['students']:,} students ({s['responses']:,} "
                                      "responses)" for s in sizes) + " | growth |",
             "| --- |" + " --- |" * (len(sizes) + 1)]
    for view in sizes[0]["views"]:
        cells = [f"{s['views'][view]['lectio_s']} / {s['views'][view]['raw_sql_s']} "
                 f"(x{s['views'][view]['ratio']})" for s in sizes]
        growth = result["growth"][view]
        lines.append(f"| {view} | " + " | ".join(cells)
                     + f" | {growth['lectio']} / {growth['raw_sql']} |")
    return [*lines, ""]


def main() -> int:
    # `--only NAME ...` runs those benchmarks again and keeps the other figures of the last
    # report.json (each row then says when it ran).
    only = sys.argv[sys.argv.index("--only") + 1:] if "--only" in sys.argv else None
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    previous = {}
    if only and (HERE / "report.json").exists():
        last = json.loads((HERE / "report.json").read_text())
        previous = {name: {"ran": last["generated"], **result}
                    for name, result in last["results"].items()}
    results = {}
    for name, args in BENCHES:
        if only is None or name in only:
            # A listed script that is gone stops the run: skipping it would drop a
            # benchmark from `make bench` without anyone noticing.
            if not (HERE / args[0]).exists():
                sys.exit(f"bench/run.py: {name} lists {args[0]}, which is not in bench/")
            results[name] = {"ran": now, **run_one(args)}
        elif name in previous:
            results[name] = previous[name]
    report = {"generated": now, "machine": machine(), "results": results}
    (HERE / "report.json").write_text(json.dumps(report, indent=2) + "\n")
    lines = [
        "# Benchmark report",
        "",
        f"Generated {report['generated']} by `make bench` on {machine()['cpus']} cores, "
        f"Python {machine()['python']}, {machine()['platform']}.",
        "",
        "| benchmark | figure | baseline in the same run | comparison |",
        "| --- | --- | --- | --- |",
        *[_row(name + _when(result), result) if "error" in result
          else _row(name, result).replace(" |", _when(result) + " |", 1)
          for name, result in results.items()],
        "",
        *_scale_table(results.get("scale")),
    ]
    (HERE / "REPORT.md").write_text("\n".join(lines))
    print("\n".join(lines))
    return 0 if all(r.get("exit", 1) == 0 for r in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
