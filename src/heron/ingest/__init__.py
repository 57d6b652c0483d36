"""The only writer into storage: discover runs, tail event files, stage, commit.

``Ingester(store, roots).run_once()`` brings the store up to date with the
event files; ``start()`` keeps it so in a background thread.

Names are imported on first use: ``heron serve`` needs ``EventFileRecords``
and the logdir parsing at once, but the ingester (numpy, the protobuf
normaliser, the scanner: ~0.1 s of imports) only once its first pass starts.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from heron.ingest.discovery import Discoverer, LogdirRoot, RunListing, parse_logdir_spec
    from heron.ingest.ingester import Ingester, IngestOptions, IngestStats, PassStats
    from heron.ingest.records import EventFileRecords
    from heron.ingest.runs import BatchLimits

__all__ = [
    "BatchLimits",
    "Discoverer",
    "EventFileRecords",
    "IngestOptions",
    "IngestStats",
    "Ingester",
    "LogdirRoot",
    "PassStats",
    "RunListing",
    "parse_logdir_spec",
]

_MODULES = {
    "BatchLimits": "heron.ingest.runs",
    "Discoverer": "heron.ingest.discovery",
    "EventFileRecords": "heron.ingest.records",
    "IngestOptions": "heron.ingest.ingester",
    "IngestStats": "heron.ingest.ingester",
    "Ingester": "heron.ingest.ingester",
    "LogdirRoot": "heron.ingest.discovery",
    "PassStats": "heron.ingest.ingester",
    "RunListing": "heron.ingest.discovery",
    "parse_logdir_spec": "heron.ingest.discovery",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module 'heron.ingest' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
