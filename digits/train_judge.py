"""Teaching the recogniser to say "that is not a digit": ``python -m digits.train_judge``.

Fits the `digits.not_a_digit.DigitJudge` of a trained digit network (by default
the shipped one, ``models/digits_cnn.keras``) and writes it beside the network
(`digits.model_files.judge_path`), for the shipped one:

* ``digits_cnn_not_a_digit.onnx`` - a small CNN that tells digits from everything else;
* ``digits_cnn_not_a_digit.npz`` - what the digit network's own features say: a
  logistic head and the class means and shared covariance (for the Mahalanobis
  distance) of its penultimate layer, on digits;
* ``digits_cnn_not_a_digit.json`` - its card: how the three scores are combined,
  the threshold, what it was fitted on and how it scored.

The digit network's card then names the judge, so `Recognizer.from_file` finds it.
`python -m digits.train` runs this after training.

The drawings (all through `to_mnist`, as recognition sees them):

* digits: MNIST's training digits (as they are, in the continental styles of
  `digits.augment`, and as small stored scans, `digits.drawn.scanned_digits`)
  and the pendigits training writers' pen strokes, each drawn twice with
  random pens;
* not digits: `digits.nondigits.nondigit_drawings` (fonts, shapes, scribbles,
  overlaid pen digits). Its outline fonts include the machine's own, so install
  the font packages of `docs/developing.md` first; the card lists the faces used.

The threshold is chosen on digits held out from all of that (MNIST's last 10%
of the training set, the same as scans, and six pendigits writers): the judge
may call at most `FLAG_AT_MOST` of them "not a digit". No dev set is used.
About 6-15 minutes on 2 CPU cores, no GPU.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from ._quiet import import_keras
from .data import load_mnist
from .model_files import SHIPPED_MODEL, card_path, file_sha256, judge_path, read_card
from .nondigits import nondigit_drawings, outline_fonts
from .not_a_digit import FeatureStatistics, fit_logistic
from .pendigits import load_pendigits

FLAG_AT_MOST = 0.005
"""The share of held-out real digits the judge may call "not a digit" (one in 200)."""
HELD_OUT_WRITERS = 6
"""Pendigits training writers kept out of fitting, to choose the threshold on."""
MNIST_DIGITS, STYLED_DIGITS, SCANNED_DIGITS = 20_000, 6000, 6000
"""MNIST training digits to learn from: as they are, in continental styles, as stored scans."""
HELD_OUT_SCANS, HELD_OUT_NONDIGITS = 2000, 5000
"""Stored scans of MNIST's held-out digits, and non-digits, to check the threshold on."""
NONDIGITS = 30_000
"""Non-digit drawings to learn from."""
EPOCHS = 10
"""Epochs of the small CNN."""


def build_judge_cnn():
    """The small second network: (N, 28, 28, 1) in [0, 1] -> (N, 1) logit, above 0 for "a digit"."""
    keras = import_keras()
    layers = keras.layers
    return keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            layers.Conv2D(16, 3, activation="relu"), layers.MaxPooling2D(),
            layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(),
            layers.Conv2D(64, 3, activation="relu"), layers.Flatten(),
            layers.Dropout(0.3), layers.Dense(64, activation="relu"), layers.Dense(1),
        ],
        name="not_a_digit_cnn",
    )


def _as_float(images: np.ndarray) -> np.ndarray:
    images = np.asarray(images)
    scale = 255.0 if images.dtype == np.uint8 else 1.0
    return (images.astype(np.float32) / scale).reshape(-1, 28, 28, 1)


