"""Saying "that is not a digit", measured: real non-digits caught against real digits doubted.

    python benchmarks/not_a_digit.py                       # print the table
    python benchmarks/not_a_digit.py --write BENCHMARKS.md # and rewrite its section there

Every way of judging is measured at the same cost, fixed before any of these sets
is looked at: the threshold that calls at most 0.5% of the judge's held-out
training-side digits "not a digit" (`digits.train_judge`, stored in the judge's
card). A picture counts as *flagged* when the pad would doubt it: the way says
"not a digit", or the network is unsure (`UNSURE_BELOW`). The ways:

* ``top probability``: no judge, only the unsure threshold moved (the softmax's
  own confidence);
* ``energy``: T * logsumexp(logits / T) of the digit network (Liu et al. 2020);
* ``logistic``, ``mahalanobis``, ``cnn``: each of `DigitJudge`'s witnesses alone;
* ``shipped: the three combined``: what `digits.recognize` does.

Real sets (``../shared/data/handwriting``, measure only): the Chars74K letters of
``nondigits_dev`` and every real digit set. Scribbles are the project's own
(`digits.drawn.scribbles`), labelled as such.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.markdown import machine, table, write_section  # noqa: E402
from benchmarks.real_sets import HANDWRITING, NONDIGITS, REAL_SETS, load_real_set  # noqa: E402
from digits.drawn import scribbles  # noqa: E402
from digits.model_files import NOT_A_DIGIT_MODEL, SHIPPED_MODEL, card_path  # noqa: E402
from digits.preprocess import to_mnist  # noqa: E402
from digits.recognize import UNSURE_BELOW, shipped_recognizer  # noqa: E402
from digits.train_judge import energy, top_probability  # noqa: E402

BEGIN, END = "<!-- not-a-digit:begin -->", "<!-- not-a-digit:end -->"
WAYS = ("top probability", "energy", "logistic", "mahalanobis", "cnn", "shipped: the three combined")


def _logits_layer():
    """The digit network's last layer, (K, 10) weights and (10,) bias (reading it starts TensorFlow)."""
    from digits.model import load_model

    weights, bias = load_model(SHIPPED_MODEL).layers[-1].get_weights()
    return weights.astype(np.float64), bias.astype(np.float64)


def scores_of(pictures, layer) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Each way's score (high for digits) of every picture, and whether the network is unsure of it."""
    recognizer = shipped_recognizer()
    batch = np.stack([to_mnist(picture) for picture in pictures])[..., None]
    _, features = recognizer.network.probabilities_and_features(batch)
    logits = features.astype(np.float64) @ layer[0] + layer[1]
    judge = recognizer.judge
    raw = judge.raw_scores(batch, features)
    scores = {
        "top probability": top_probability(logits, recognizer.temperature),
        "energy": energy(logits, recognizer.temperature),
        "logistic": raw[:, 0], "mahalanobis": raw[:, 1], "cnn": raw[:, 2],
        "shipped: the three combined": judge.digit_score(batch, features),
    }
    return scores, scores["top probability"] < UNSURE_BELOW


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", help="rewrite this Markdown file's section between the markers")
    parser.add_argument("--scribbles", type=int, default=1000)
    args = parser.parse_args(argv)
    started = time.time()
    card = json.loads(card_path(NOT_A_DIGIT_MODEL).read_text())
    thresholds = dict(card["thresholds_of_each_way_alone"], **{WAYS[-1]: card["threshold"]})
    layer = _logits_layer()

    sets = {f"real non-digits: {NONDIGITS[0]} (flagged: higher is better)": load_real_set(NONDIGITS[0]).images,
            f"project's own scribbles, n={args.scribbles} (flagged: higher is better)":
                scribbles(args.scribbles, seed=11)}
    labels = {}
    for name in REAL_SETS:
        real = load_real_set(name)
        sets[f"real digits: {name} (flagged: lower is better)"] = real.images
        labels[name] = real.labels
    measured = {name: scores_of(pictures, layer) for name, pictures in sets.items()}

    header = ["set, n", *WAYS]
    rows = []
    for name, (scores, unsure) in measured.items():
        cells = []
        for way in WAYS:
            flagged = (scores[way] < thresholds[way]) | unsure
            cells.append(f"{flagged.mean():.1%}")
        rows.append([f"{name}, n={len(unsure)}", *cells])
    recognizer = shipped_recognizer()
    latency = []
    picture = sets[next(iter(sets))][0]
    for _ in range(300):
        start = time.perf_counter()
        recognizer(picture)
        latency.append((time.perf_counter() - start) * 1000)
    text = (f"Measured {time.strftime('%Y-%m-%d')} on {machine()}; thresholds fixed by `digits.train_judge` on held-out "
            f"training-side digits (at most {card['flags_at_most']:.1%} called not a digit), before these sets were "
            f"measured; the run took {time.time() - started:.0f} s. Flagged = the way says \"not a digit\" or the network "
            f"is unsure (top probability < {UNSURE_BELOW:.0%}).\n\n"
            + table(rows, header=tuple(header))
            + f"\n\n`recognize` with the judge, one 280x280 letter: median {np.median(latency):.2f} ms, "
              f"95th percentile {np.percentile(latency, 95):.2f} ms.\n")
    print(text)
    if args.write:
        write_section(Path(args.write), text, BEGIN, END)


if __name__ == "__main__":
    main()
