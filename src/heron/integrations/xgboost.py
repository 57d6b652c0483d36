"""``HeronCallback``: every XGBoost evaluation metric, per boosting round.

Each evaluation set (``evals=[(dtrain, "train"), (dvalid, "validation")]`` or
the scikit-learn API's ``validation_0``, ...) becomes a run
``<log_dir>/<set name>``, and each metric a tag named as XGBoost names it
(``rmse``, ``mlogloss``, ``auc``...), so the dashboard overlays training and
validation curves of one metric on one chart, as for Keras. The step is the
boosting round. Importing this module imports xgboost (the callback must
subclass its ``TrainingCallback``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from heron.writer import SummaryWriter

if TYPE_CHECKING:
    _TrainingCallback = object
else:
    from xgboost.callback import TrainingCallback as _TrainingCallback

__all__ = ["HeronCallback"]


class HeronCallback(_TrainingCallback):
    """Logs the last value of every metric of every evaluation set after each round."""

    def __init__(self, log_dir: str | os.PathLike[str] = "logs") -> None:
        super().__init__()
        self.log_dir = os.fspath(log_dir)
        self._writers: dict[str, SummaryWriter] = {}

    def writer(self, name: str) -> SummaryWriter:
        """The run of one evaluation set."""
        found = self._writers.get(name)
        if found is None:
            found = self._writers[name] = SummaryWriter(os.path.join(self.log_dir, name))
        return found

    def after_iteration(
        self, model: Any, epoch: int, evals_log: Mapping[str, Mapping[str, Sequence[Any]]]
    ) -> bool:
        for data, metrics in evals_log.items():
            for metric, history in metrics.items():
                if not history:
                    continue
                last = history[-1]
                # With cross-validation (xgboost.cv) an entry is (mean, std): log the mean.
                value = last[0] if isinstance(last, tuple) else last
                self.writer(data).add_scalar(metric, float(value), epoch)
        return False  # never ask XGBoost to stop

    def after_training(self, model: Any) -> Any:
        for writer in self._writers.values():
            writer.close()
        return model