def drawings(seed: int = 0) -> dict[str, np.ndarray]:
    """The digits and non-digits the judge learns from and is checked on, (N, 28, 28, 1) float32 each."""
    from .augment import extra_training_digits, pen_digits_drawn
    from .drawn import enlarged, scanned_digits
    from .preprocess import to_mnist
    from .train import through_to_mnist

    (x_train, y_train), _ = load_mnist()
    fit_end = int(len(x_train) * 0.9)  # the digit network's own validation split
    rng = np.random.default_rng(seed)
    mnist = rng.choice(fit_end, min(MNIST_DIGITS, fit_end), replace=False)
    styled, _ = extra_training_digits(x_train[mnist[:STYLED_DIGITS]], y_train[mnist[:STYLED_DIGITS]], seed=seed)
    scans, _ = scanned_digits(x_train[:fit_end], y_train[:fit_end], SCANNED_DIGITS, seed=seed)
    pen = load_pendigits("train")
    writers = np.asarray(pen.writers)
    held = np.isin(writers, rng.choice(np.unique(writers), HELD_OUT_WRITERS, replace=False))
    kept_pen = [s for s, h in zip(pen.strokes, held) if not h]
    held_pen = [s for s, h in zip(pen.strokes, held) if h]
    val = np.arange(fit_end, len(x_train))
    val_scans, _ = scanned_digits(x_train[val], y_train[val], HELD_OUT_SCANS, seed=seed + 1)
    return {
        "digits": np.concatenate([
            _as_float(through_to_mnist(x_train[mnist])), _as_float(through_to_mnist(styled)),
            np.stack([to_mnist(s) for s in scans])[..., None],
            *(_as_float(pen_digits_drawn(kept_pen, np.zeros(len(kept_pen)), seed=seed + k)[0]) for k in (0, 1)),
        ]),
        "nondigits": nondigit_drawings(NONDIGITS, seed=seed, pen_strokes=kept_pen)[0][..., None],
        "held_out_digits": np.concatenate([
            np.stack([to_mnist(enlarged(x)) for x in x_train[val]])[..., None],
            np.stack([to_mnist(s) for s in val_scans])[..., None],
            *(_as_float(pen_digits_drawn(held_pen, np.zeros(len(held_pen)), seed=seed + k)[0]) for k in (2, 3)),
        ]),
        "held_out_nondigits": nondigit_drawings(HELD_OUT_NONDIGITS, seed=seed + 1, pen_strokes=held_pen)[0][..., None],
    }


def train_cnn(digits_x: np.ndarray, nondigits_x: np.ndarray, seed: int, verbose: int):
    """Fit `build_judge_cnn` on digits (1) against non-digits (0), the classes weighted equally."""
    keras = import_keras()
    layers = keras.layers
    keras.utils.set_random_seed(seed)
    judge = build_judge_cnn()
    augment = keras.Sequential([
        layers.RandomRotation(0.04, fill_mode="constant"), layers.RandomZoom(0.1, fill_mode="constant"),
        layers.RandomTranslation(0.08, 0.08, fill_mode="constant"),
    ])
    trainer = keras.Sequential([keras.Input((28, 28, 1)), augment, judge])
    trainer.compile(optimizer=keras.optimizers.Adam(1e-3), loss=keras.losses.BinaryCrossentropy(from_logits=True))
    x = np.concatenate([digits_x, nondigits_x])
    y = np.concatenate([np.ones(len(digits_x)), np.zeros(len(nondigits_x))]).astype(np.float32)
    weights = np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean())).astype(np.float32)
    trainer.fit(x, y, sample_weight=weights, batch_size=256, epochs=EPOCHS, shuffle=True, verbose=verbose)
    return judge


