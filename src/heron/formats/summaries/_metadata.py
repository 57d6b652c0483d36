"""The SummaryMetadata every encoder attaches."""

from __future__ import annotations

from heron.formats.proto.summary_pb2 import DataClass, SummaryMetadata


def plugin_metadata(
    plugin_name: str,
    data_class: DataClass.ValueType,
    *,
    content: bytes = b"",
    display_name: str = "",
    description: str = "",
) -> SummaryMetadata:
    metadata = SummaryMetadata(
        display_name=display_name, summary_description=description, data_class=data_class
    )
    metadata.plugin_data.plugin_name = plugin_name
    metadata.plugin_data.content = content
    return metadata
