"""Single records of event files, found again by (offset, length, CRC).

Used twice: to recognise a file that was replaced (is the last record we
consumed still there, byte for byte?), and, as the store's ``RecordSource``,
to fetch a blob the index keeps by reference.
"""

from __future__ import annotations

import contextlib
from typing import BinaryIO

from heron.errors import FormatError, NotFoundError
from heron.formats.tfrecord import FOOTER_SIZE, HEADER_SIZE, RecordReader, masked_crc32c
from heron.ingest.remote import is_remote, open_remote
from heron.storage.batch import RecordCheck

__all__ = ["EventFileRecords", "record_check"]


def record_check(offset: int, payload: bytes) -> RecordCheck:
    return RecordCheck(offset, len(payload), masked_crc32c(payload))


class EventFileRecords:
    """Reads one verified record at a known offset (implements ``heron.storage.RecordSource``)."""

    def read_record(self, path: str, check: RecordCheck) -> bytes:
        chunk_size = HEADER_SIZE + check.length + FOOTER_SIZE
        gone = NotFoundError(
            f"{path}: the record at byte {check.offset} is gone (file changed or removed)"
        )
        try:
            with contextlib.ExitStack() as stack:
                source: str | BinaryIO = path
                if is_remote(path):
                    source = stack.enter_context(open_remote(path))
                records = iter(RecordReader(source, offset=check.offset, chunk_size=chunk_size))
                try:
                    offset, payload = next(records)
                finally:
                    records.close()  # type: ignore[attr-defined]
        except (OSError, FormatError, StopIteration):
            raise gone from None
        if (
            offset != check.offset
            or len(payload) != check.length
            or masked_crc32c(payload) != check.crc
        ):
            raise NotFoundError(
                f"{path}: the record at byte {check.offset} is not the one indexed "
                "(the file was rewritten)"
            )
        return payload

    def matches(self, path: str, check: RecordCheck) -> bool:
        """Whether ``path`` still holds exactly the record ``check`` describes."""
        try:
            self.read_record(path, check)
        except NotFoundError:
            return False
        return True
