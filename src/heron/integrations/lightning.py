"""``HeronLogger``: PyTorch Lightning's ``TensorBoardLogger``, without TensorBoard installed.

Same arguments, directory layout (``<save_dir>/<name>/version_<n>[/<sub_dir>]``),
tags, ``hp_metric`` convention and ``hparams.yaml`` as Lightning's logger, so
that runs, scripts and checkpoints find things where they used to be; the
writer is ``heron.SummaryWriter`` (``logger.experiment``), and hyperparameters
are logged into the run itself for the HParams dashboard. Only the global
rank zero writes. Importing this module imports Lightning (``lightning``, or
the older ``pytorch_lightning`` package when that is the one installed).
"""

from __future__ import annotations

import importlib
import os
from argparse import Namespace
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from heron.writer import SummaryWriter

if TYPE_CHECKING:
    _Logger = object

    def _rank_zero_only(function: Any) -> Any:
        return function
else:
    try:
        from lightning.pytorch.loggers import Logger as _Logger
        from lightning.pytorch.utilities import rank_zero_only as _rank_zero_only
    except ImportError:
        from pytorch_lightning.loggers import Logger as _Logger
        from pytorch_lightning.utilities import rank_zero_only as _rank_zero_only

__all__ = ["HeronLogger"]

_HPARAMS_FILE = "hparams.yaml"


def _lightning_module(name: str) -> Any:
    """A submodule of whichever Lightning package provided the base class."""
    modern = _Logger.__module__.startswith("lightning.")
    root = "lightning.pytorch" if modern else "pytorch_lightning"
    return importlib.import_module(f"{root}.{name}")


def _fabric_logger() -> Any:
    """Lightning's parameter helpers (flattening, Namespace conversion), from either package."""
    try:
        return importlib.import_module("lightning.fabric.utilities.logger")
    except ImportError:
        return importlib.import_module("lightning_fabric.utilities.logger")


def _hparam_value(value: Any) -> Any:
    """A value the HParams dashboard can show: bool, number or string (anything else as text)."""
    if isinstance(value, bool | int | float | str):
        return value
    item = getattr(value, "item", None)
    if callable(item) and getattr(value, "ndim", 1) == 0:
        return _hparam_value(item())
    return str(value)


