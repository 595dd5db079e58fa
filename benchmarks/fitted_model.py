"""For scale: how far a model fitted to the published cases themselves gets on the same answers.

    pip install numpy scikit-learn     # only for this script; kneetriage does not use them
    python benchmarks/fitted_model.py tests/data/published_tune.jsonl tests/data/published_holdout.jsonl ...

Name on the command line only case files that have been run already: a held-out half that has not been run
must not be read (tests/data/PUBLISHED.md says which have). Each file is left out in turn; a model is fitted
to the others' answers and the expected first cause, and ranks the causes of the file left out. The figures
are top-1 and top-3 over all cases, as ``kneetriage evaluate`` counts them.

This is not a bound and not a rival. A model fitted to case reports learns what case reports are like:
rare causes are common in them (a tumour is about one case in twelve), and what a writer chose to mention
is itself a clue. Its figures say how much the answers in such reports carry about the cause, for a method
free to learn those habits; kneetriage's weights stay with what is known about each cause.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def features(answers: dict) -> dict:
    """One feature per answer and value; ages in bands; answers not given add nothing."""
    out = {}
    for key, value in answers.items():
        if key == "age":
            bands = ((16, "under 16"), (25, "16-24"), (40, "25-39"), (60, "40-59"))
            out["age=" + next((name for upper, name in bands if value < upper), "60+")] = 1
        else:
            out[f"{key}={value}"] = 1
    return out


def main(paths: list[str]) -> None:
    import numpy as np
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    rows, causes, groups = [], [], []
    for group, path in enumerate(paths):
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if line.strip():
                case = json.loads(line)
                if case.get("top"):
                    rows.append(features(case["answers"]))
                    causes.append(case["top"][0])
                    groups.append(group)
    x = DictVectorizer(sparse=False).fit_transform(rows)
    y, g = np.array(causes), np.array(groups)
    top1 = top3 = 0
    for group in range(len(paths)):
        train, test = g != group, g == group
        if not test.any():
            continue
        model = LogisticRegression(C=1.0, max_iter=3000).fit(x[train], y[train])
        order = np.argsort(-model.predict_proba(x[test]), axis=1)
        for ranks, want in zip(order, y[test], strict=True):
            first = [model.classes_[i] for i in ranks[:3]]
            top1 += first[0] == want
            top3 += want in first
    n = len(y)
    print(f"{n} cases in {len(paths)} files, each file left out in turn: logistic regression on the answers")
    print(f"top-1 {top1} ({top1 / n:.0%}), top-3 {top3} ({top3 / n:.0%})")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit("usage: python benchmarks/fitted_model.py CASES.jsonl CASES.jsonl [...] (two files or more)")
    main(sys.argv[1:])
