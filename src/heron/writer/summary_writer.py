"""``SummaryWriter``: the drop-in for ``torch.utils.tensorboard`` and tensorboardX.

Same names, arguments, defaults and file layout as PyTorch's writer; the
differences and Heron's extras are listed in docs/python-api.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from heron.formats.proto.summary_pb2 import Summary
from heron.formats.summaries import histograms, table, text
from heron.formats.summaries.html import html as html_value
from heron.formats.summaries.images import encode_png
from heron.formats.summaries.tensor import tensor as tensor_value
from heron.writer import inputs
from heron.writer.charts import ChartMethods
from heron.writer.images import to_uint8
from heron.writer.tables import capture_table

__all__ = ["SummaryWriter"]

_BIN_RULES = frozenset(
    {"tensorflow", "auto", "fd", "doane", "scott", "stone", "rice", "sturges", "sqrt"}
)


class SummaryWriter(ChartMethods):
    """Writes TensorBoard event files without slowing the training loop.

    ``SummaryWriter(log_dir=None, comment="", purge_step=None, max_queue=10,
    flush_secs=120, filename_suffix="")`` takes PyTorch's arguments with their
    meaning: ``log_dir`` defaults to ``runs/<date>_<host><comment>``;
    ``purge_step`` tells readers to drop what a crashed attempt logged from that
    step on; data reaches the disk once ``max_queue`` items wait, every
    ``flush_secs`` seconds, and on ``flush()`` / ``close()``.

    Calls only capture their data; a background thread encodes and writes it.
    When ``max_pending`` items (or ``max_pending_bytes`` of captured arrays) are
    waiting, calls wait for room instead of dropping anything. A write that
    fails (full disk, deleted directory) raises ``WriterError`` from the next
    call. The writer may be shared by threads, survives ``fork()`` (the child
    writes its own file) and writes what is queued at exit.
    """

    def __init__(
        self,
        log_dir: Any = None,
        comment: str = "",
        purge_step: int | None = None,
        max_queue: int = 10,
        flush_secs: float = 120,
        filename_suffix: str = "",
        *,
        max_pending: int = 100_000,
        max_pending_bytes: int = 256 << 20,
    ) -> None:
        super().__init__(
            log_dir,
            comment,
            purge_step,
            max_queue,
            flush_secs,
            filename_suffix,
            max_pending=max_pending,
            max_pending_bytes=max_pending_bytes,
        )

    # ---- histograms --------------------------------------------------------------------

    def add_histogram(
        self,
        tag: str,
        values: Any,
        global_step: Any = None,
        bins: str | int | Sequence[float] = "tensorflow",
        walltime: float | None = None,
        max_bins: int | None = None,
    ) -> None:
        """Log the distribution of ``values`` (any shape; NaN and infinities are errors).

        ``bins``: ``"tensorflow"`` (TensorFlow's exponential buckets, the
        default), a ``numpy.histogram`` rule (``"auto"``, ``"fd"``...), a bucket
        count, or bucket edges; ``max_bins`` merges adjacent buckets down to at most that many.
        """
        inputs.check_tag(tag)
        data = inputs.to_numpy(values)
        if data.dtype.kind not in "biuf":
            raise TypeError(f"histogram values must be real numbers, got dtype {data.dtype}")
        data = data.astype(float)
        if data.size == 0:
            raise ValueError(f"add_histogram({tag!r}): no values")
        bad = inputs.non_finite(data)
        if bad:
            raise ValueError(
                f"add_histogram({tag!r}): {bad} of {data.size} values are NaN or infinite"
            )
        bin_spec = _check_bins(bins)
        if max_bins is not None and max_bins < 1:
            raise ValueError(f"max_bins must be at least 1, got {max_bins}")

        def build() -> list[Summary.Value]:
            table_rows = histograms.histogram_table(data, bin_spec, max_bins=max_bins)
            return [histograms.histogram_value(tag, table_rows)]

        self._submit(
            f"histogram {tag!r}",
            build,
            global_step=global_step,
            walltime=walltime,
            nbytes=data.nbytes,
        )

    def add_histogram_raw(
        self,
        tag: str,
        min: float,
        max: float,
        num: float,
        sum: float,
        sum_squares: float,
        bucket_limits: Any,
        bucket_counts: Any,
        global_step: Any = None,
        walltime: float | None = None,
    ) -> None:
        """Log a histogram already bucketed: ``bucket_limits[i]`` is bucket i's right edge."""
        inputs.check_tag(tag)
        limits = [float(v) for v in inputs.to_numpy(bucket_limits).reshape(-1).tolist()]
        counts = [float(v) for v in inputs.to_numpy(bucket_counts).reshape(-1).tolist()]
        if len(limits) != len(counts):
            raise ValueError("len(bucket_limits) != len(bucket_counts)")
        stats = [float(inputs.scalar(v)) for v in (min, max, num, sum, sum_squares)]

        def build() -> list[Summary.Value]:
            low, high, count, total, squares = stats
            return [
                histograms.legacy_histogram(
                    tag,
                    min=low,
                    max=high,
                    num=count,
                    sum=total,
                    sum_squares=squares,
                    bucket_limits=limits,
                    bucket_counts=counts,
                )
            ]

        self._submit(f"histogram {tag!r}", build, global_step=global_step, walltime=walltime)

    # ---- text, tensors, HTML, tables -----------------------------------------------------

    def add_text(
        self, tag: str, text_string: str, global_step: Any = None, walltime: float | None = None
    ) -> None:
        """Log Markdown text, under ``<tag>/text_summary`` as PyTorch does."""
        inputs.check_tag(tag)
        if not isinstance(text_string, str):
            raise TypeError(f"text_string must be a str, got {type(text_string).__name__}")
        full_tag = f"{tag}/text_summary"
        value = text.text(full_tag, text_string, shape=(1,))
        self._submit(f"text {tag!r}", lambda: [value], global_step=global_step, walltime=walltime)

    def add_tensor(
        self, tag: str, tensor: Any, global_step: Any = None, walltime: float | None = None
    ) -> None:
        """Log a whole tensor (plugin ``tensor``; no TensorBoard dashboard shows it)."""
        inputs.check_tag(tag)
        array = inputs.to_numpy(tensor)
        if array.nbytes >= 1 << 31:
            raise ValueError("tensor is bigger than protocol buffers' 2 GB limit")

        def build() -> list[Summary.Value]:
            return [tensor_value(tag, array)]

        self._submit(
            f"tensor {tag!r}",
            build,
            global_step=global_step,
            walltime=walltime,
            nbytes=array.nbytes,
        )

    def add_html(
        self, tag: str, html: str, global_step: Any = None, walltime: float | None = None
    ) -> None:
        """Log an HTML fragment (Heron shows it sanitised; TensorBoard ignores it)."""
        inputs.check_tag(tag)
        if not isinstance(html, str):
            raise TypeError(f"html must be a str, got {type(html).__name__}")
        value = html_value(tag, html)
        self._submit(f"html {tag!r}", lambda: [value], global_step=global_step, walltime=walltime)

    def add_table(
        self,
        tag: str,
        rows: Any,
        global_step: Any = None,
        walltime: float | None = None,
        *,
        columns: Sequence[str] | None = None,
    ) -> None:
        """Log a table: a list of rows (lists or dicts), a dict of columns, or a DataFrame.

        Cells are text, numbers, bools, None or images (PIL images, figures,
        ``TableImage``). Heron shows it; TensorBoard ignores it.
        """
        inputs.check_tag(tag)
        captured = capture_table(rows, columns)

        def build() -> list[Summary.Value]:
            encoded = [encode_png(to_uint8(pixels)) for pixels in captured.images]
            return [table.table(tag, captured.columns, captured.rows, images=encoded)]

        self._submit(
            f"table {tag!r}",
            build,
            global_step=global_step,
            walltime=walltime,
            nbytes=captured.nbytes,
        )


def _check_bins(bins: Any) -> Any:
    import numpy as np

    if isinstance(bins, str):
        if bins not in _BIN_RULES:
            raise ValueError(
                f"bins must be one of {sorted(_BIN_RULES)}, a count or edges; got {bins!r}"
            )
        return bins
    if isinstance(bins, int | np.integer):
        if bins < 1:
            raise ValueError(f"bins must be at least 1, got {bins}")
        return int(bins)
    edges = inputs.to_numpy(bins).astype(float).reshape(-1)
    if edges.size < 2 or not (np.diff(edges) > 0).all():
        raise ValueError("bin edges must be at least two strictly increasing numbers")
    return edges
