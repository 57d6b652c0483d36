"""Heron's domain: the values every reader sees and the ``ReadProvider`` contract.

It depends on nothing of Heron but ``heron.errors`` (and numpy, lazily), so
storage backends, the server and the Python API can all share it.
"""

from heron.core.provider import ReadProvider
from heron.core.values import (
    BlobRef,
    BlobSequencePoint,
    DataClass,
    FileHealth,
    HParamValue,
    IngestHealth,
    Run,
    RunSummary,
    ScalarPoints,
    ScalarSummary,
    Series,
    SeriesKey,
    TensorPoint,
)

__all__ = [
    "BlobRef",
    "BlobSequencePoint",
    "DataClass",
    "FileHealth",
    "HParamValue",
    "IngestHealth",
    "ReadProvider",
    "Run",
    "RunSummary",
    "ScalarPoints",
    "ScalarSummary",
    "Series",
    "SeriesKey",
    "TensorPoint",
]