def fit_judge(model_path: str | Path = SHIPPED_MODEL, output: str | Path | None = None, seed: int = 0,
              verbose: int = 2) -> dict:
    """Fit the judge of the digit network at ``model_path`` and write its three files; return its card.

    ``output``: the judge's ``.onnx`` (default `judge_path` of the network).
    """
    from .model import load_model

    keras = import_keras()
    started = time.time()
    output = Path(output) if output is not None else judge_path(model_path)
    network = load_model(model_path)
    features_of = keras.Model(network.inputs[0], network.layers[-1].input)
    weights, bias = network.layers[-1].get_weights()
    data = drawings(seed)

    def features(x):
        return features_of.predict(x, batch_size=512, verbose=0).astype(np.float64)

    digit_features, nondigit_features = features(data["digits"]), features(data["nondigits"])
    labels = np.argmax(digit_features @ weights + bias, axis=1)  # the network's own reading of each digit
    statistics = FeatureStatistics.fit(digit_features, labels,
                                       fit_logistic(digit_features, nondigit_features))
    cnn = train_cnn(data["digits"], data["nondigits"], seed, verbose)

    def raw_scores(x, x_features):
        return np.column_stack([statistics.logistic(x_features), statistics.mahalanobis(x_features),
                                cnn.predict(x, batch_size=1024, verbose=0)[:, 0]])

    held_features = features(data["held_out_digits"])
    held = raw_scores(data["held_out_digits"], held_features)
    centre, spread = held.mean(axis=0), held.std(axis=0)
    combined = ((held - centre) / spread).mean(axis=1)
    threshold = float(np.quantile(combined, FLAG_AT_MOST))
    nondigit_scores = raw_scores(data["held_out_nondigits"], features(data["held_out_nondigits"]))
    held_nondigits = ((nondigit_scores - centre) / spread).mean(axis=1)
    # The other ways measured (benchmarks/not_a_digit.py), each alone, at the same cost on the same held-out digits.
    logits = held_features @ weights + bias
    temperature = float(read_card(model_path).get("temperature", 1.0))
    alone = {"top probability": top_probability(logits, temperature), "energy": energy(logits, temperature),
             **{name: held[:, k] for k, name in enumerate(("logistic", "mahalanobis", "cnn"))}}

    output.parent.mkdir(parents=True, exist_ok=True)
    statistics.save(output.with_suffix(".npz"))
    cnn(np.zeros((1, 28, 28, 1), np.float32))
    partial = output.with_name(output.name + ".partial")
    cnn.export(str(partial), format="onnx", verbose=False)
    partial.replace(output)
    card = {
        "file": output.name,
        "features_file": output.with_suffix(".npz").name,
        "what": "Decides whether a picture looks like a digit at all: the mean of three standardised scores "
                "(a logistic head on the digit network's penultimate features, minus the Mahalanobis distance "
                "of those features to the nearest digit class, and a small CNN), called 'not a digit' below "
                "the threshold.",
        "scores": ["logistic", "mahalanobis", "cnn"],
        "centre": centre.round(6).tolist(),
        "spread": spread.round(6).tolist(),
        "threshold": round(threshold, 6),
        "flags_at_most": FLAG_AT_MOST,
        "for_network": Path(model_path).name,
        "for_network_sha256": file_sha256(model_path),
        "held_out_digits": int(len(held)),
        "held_out_digits_flagged": round(float(np.mean(combined < threshold)), 4),
        "held_out_nondigits_flagged": round(float(np.mean(held_nondigits < threshold)), 4),
        "thresholds_of_each_way_alone": {name: round(float(np.quantile(score, FLAG_AT_MOST)), 6)
                                         for name, score in alone.items()},
        "training_drawings": {"digits": int(len(data["digits"])), "nondigits": int(len(data["nondigits"]))},
        "fonts": [path.name for path in outline_fonts()],
        "seed": seed,
        "training_seconds": round(time.time() - started, 1),
    }
    card_path(output).write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")
    _point_network_card_at(model_path, output)
    return card


def top_probability(logits: np.ndarray, temperature: float) -> np.ndarray:
    """(N,) the highest calibrated probability, from (N, 10) logits."""
    z = logits / temperature
    z = z - z.max(axis=1, keepdims=True)
    return 1.0 / np.exp(z).sum(axis=1)


def energy(logits: np.ndarray, temperature: float) -> np.ndarray:
    """(N,) minus the free energy of (N, 10) logits (high for digits): T * logsumexp(logits / T)."""
    z = logits / temperature
    top = z.max(axis=1)
    return temperature * (top + np.log(np.exp(z - top[:, None]).sum(axis=1)))


def _point_network_card_at(model_path, judge_path: Path) -> None:
    """Record the judge in the digit network's own card (only when they live in one folder)."""
    card_file = card_path(model_path)
    if card_file.is_file() and Path(judge_path).parent.resolve() == Path(model_path).parent.resolve():
        card = read_card(model_path)
        card["not_a_digit"] = {"file": Path(judge_path).name}
        card_file.write_text(json.dumps(card, indent=2) + "\n", encoding="utf-8")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m digits.train_judge", description=__doc__.split("\n")[0])
    parser.add_argument("--model", default=str(SHIPPED_MODEL), help="the digit network (.keras) to judge for")
    parser.add_argument("--output", help="the judge's .onnx file (default: beside the model)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    card = fit_judge(args.model, args.output, args.seed)
    print(f"Wrote {card['file']} in {card['training_seconds']:.0f} s: it calls "
          f"{card['held_out_digits_flagged']:.2%} of held-out digits and "
          f"{card['held_out_nondigits_flagged']:.1%} of held-out non-digit drawings 'not a digit'.")


if __name__ == "__main__":
    main()
