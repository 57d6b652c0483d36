"""Heron's XSpace schema (heron.profiler) matches TensorFlow's, field for field.

TensorFlow is imported in a child process: on some machines a process that imported
TensorFlow crashes when it later imports ``torch._dynamo``, which other tests do.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest

from heron.formats.proto import xplane_pb2

pytestmark = pytest.mark.compat

_DUMP = """
import json
from tensorflow.tsl.profiler.protobuf import xplane_pb2
print(json.dumps({
    name: {
        f.name: [
            f.number, f.type, f.is_repeated, f.containing_oneof and f.containing_oneof.name
        ]
        for f in message.fields
    }
    for name, message in xplane_pb2.DESCRIPTOR.message_types_by_name.items()
}))
"""


def _tensorflow_fields() -> dict[str, dict[str, list[object]]]:
    if importlib.util.find_spec("tensorflow") is None:
        pytest.skip("tensorflow is not installed")
    result = subprocess.run(
        [sys.executable, "-c", _DUMP], capture_output=True, text=True, timeout=300, check=False
    )
    if result.returncode != 0:
        pytest.skip(f"tensorflow's xplane_pb2 is not importable: {result.stderr[-300:]}")
    fields: dict[str, dict[str, list[object]]] = json.loads(result.stdout.strip().splitlines()[-1])
    return fields


def test_every_field_has_tensorflows_number_type_and_shape() -> None:
    theirs = _tensorflow_fields()
    problems = []
    for name, message in xplane_pb2.DESCRIPTOR.message_types_by_name.items():
        assert name in theirs, f"TensorFlow's xplane.proto has no {name}"
        for field in message.fields:
            oneof = field.containing_oneof.name if field.containing_oneof else None
            ours = [field.number, field.type, field.is_repeated, oneof]
            if theirs[name].get(field.name) != ours:
                problems.append(
                    f"{name}.{field.name}: {ours}, TensorFlow {theirs[name].get(field.name)}"
                )
    assert not problems, "\n".join(problems)
