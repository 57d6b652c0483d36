"""The Time Series dashboard's routes, TensorBoard-compatible (reference §5.15)."""

from heron.plugins.timeseries.data import image_data, parse_requests, time_series
from heron.plugins.timeseries.routes import TimeSeriesPlugin
from heron.plugins.timeseries.tags import combined_description, tag_descriptions, timeseries_tags

__all__ = [
    "TimeSeriesPlugin",
    "combined_description",
    "image_data",
    "parse_requests",
    "tag_descriptions",
    "time_series",
    "timeseries_tags",
]
