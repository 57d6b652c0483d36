"""Requests and responses of the hparams routes: protos as proto3 JSON (reference §5.10).

TensorBoard's frontend sends each request as a JSON-encoded proto (the POST
body, or the query parameter ``request`` of a GET) and reads proto3 JSON back:
lowerCamelCase names, enums by name, fields at their defaults printed too.
"""

from __future__ import annotations

import math
from typing import Any, TypeVar

from google.protobuf import json_format
from google.protobuf.message import Message
from google.protobuf.struct_pb2 import Value

from heron.errors import InvalidArgumentError

__all__ = ["parse_request", "printable", "to_json"]

M = TypeVar("M", bound=Message)


def parse_request(text: str | bytes | None, message_type: type[M]) -> M:
    """The request proto; ``InvalidArgumentError`` (a 400) for anything but its JSON form."""
    name = message_type.DESCRIPTOR.name
    if text is None or not text.strip():
        raise InvalidArgumentError(
            f"expected a JSON-encoded {name}: the POST body, or the query parameter 'request'"
        )
    try:
        return json_format.Parse(text, message_type())
    except (json_format.ParseError, UnicodeDecodeError, RecursionError) as error:
        raise InvalidArgumentError(f"not a JSON-encoded {name}: {error}") from None


def to_json(message: Message) -> Any:
    """The proto3 JSON object of ``message``, as TensorBoard prints it (defaults included)."""
    return json_format.MessageToDict(message, always_print_fields_with_no_presence=True)


def printable(value: Value) -> bool:
    """Whether proto3 JSON can print ``value``: a NaN or infinite ``number_value`` it cannot."""
    return value.WhichOneof("kind") != "number_value" or math.isfinite(value.number_value)
