from collections.abc import Mapping

from heron.formats._scan_python import Buffer, RawScan

class Column:
    """Read-only bytes of one output column; its block returns to a pool when freed."""

    def __buffer__(self, flags: int, /) -> memoryview: ...

CRC32C_IMPLEMENTATION: str
MIN_POINT_BYTES: int

def scan(
    buffer: Buffer,
    start: int,
    end: int,
    base_offset: int,
    scalar_tags: Mapping[bytes, int],
    max_points: int,
) -> RawScan: ...
def crc32c(data: Buffer, crc: int = 0, /) -> int: ...
def crc32c_table(data: Buffer, crc: int = 0, /) -> int: ...
