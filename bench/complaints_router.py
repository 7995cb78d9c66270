"""Benchmark the complaint router on the fixed author-held-out test split (issue 16, DESIGN.md §4.3).

    .venv/bin/python bench/complaints_router.py [--model PATH] [--corpus PATH] [--lines 2000]
    .venv/bin/python bench/complaints_router.py --tune      # grid search, cross-validation on training authors only

Default run: the model's figures on the test authors (department right among routed texts, triage
rate, confident mistakes, calibration error), per author, and the time per text of
`flask complaints classify --jsonl` (a run of N lines minus a run of one line, so the start-up and the
model load are left out; the whole run's time per text is printed too).

--tune: every parameter set of the grid is scored by 5-fold cross-validation grouped by author on the
training authors; the test authors are never read. Also prints the ablations (no hint, no folded text).
"""

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from backoffice.services.complaints import routing  # noqa: E402
from backoffice.services.complaints.dataset import CORPUS_PATH, load_corpus, split  # noqa: E402

# confident_wrong_rate is the strict reading of "wrong department with confidence >= 0.8" (triaged texts
# count too); confident_misrouted_rate counts only texts actually sent to a wrong department.
TARGETS = {"routed_accuracy": (">=", 0.92), "triage_rate": ("<=", 0.15), "confident_wrong_rate": ("<=", 0.02),
           "confident_misrouted_rate": ("<=", 0.02)}
GRID = {"C": [3.0, 10.0, 30.0], "hint_weight": [0.1, 0.25, 0.5], "char_ngrams": [(2, 4), (2, 5)]}


def out_of_fold_figures(train, params):
    """Cross-validated figures of a parameter set on the training authors (temperature and threshold inside)."""
    import numpy as np
    from threadpoolctl import threadpool_limits

    labels = [e.category for e in train]
    with threadpool_limits(limits=1):
        oof = routing.out_of_fold_log_proba(train, params=params)
    temperature = routing.fit_temperature(oof, labels)
    probabilities = routing._softmax(oof / temperature, np)
    threshold = routing.choose_threshold(probabilities, labels)
    return {**routing.scores(probabilities, labels, threshold), "temperature": round(temperature, 3)}


def tune(train):
    """Print the grid's cross-validated figures, best (department accuracy, then routed accuracy) last."""
    rows = []
    for values in itertools.product(*GRID.values()):
        params = {**routing.DEFAULT_PARAMS, **dict(zip(GRID, values))}
        started = time.perf_counter()
        figures = out_of_fold_figures(train, params)
        rows.append((figures["department_accuracy"], figures["routed_accuracy"] or 0, params, figures))
        print(json.dumps({"params": params, **figures, "seconds": round(time.perf_counter() - started, 1)}),
              flush=True)
    best = max(rows, key=lambda row: row[:2])
    print("best:", json.dumps(best[2]))


def threshold_rules(train, goals=(0.92, 0.94, 0.96, 0.98), caps=(0.12, 0.15)):
    """Each threshold rule scored as it will be used: chosen on the other training authors, applied to one.

    The out-of-fold probabilities of the default parameters are computed once; for each training author
    the threshold comes from the other authors' texts, and the figures are summed over authors.
    """
    import numpy as np
    from threadpoolctl import threadpool_limits

    labels = [e.category for e in train]
    with threadpool_limits(limits=1):
        oof = routing.out_of_fold_log_proba(train)
    probabilities = routing._softmax(oof / routing.fit_temperature(oof, labels), np)
    authors = sorted({e.author for e in train})
    for goal, cap in itertools.product(goals, caps):
        routed = right = triaged = confident_wrong = 0
        for author in authors:
            mine = [i for i, e in enumerate(train) if e.author == author]
            others = [i for i, e in enumerate(train) if e.author != author]
            threshold = routing.choose_threshold(probabilities[others], [labels[i] for i in others], goal, cap)
            for i in mine:
                route = routing._route(probabilities[i], threshold)
                best = max(routing.department_probabilities(probabilities[i]).items(), key=lambda kv: kv[1])[0]
                truth = routing.DEPARTMENT_OF[labels[i]]
                confident_wrong += best != truth and route.confidence >= routing.CONFIDENT
                if route.department == routing.TRIAGE:
                    triaged += 1
                else:
                    routed += 1
                    right += route.department == truth
        print(json.dumps({"goal": goal, "cap": cap, "routed_accuracy": round(right / max(routed, 1), 4),
                          "triage_rate": round(triaged / len(train), 4),
                          "confident_wrong_rate": round(confident_wrong / len(train), 4)}), flush=True)


