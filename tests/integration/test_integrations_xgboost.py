"""heron.integrations.xgboost.HeronCallback: every evaluation metric of every set, per round."""

import pytest

from ._series import scalar_values, series_of

xgboost = pytest.importorskip("xgboost")
np = pytest.importorskip("numpy")


def _data(seed):
    rng = np.random.default_rng(seed)
    features = rng.normal(size=(200, 5))
    return features, (features[:, 0] + 0.5 * features[:, 1] > 0).astype(int)


def test_callback_logs_each_metric_of_each_evaluation_set_per_round(tmp_path):
    from heron.integrations.xgboost import HeronCallback

    (x_train, y_train), (x_valid, y_valid) = _data(0), _data(1)
    train, valid = xgboost.DMatrix(x_train, y_train), xgboost.DMatrix(x_valid, y_valid)
    history = {}
    xgboost.train(
        {"objective": "binary:logistic", "eval_metric": ["logloss", "auc"], "max_depth": 2},
        train,
        num_boost_round=5,
        evals=[(train, "train"), (valid, "validation")],
        evals_result=history,
        callbacks=[HeronCallback(tmp_path / "logs")],
        verbose_eval=False,
    )
    logdir, db = tmp_path / "logs", tmp_path / "index.db"
    found = series_of(logdir, db)
    assert set(found) == {(run, metric) for run in ("train", "validation")
                          for metric in ("logloss", "auc")}  # fmt: skip
    assert set(found.values()) == {("scalars", 5, 4)}
    logged = scalar_values(logdir, db, "validation", "logloss")
    assert [step for step, _ in logged] == [0, 1, 2, 3, 4]
    assert [value for _, value in logged] == pytest.approx(history["validation"]["logloss"])


def test_callback_works_with_the_scikit_learn_api(tmp_path):
    from heron.integrations.xgboost import HeronCallback

    x_train, y_train = _data(0)
    model = xgboost.XGBClassifier(
        n_estimators=3, max_depth=2, eval_metric="error", callbacks=[HeronCallback(tmp_path)]
    )
    model.fit(x_train, y_train, eval_set=[(x_train, y_train)], verbose=False)
    assert series_of(tmp_path, tmp_path / "index.db") == {
        ("validation_0", "error"): ("scalars", 3, 2)
    }
