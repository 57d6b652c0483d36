"""The writer's exceptions.

Writing happens on a background thread, so a failure there (a full disk, a
log directory deleted under a running job) cannot raise where it happened.
It is kept and raised by the next call on the writer, so that data is never
lost silently: every call after the failure raises until a ``flush()``
succeeds in writing what was kept.
"""

from __future__ import annotations

from heron.errors import HeronError

__all__ = ["SummaryEncodingError", "WriterError"]


class WriterError(HeronError, OSError):
    """Summaries could not be written to disk.

    An ``OSError`` too, with the ``errno`` of the failure (``ENOSPC``,
    ``EFBIG``, ``ENOENT`` ...) and the event file as ``filename``, so code that
    already handles I/O errors handles this one.
    """


class SummaryEncodingError(HeronError, ValueError):
    """A summary accepted by an ``add_*`` call failed to encode on the background thread.

    Inputs are validated on the caller's thread, so this signals a bug in
    Heron; it is raised once, by the next call, and the writer goes on.
    """
