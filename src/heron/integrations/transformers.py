"""``HeronCallback``: a Hugging Face ``Trainer`` logs to Heron.

It logs what Transformers' own ``TensorBoardCallback`` logs, under the same
tags, so dashboards and scripts carry over: every number of ``Trainer.log``
at the global step (``train/loss``, ``train/learning_rate``,
``train/grad_norm``; evaluation as ``eval/...``, predictions as ``test/...``),
strings as text, and at the start the training arguments (``args``) and the
model config (``model_config``) as text. Only the main process logs. Pass
``report_to="none"`` to the ``TrainingArguments`` so that Transformers does
not also start its own TensorBoard writer. Importing this module imports
transformers (the callback must subclass its ``TrainerCallback``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from heron.writer import SummaryWriter
from heron.writer.base import default_log_dir

if TYPE_CHECKING:
    _TrainerCallback = object
else:
    from transformers import TrainerCallback as _TrainerCallback

__all__ = ["HeronCallback", "log_tag"]

_PREFIXES = (("eval_", "eval/"), ("test_", "test/"))


def log_tag(key: str) -> str:
    """The tag of a ``Trainer.log`` key, as Transformers' TensorBoard callback names it."""
    for prefix, group in _PREFIXES:
        if key.startswith(prefix):
            return group + key[len(prefix) :]
    return "train/" + key


class HeronCallback(_TrainerCallback):
    """Writes the Trainer's logs to ``log_dir`` (default ``<output_dir>/runs/<date>_<host>``)."""

    def __init__(
        self, log_dir: str | os.PathLike[str] | None = None, *, writer: SummaryWriter | None = None
    ) -> None:
        super().__init__()
        self.log_dir = None if log_dir is None else os.fspath(log_dir)
        self.writer = writer

    def _writer(self, args: Any, state: Any) -> SummaryWriter:
        if self.writer is None:
            log_dir = self.log_dir or os.path.join(args.output_dir, default_log_dir())
            trial = getattr(state, "trial_name", None)
            if getattr(state, "is_hyper_param_search", False) and trial is not None:
                log_dir = os.path.join(log_dir, str(trial))  # one run per search trial
            self.writer = SummaryWriter(log_dir)
        return self.writer

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if not state.is_world_process_zero:
            return
        writer = self._writer(args, state)
        writer.add_text("args", args.to_json_string())
        config = getattr(kwargs.get("model"), "config", None)
        if config is not None:
            writer.add_text("model_config", config.to_json_string())

    def on_log(
        self,
        args: Any,
        state: Any,
        control: Any,
        logs: Mapping[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        if not state.is_world_process_zero or not logs:
            return
        writer = self._writer(args, state)
        for key, value in logs.items():
            tag = log_tag(key)
            if isinstance(value, bool):
                writer.add_scalar(tag, int(value), state.global_step)
            elif isinstance(value, int | float):
                writer.add_scalar(tag, value, state.global_step)
            elif isinstance(value, str):
                writer.add_text(tag, value, state.global_step)
        writer.flush()

    def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if self.writer is not None:
            self.writer.close()
