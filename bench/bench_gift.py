"""Import time for a 5,000-question GIFT file: parsing alone, then parsing and storing the
questions in one transaction on PostgreSQL.

    python bench/bench_gift.py [--questions 5000] [--runs 3] [--json]

The file mixes every type GIFT expresses (multiple choice with weights, true/false, short
answer, matching, missing word, numerical, essay) with titles, feedback and comments.
"""

from __future__ import annotations

import argparse
import random
import sys

from common import question_import_bench

TEMPLATES = [
    "::Q{n} capital:: Which city is the capital of country {n}? "
    "{{=City {n}#Right. ~Town {n}#No. ~Village {n}}}",
    "::Q{n} weights:: Pick the true statements about item {n}. "
    "{{~%50%True A {n} ~%50%True B {n} ~%-100%False {n}#Not this one.}}",
    "::Q{n} tf:: Statement {n} is true.{{T#Think again.#Right.}}",
    "::Q{n} short:: Name the author of text {n}. {{=Kuhrt =%50%Kaczmarski#Co-author.}}",
    "::Q{n} match:: Match the pairs for {n}. {{=Moscow {n} -> Russia =Beijing {n} -> China "
    "=Delhi {n} -> India}}",
    "::Q{n} missing:: The treaty of {{~1990 =2001 ~2010}} is number {n}.",
    "::Q{n} number:: How many members had group {n}? {{#={n}:0.5#Close enough. =%50%{n}:5}}",
    "::Q{n} essay:: Explain claim {n} in your own words. {{}}",
]


def gift_file(count: int, seed: int = 7) -> str:
    """A GIFT file of `count` questions cycling through every type, with comments."""
    rng = random.Random(seed)
    parts = []
    for n in range(1, count + 1):
        if n % 50 == 1:
            parts.append(f"$CATEGORY: bench/part-{n // 50}")
        if rng.random() < 0.1:
            parts.append(f"// points: {rng.choice([2, 3, 0.5])}")
        parts.append(TEMPLATES[n % len(TEMPLATES)].format(n=n))
        parts.append("")
    return "\n".join(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--questions", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print only the JSON result")
    args = parser.parse_args()
    return question_import_bench(name="gift", data=gift_file(args.questions).encode("utf-8"),
                                 format="gift", questions=args.questions, runs=args.runs)


if __name__ == "__main__":
    sys.exit(main())
