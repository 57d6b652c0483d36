"""XGBoost with Heron: every evaluation metric of every evaluation set, per boosting round.

Fits a gradient-boosted classifier on scikit-learn's digits with
``heron.integrations.xgboost.HeronCallback``; the training and validation
curves of each metric overlay on one chart.

    python examples/xgboost_callback.py --logdir logs/xgboost
    heron --logdir logs/xgboost
"""

from __future__ import annotations

import argparse

import xgboost
from sklearn.datasets import load_digits

from heron.integrations.xgboost import HeronCallback


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logdir", default="logs/xgboost")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()

    digits = load_digits()
    train = xgboost.DMatrix(digits.data[:1400], digits.target[:1400])
    valid = xgboost.DMatrix(digits.data[1400:], digits.target[1400:])
    xgboost.train(
        {"objective": "multi:softprob", "num_class": 10, "max_depth": 3,
         "eval_metric": ["mlogloss", "merror"]},
        train,
        num_boost_round=args.rounds,
        evals=[(train, "train"), (valid, "validation")],
        callbacks=[HeronCallback(args.logdir)],
        verbose_eval=False,
    )  # fmt: skip
    print(f"logged to {args.logdir}; view with: heron --logdir {args.logdir}")


if __name__ == "__main__":
    main()
