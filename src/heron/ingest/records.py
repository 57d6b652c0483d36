"""Single records of event files, found again by (offset, length, CRC).

Used twice: to recognise a file that was replaced (is the last record we
consumed still there, byte for byte?), and, as the store's ``RecordSource``,
to fetch a blob the index keeps by reference.
"""

from __future__ import annotations

from heron.errors import FormatError, NotFoundError
from heron.formats.tfrecord import FOOTER_SIZE, HEADER_SIZE, RecordReader, masked_crc32c
from heron.storage.batch import RecordCheck

__all__ = ["EventFileRecords", "read_check", "record_check"]

_CHECK_CHUNK = 1 << 16


def record_check(offset: int, payload: bytes) -> RecordCheck:
    return RecordCheck(offset, len(payload), masked_crc32c(payload))


def read_check(path: str, offset: int) -> RecordCheck | None:
    """The check of the record at ``offset`` (``None`` if it cannot be read there)."""
    records = iter(RecordReader(path, offset=offset, chunk_size=_CHECK_CHUNK))
    try:
        found, payload = next(records)
    except (OSError, FormatError, StopIteration):
        return None
    finally:
        records.close()  # type: ignore[attr-defined]
    return record_check(found, payload) if found == offset else None


class EventFileRecords:
    """Reads one verified record at a known offset (implements ``heron.storage.RecordSource``)."""

    def read_record(self, path: str, check: RecordCheck) -> bytes:
        reader = RecordReader(
            path, offset=check.offset, chunk_size=HEADER_SIZE + check.length + FOOTER_SIZE
        )
        records = iter(reader)
        try:
            offset, payload = next(records)
        except (OSError, FormatError, StopIteration):
            raise NotFoundError(
                f"{path}: the record at byte {check.offset} is gone (file changed or removed)"
            ) from None
        finally:
            records.close()  # type: ignore[attr-defined]
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
