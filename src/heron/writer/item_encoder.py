"""One round of the writer's background thread: queued items, in order, into file buffers.

``pipeline`` decides *when* a round runs (timer, backlog, flush, close) and who
may run it; this module is *what* a round does to the items it took: runs of
packed scalars are encoded in one call, a deferred device scalar is read
(waiting for its GPU work), each ``Task`` runs against the run files, and flush
markers are set aside to be answered once the bytes are written. It also
decides how a failing task is reported, which is the error contract users see:

* an event-file write (``WriterError``) is kept and retried by ``flush()``;
* an asset file (the projector's) that cannot be written is reported, not retried;
* anything else is the data's fault: a ``SummaryEncodingError`` naming the call.

Keeping this apart leaves ``pipeline`` with the threading alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from heron.writer.errors import SummaryEncodingError, WriterError
from heron.writer.queue_items import Marker, Task
from heron.writer.run_files import RunFiles
from heron.writer.scalar_records import ITEM, encode_scalar_records

__all__ = ["ItemEncoder"]


class Fail(Protocol):
    """The pipeline's failure sink: ``sticky`` failures are kept until a retry works."""

    def __call__(self, error: BaseException, *, sticky: bool) -> None: ...


class ItemEncoder:
    """Encodes the items of one round into ``files``' per-run buffers (written by the caller).

    ``heads`` is the pipeline's own list of scalar heads (it grows as tags
    register); ``tag_of`` names a head's tag for error messages.
    """

    __slots__ = ("_fail", "_files", "_heads", "_tag_of")

    def __init__(
        self,
        files: RunFiles,
        heads: list[bytes],
        *,
        tag_of: Callable[[int], str],
        fail: Fail,
    ) -> None:
        self._files = files
        self._heads = heads
        self._tag_of = tag_of
        self._fail = fail

    def encode(self, items: list[object], markers: list[Marker]) -> int:
        """Encode ``items`` in order; append their markers; return the task bytes released."""
        freed = 0
        scalars: list[bytes] = []
        for item in items:
            kind = type(item)
            if kind is bytes:
                scalars.append(item)  # type: ignore[arg-type]
                continue
            if kind is tuple:
                packed = self._resolve(item)  # type: ignore[arg-type]
                if packed:
                    scalars.append(packed)
                continue
            if scalars:
                self._encode_scalars(scalars)
                scalars = []
            if isinstance(item, Marker):
                markers.append(item)
                continue
            task: Task = item  # type: ignore[assignment]
            freed += task.nbytes
            self._run(task)
        if scalars:
            self._encode_scalars(scalars)
        return freed

    def _run(self, task: Task) -> None:
        try:
            task.run(self._files)
        except WriterError as error:  # an event file: kept, retried by flush()
            self._fail(error, sticky=True)
        except OSError as error:  # an asset file (projector): reported, not retried
            lost = WriterError(
                error.errno or 0, f"could not write {task.label}: {error}", error.filename
            )
            self._fail(lost, sticky=False)
        except Exception as error:
            failure = SummaryEncodingError(f"could not encode {task.label}: {error}")
            failure.__cause__ = error
            self._fail(failure, sticky=False)

    def _resolve(self, item: tuple[int, object, int, float]) -> bytes:
        """Read a deferred device scalar (waiting for its GPU work) and pack it."""
        index, value, step, wall = item
        try:
            return ITEM.pack(index, float(value), step, wall)  # type: ignore[arg-type]
        except Exception as error:
            failure = SummaryEncodingError(
                f"could not read a scalar for {self._tag_of(index)!r}: {error}"
            )
            failure.__cause__ = error
            self._fail(failure, sticky=False)
            return b""

    def _encode_scalars(self, items: list[bytes]) -> None:
        self._files.records(None, encode_scalar_records(self._heads, b"".join(items)))
