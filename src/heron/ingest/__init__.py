"""The only writer into storage: discover runs, tail event files, stage, commit.

``Ingester(store, roots).run_once()`` brings the store up to date with the
event files; ``start()`` keeps it so in a background thread.
"""

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
