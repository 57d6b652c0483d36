"""The logging library: ``SummaryWriter``, a drop-in for PyTorch's and tensorboardX's writers.

Importing this package is light (no numpy, PIL or torch); those are imported
by the calls that need them.
"""

from __future__ import annotations

from heron.writer.errors import SummaryEncodingError, WriterError
from heron.writer.summary_writer import SummaryWriter
from heron.writer.tables import TableImage

__all__ = ["SummaryEncodingError", "SummaryWriter", "TableImage", "WriterError"]