class HeronLogger(_Logger):
    """Logs a Lightning ``Trainer`` to ``<save_dir>/<name>/version_<n>``.

    ``log_graph=True`` traces the model's ``example_input_array`` into the
    Graphs dashboard; ``default_hp_metric`` logs ``hp_metric = -1`` with the
    hyperparameters (Lightning's convention: log the real ``hp_metric`` yourself);
    ``prefix`` is put before every metric name; ``writer_kwargs`` go to the
    ``SummaryWriter`` (``flush_secs``, ``max_queue``...).
    """

    NAME_HPARAMS_FILE = _HPARAMS_FILE
    LOGGER_JOIN_CHAR = "-"

    def __init__(
        self,
        save_dir: str | os.PathLike[str],
        name: str | None = "lightning_logs",
        version: int | str | None = None,
        log_graph: bool = False,
        default_hp_metric: bool = True,
        prefix: str = "",
        sub_dir: str | os.PathLike[str] | None = None,
        **writer_kwargs: Any,
    ) -> None:
        super().__init__()
        self._save_dir = os.fspath(save_dir)
        self._name = name or ""
        self._version = version
        self._log_graph = log_graph
        self._default_hp_metric = default_hp_metric
        self._prefix = prefix
        self._sub_dir = None if sub_dir is None else os.fspath(sub_dir)
        self._writer_kwargs = writer_kwargs
        self._experiment: SummaryWriter | None = None
        self.hparams: dict[str, Any] = {}

    @property
    def name(self) -> str:
        return self._name

    @property
    def version(self) -> int | str:
        """The version given, else one more than the highest ``version_<n>`` already there."""
        if self._version is None:
            self._version = self._next_version()
        return self._version

    @property
    def root_dir(self) -> str:
        return os.path.join(self._save_dir, self._name)

    @property
    def save_dir(self) -> str:
        return self._save_dir

    @property
    def sub_dir(self) -> str | None:
        return self._sub_dir

    @property
    def log_dir(self) -> str:
        version = self.version if isinstance(self.version, str) else f"version_{self.version}"
        log_dir = os.path.join(self.root_dir, version)
        if self._sub_dir is not None:
            log_dir = os.path.join(log_dir, self._sub_dir)
        return os.path.expanduser(os.path.expandvars(log_dir))

    @property
    def experiment(self) -> SummaryWriter:
        """The run's ``heron.SummaryWriter``, for anything beyond metrics (images, figures...)."""
        if self._experiment is None:
            self._experiment = SummaryWriter(self.log_dir, **self._writer_kwargs)
        return self._experiment

    @_rank_zero_only
    def log_metrics(self, metrics: Mapping[str, Any], step: int | None = None) -> None:
        for key, value in metrics.items():
            tag = f"{self._prefix}{self.LOGGER_JOIN_CHAR}{key}" if self._prefix else key
            if isinstance(value, Mapping):
                self.experiment.add_scalars(tag, dict(value), step)
            else:
                self.experiment.add_scalar(tag, value, step)

    @_rank_zero_only
    def log_hyperparams(
        self,
        params: Mapping[str, Any] | Namespace,
        metrics: Mapping[str, Any] | float | None = None,
        step: int | None = None,
    ) -> None:
        """Record hyperparameters (nested dicts flattened to ``a/b``) and what they scored."""
        fabric_logger = _fabric_logger()
        converted = fabric_logger._convert_params(params)
        self.hparams.update(converted)
        flat = fabric_logger._flatten_dict(converted)
        values = {key: _hparam_value(value) for key, value in flat.items() if value is not None}
        if metrics is None:
            if not self._default_hp_metric:
                return
            metrics = {"hp_metric": -1}
        elif not isinstance(metrics, Mapping):
            metrics = {"hp_metric": metrics}
        self.experiment.add_hparams(values, dict(metrics), global_step=step, own_run=True)

    @_rank_zero_only
    def log_graph(self, model: Any, input_array: Any = None) -> None:
        if not self._log_graph:
            return
        example = input_array
        if example is None:
            example = getattr(model, "example_input_array", None)
        if example is None:
            return  # Lightning's logger warns and skips too; there is nothing to trace with
        transfer = getattr(model, "_apply_batch_transfer_handler", None)
        before = getattr(model, "_on_before_batch_transfer", None)
        if callable(transfer) and callable(before):
            example = transfer(before(example))
        self.experiment.add_graph(model, example)

    @_rank_zero_only
    def save(self) -> None:
        """Flush, and write ``hparams.yaml`` beside the event files once, as Lightning does."""
        if self._experiment is None:
            return
        self._experiment.flush()
        hparams_file = os.path.join(self.log_dir, _HPARAMS_FILE)
        if os.path.isdir(self.log_dir) and not os.path.isfile(hparams_file):
            saving = _lightning_module("core.saving")
            saving.save_hparams_to_yaml(hparams_file, self.hparams)

    @_rank_zero_only
    def finalize(self, status: str) -> None:
        if self._experiment is not None:
            if status == "success":
                self.save()
            self._experiment.close()

    def after_save_checkpoint(self, checkpoint_callback: Any) -> None:
        """Checkpoints stay where Lightning puts them (under ``log_dir``); nothing to log."""

    def _next_version(self) -> int:
        try:
            entries = os.listdir(self.root_dir)
        except OSError:
            return 0
        versions = [
            int(entry[len("version_") :])
            for entry in entries
            if entry.startswith("version_")
            and entry[len("version_") :].isdigit()
            and os.path.isdir(os.path.join(self.root_dir, entry))
        ]
        return max(versions, default=-1) + 1

    def __getstate__(self) -> dict[str, Any]:
        """Pickled into spawned workers without the writer (its thread cannot travel)."""
        state = self.__dict__.copy()
        state["_experiment"] = None
        return state
