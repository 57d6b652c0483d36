"""Calls that describe the model and the run rather than a time series.

``add_graph`` / ``add_onnx_graph`` (the op graph), ``add_embedding`` (projector
files) and ``add_hparams`` (the HParams dashboard's session records).
"""

from __future__ import annotations

import os
import time
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

from heron.formats.proto.event_pb2 import Event
from heron.formats.summaries.graphs import graph_def, graph_events
from heron.formats.summaries.scalars import legacy_scalar
from heron.writer import inputs
from heron.writer.hparams import capture_hparams
from heron.writer.media import MediaMethods
from heron.writer.pipeline import Output
from heron.writer.projector import Embedding, ProjectorFiles, check_embedding, embedding_dir

__all__ = ["ModelMethods"]


class ModelMethods(MediaMethods):
    """``add_graph``, ``add_onnx_graph``, ``add_embedding``, ``add_hparams``."""

    _projector: ProjectorFiles | None = None

    def add_graph(
        self,
        model: Any,
        input_to_model: Any = None,
        verbose: bool = False,
        use_strict_trace: bool = True,
    ) -> None:
        """Trace ``model`` on ``input_to_model`` (a tensor or a tuple of them); log its op graph.

        The trace runs now, on this thread, in eval mode (the model's mode is
        restored); ``use_strict_trace=False`` lets the tracer record mutable
        containers (lists, dicts).
        """
        from heron.writer.torch_graph import trace_graph

        nodes = trace_graph(model, input_to_model, strict=use_strict_trace, verbose=verbose)
        wall = time.time()

        def write(out: Output) -> None:
            for event in graph_events(graph_def(nodes), wall_time=wall):
                out.event(None, event)

        self._submit_action("the model graph", write)

    def add_onnx_graph(self, prototxt: str | os.PathLike[str]) -> None:
        """Log the op graph of an ONNX model file (needs the ``onnx`` package)."""
        from heron.writer.onnx_graph import onnx_graph

        graph = onnx_graph(prototxt)
        event = Event(wall_time=time.time(), graph_def=graph.SerializeToString())

        def write(out: Output) -> None:
            out.event(None, event)

        self._submit_action("the ONNX graph", write)

    def add_embedding(
        self,
        mat: Any,
        metadata: Sequence[Any] | None = None,
        label_img: Any = None,
        global_step: Any = None,
        tag: str = "default",
        metadata_header: Sequence[str] | None = None,
    ) -> None:
        """Log points ``mat`` ``[N, D]`` for the embedding projector, with labels and thumbnails.

        ``metadata`` holds one label per point (or, with ``metadata_header``,
        one row of cells); ``label_img`` is ``[N, C, H, W]``. The files go to
        ``<log_dir>/<step>/<tag>/``; the projector's config lists every call.
        """
        if not isinstance(tag, str):
            raise TypeError(f"tag must be a str, got {type(tag).__name__}")
        step = inputs.step(global_step)
        matrix = inputs.to_numpy(mat)
        images = None if label_img is None else inputs.to_numpy(label_img)
        rows = None if metadata is None else list(metadata)
        header = None if metadata_header is None else [str(name) for name in metadata_header]
        check_embedding(matrix, rows, header, images)
        directory = os.path.join(self.log_dir, *embedding_dir(tag, step).split("/"))
        if os.path.exists(directory):
            if not os.path.isdir(directory):
                raise NotADirectoryError(f"{directory} exists and is not a directory")
            warnings.warn(
                f"add_embedding: {directory} exists and is overwritten "
                "(set global_step to keep both)",
                stacklevel=2,
            )
        embedding = Embedding(tag, step, matrix, rows, header, images)
        with self._state_lock:
            if self._projector is None:
                self._projector = ProjectorFiles(self.log_dir)
            projector = self._projector

        def write(out: Output) -> None:
            projector.write(embedding, out)

        self._submit_action(f"embedding {tag!r}", write, embedding.nbytes)

    def add_hparams(
        self,
        hparam_dict: Mapping[str, Any],
        metric_dict: Mapping[str, Any],
        hparam_domain_discrete: Mapping[str, Sequence[Any]] | None = None,
        run_name: str | None = None,
        global_step: Any = None,
        *,
        own_run: bool = False,
    ) -> None:
        """Log a session of the HParams dashboard: these hyperparameters and these metrics.

        As in PyTorch, the session is a sub-run ``<log_dir>/<run_name>``
        (``run_name`` defaults to the current time) holding the hyperparameters
        and one point per metric. With ``own_run=True`` (or ``run_name="."``)
        the session is this writer's own run instead, so the dashboard shows
        the hyperparameters next to the scalars logged here; a metric given as
        None is declared without adding a point (its value is the last point of
        the scalars logged under that tag).
        """
        captured = capture_hparams(hparam_dict, metric_dict, hparam_domain_discrete)
        step = inputs.step(global_step)
        wall = time.time()
        if own_run or run_name == ".":
            run_dir: str | None = None
        else:
            run_dir = os.path.join(self.log_dir, run_name or str(time.time()))

        def write(out: Output) -> None:
            for value in captured.summaries(wall_time=wall):
                out.summary(run_dir, [value], step, wall)
            for tag, number in captured.points:
                out.summary(run_dir, [legacy_scalar(tag, float(number))], step, wall)
            if run_dir is not None:
                out.end_run(run_dir)

        self._submit_action("hparams", write)
