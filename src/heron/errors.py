"""Heron's exceptions: the only ones its readers raise on bad input.

Every layer may import this module; it imports nothing of Heron. Callers catch
``HeronError`` to handle anything Heron reports, or a subclass to handle one
kind of problem.
"""

from __future__ import annotations

__all__ = [
    "CorruptRecordError",
    "FormatError",
    "FramingError",
    "HeronError",
    "InvalidArgumentError",
    "NotFoundError",
]


class HeronError(Exception):
    """Base of every error Heron raises on purpose."""


class FormatError(HeronError):
    """Bytes that are not what the TensorBoard event-file format promises."""


class FramingError(FormatError):
    """A record header is damaged, so nothing after it in the file can be framed.

    Raised when the masked CRC32C of a record's length does not match: the
    length cannot be trusted, and record boundaries after it are unknown.
    """

    def __init__(self, path: str, offset: int, reason: str) -> None:
        super().__init__(f"{path}: cannot frame the record at byte {offset}: {reason}")
        self.path = path
        self.offset = offset
        self.reason = reason


class CorruptRecordError(FormatError):
    """One record failed its payload check; the records around it are intact.

    Readers do not raise this: they skip the record and report an instance of
    it (see ``heron.formats.tfrecord.RecordReader.corruptions``), so that one
    flipped bit never hides the rest of a file.
    """

    def __init__(self, path: str, offset: int, length: int, reason: str) -> None:
        super().__init__(f"{path}: record at byte {offset} ({length} bytes) skipped: {reason}")
        self.path = path
        self.offset = offset
        self.length = length
        self.reason = reason


class NotFoundError(HeronError, LookupError):
    """A run, series or blob that a reader asked for does not exist (HTTP 404)."""


class InvalidArgumentError(HeronError, ValueError):
    """A request is malformed: a bad parameter value or combination (HTTP 400)."""
