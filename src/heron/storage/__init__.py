"""Persistence behind the narrow ``Store`` protocol; backends chosen by URI scheme.

Only the ingester writes (``Store.load_state`` / ``Store.commit``); every
reader goes through ``Store.reader()``, a ``heron.core.ReadProvider``.
"""

from heron.storage.batch import (
    AssetRow,
    AssetSet,
    BlobSequenceRow,
    CommitBatch,
    FileProgress,
    FileSlice,
    NewRun,
    NewSeries,
    RecordCheck,
    RunInfo,
    ScalarColumns,
    TensorRow,
)
from heron.storage.protocol import FileState, RecordSource, SeriesState, Store, StoreState
from heron.storage.registry import default_index_path, open_store, store_uri

__all__ = [
    "AssetRow",
    "AssetSet",
    "BlobSequenceRow",
    "CommitBatch",
    "FileProgress",
    "FileSlice",
    "FileState",
    "NewRun",
    "NewSeries",
    "RecordCheck",
    "RecordSource",
    "RunInfo",
    "ScalarColumns",
    "SeriesState",
    "Store",
    "StoreState",
    "TensorRow",
    "default_index_path",
    "open_store",
    "store_uri",
]