def ablations(train):
    """Cross-validated figures of the default parameters, without the hint, and with the hint weighted x4."""
    hint = routing.DEFAULT_PARAMS["hint_weight"]
    for name, params in (("default", {}), ("no hint", {"hint_weight": 0.0}), ("hint x4", {"hint_weight": 4 * hint})):
        print(name, json.dumps(out_of_fold_figures(train, {**routing.DEFAULT_PARAMS, **params})), flush=True)


def per_author(router, test):
    """Figures per held-out author."""
    by_author = defaultdict(list)
    for example in test:
        by_author[example.author].append(example)
    return {author: routing.evaluate(router, examples) for author, examples in sorted(by_author.items())}


def cli_seconds(lines, instance):
    """Wall-clock seconds of `flask complaints classify --jsonl` over the lines."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as handle:
        handle.writelines(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    env = {**os.environ, "FLASK_APP": "wsgi", "INSTANCE_PATH": instance}
    started = time.perf_counter()
    with open(handle.name, "rb") as stdin:
        done = subprocess.run([sys.executable, "-m", "flask", "complaints", "classify", "--jsonl"], stdin=stdin,
                              capture_output=True, cwd=ROOT, env=env, check=True)
    elapsed = time.perf_counter() - started
    os.unlink(handle.name)
    assert done.stdout.count(b"\n") == len(lines), done.stderr[-500:]
    return elapsed


def timing(test, count, model):
    """Per-text milliseconds of the --jsonl command, start-up excluded and included."""
    with tempfile.TemporaryDirectory() as instance:
        target = routing.instance_model(instance)
        target.parent.mkdir(parents=True)
        target.write_bytes(Path(model).read_bytes())
        lines = [{"text": test[i % len(test)].text, "hint": test[i % len(test)].hint} for i in range(count)]
        one = min(cli_seconds(lines[:1], instance) for _ in range(2))
        many = cli_seconds(lines, instance)
    return {"lines": count, "startup_and_load_s": round(one, 2),
            "ms_per_text": round((many - one) / (count - 1) * 1000, 2),
            "ms_per_text_with_startup": round(many / count * 1000, 2)}


def main():
    """Run the benchmark (or the tuning) and print JSON figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, default=CORPUS_PATH)
    parser.add_argument("--model", type=Path, default=routing.PACKAGED_MODEL)
    parser.add_argument("--lines", type=int, default=2000)
    parser.add_argument("--tune", action="store_true")
    parser.add_argument("--thresholds", action="store_true", help="only the threshold rules (leave one author out)")
    args = parser.parse_args()
    examples = load_corpus(args.corpus)
    train, test = split(examples)
    authors = sorted({e.author for e in examples})
    print(json.dumps({"corpus": str(args.corpus), "texts": len(examples), "train": len(train), "test": len(test),
                      "test_authors": sorted({e.author for e in test}), "authors": len(authors)}))
    if args.thresholds:
        threshold_rules(train)
        return
    if args.tune:
        tune(train)
        ablations(train)
        threshold_rules(train)
        return
    router = routing.load(args.model)
    print("model:", json.dumps(router.header, default=str))
    figures = routing.evaluate(router, test)
    print("test split:", json.dumps(figures))
    for name, (op, target) in TARGETS.items():
        value = figures.get(name)
        met = value is not None and (value >= target if op == ">=" else value <= target)
        print(f"  {name} {value} target {op} {target}: {'met' if met else 'NOT met'}")
    for author, author_figures in per_author(router, test).items():
        print(f"  {author}:", json.dumps(author_figures))
    print("cli:", json.dumps(timing(test, args.lines, args.model)))


if __name__ == "__main__":
    main()
