"""Heron's own .proto messages are wire-compatible with TensorBoard's copies.

Heron parses TensorBoard files with messages it declares itself (package
``heron``), so every field it declares must have the same number, wire type
and repeatedness as in TensorBoard's message of the same name, and every enum
value the same number. Heron may declare fewer fields (unknown fields survive a
round trip); messages it keeps opaque only need to exist on TensorBoard's side.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from types import ModuleType

import pytest
from google.protobuf.descriptor import Descriptor, EnumDescriptor, FieldDescriptor

import heron.formats.proto

pytestmark = pytest.mark.compat

#: Heron package → TensorBoard packages where its messages live.
PACKAGES = {
    "heron": ("tensorboard", "tensorboard.mesh", "tensorboard.projector"),
    "heron.hparams": ("tensorboard.hparams",),
}
#: Heron declares these without fields: they only keep a field's message wire type.
OPAQUE = {"heron.GraphDebugInfo", "heron.FullTypeDef", "heron.CostGraphDef"}
_MESSAGE_TYPES = (FieldDescriptor.TYPE_MESSAGE, FieldDescriptor.TYPE_GROUP)


def _modules(package: ModuleType) -> Iterator[ModuleType]:
    for info in pkgutil.walk_packages(package.__path__, prefix=f"{package.__name__}."):
        if info.name.endswith("_pb2"):
            yield importlib.import_module(info.name)


def _heron_modules() -> list[ModuleType]:
    return list(_modules(heron.formats.proto))


def _relative(full_name: str, package: str) -> str:
    return full_name[len(package) + 1 :]


def _tensorboard_index() -> dict[tuple[str, str], Descriptor | EnumDescriptor]:
    """(TensorBoard package, name relative to it) → descriptor, for every message and enum."""
    compat_proto = importlib.import_module("tensorboard.compat.proto")
    plugins = importlib.import_module("tensorboard.plugins")
    index: dict[tuple[str, str], Descriptor | EnumDescriptor] = {}
    for module in [*_modules(compat_proto), *_modules(plugins)]:
        file = module.DESCRIPTOR
        for descriptor in [*file.message_types_by_name.values(), *file.enum_types_by_name.values()]:
            index[(file.package, _relative(descriptor.full_name, file.package))] = descriptor
    return index


def _counterpart(
    index: dict[tuple[str, str], Descriptor | EnumDescriptor], ours: Descriptor | EnumDescriptor
) -> Descriptor | EnumDescriptor | None:
    package = ours.file.package
    name = _relative(ours.full_name, package)
    found = [index[(p, name)] for p in PACKAGES[package] if (p, name) in index]
    assert len(found) <= 1, f"{ours.full_name} is ambiguous in TensorBoard: {found}"
    return found[0] if found else None


def _top_level() -> list[Descriptor | EnumDescriptor]:
    # Profiler protos (package heron.profiler) mirror TensorFlow's, not TensorBoard's:
    # test_xplane_schema.py checks them.
    return [
        descriptor
        for module in _heron_modules()
        if module.DESCRIPTOR.package in PACKAGES
        for descriptor in [
            *module.DESCRIPTOR.message_types_by_name.values(),
            *module.DESCRIPTOR.enum_types_by_name.values(),
        ]
    ]


def _short(full_name: str) -> str:
    """A type name without its package, so that heron.X and tensorboard.X compare equal."""
    for package in sorted({*PACKAGES, *(p for ps in PACKAGES.values() for p in ps)}, key=len)[::-1]:
        if full_name.startswith(f"{package}."):
            return full_name[len(package) + 1 :]
    return full_name


def _compare_enum(ours: EnumDescriptor, theirs: EnumDescriptor, problems: list[str]) -> None:
    for value in ours.values:
        other = theirs.values_by_name.get(value.name)
        if other is None:
            problems.append(f"{ours.full_name}.{value.name}: no such value in {theirs.full_name}")
        elif other.number != value.number:
            problems.append(
                f"{ours.full_name}.{value.name} = {value.number}, TensorBoard has {other.number}"
            )


def _compare_field(
    ours: FieldDescriptor, theirs: FieldDescriptor, problems: list[str], seen: set[str]
) -> None:
    where = f"{ours.containing_type.full_name}.{ours.name}"
    if ours.number != theirs.number:
        problems.append(f"{where}: field number {ours.number}, TensorBoard has {theirs.number}")
    if ours.is_repeated != theirs.is_repeated:
        problems.append(f"{where}: repeated={ours.is_repeated}, TensorBoard {theirs.is_repeated}")
    ours_oneof = ours.containing_oneof.name if ours.containing_oneof else None
    theirs_oneof = theirs.containing_oneof.name if theirs.containing_oneof else None
    if ours_oneof != theirs_oneof:
        problems.append(f"{where}: in oneof {ours_oneof!r}, TensorBoard {theirs_oneof!r}")
    if ours.type in _MESSAGE_TYPES:
        if theirs.type not in _MESSAGE_TYPES:
            problems.append(f"{where}: a message field, TensorBoard's is type {theirs.type}")
            return
        if _short(ours.message_type.full_name) != _short(theirs.message_type.full_name):
            problems.append(
                f"{where}: of type {ours.message_type.full_name}, "
                f"TensorBoard {theirs.message_type.full_name}"
            )
        _compare_message(ours.message_type, theirs.message_type, problems, seen)
    elif ours.type == FieldDescriptor.TYPE_ENUM:
        if theirs.type != FieldDescriptor.TYPE_ENUM:
            problems.append(f"{where}: an enum field, TensorBoard's is type {theirs.type}")
            return
        _compare_enum(ours.enum_type, theirs.enum_type, problems)
    elif ours.type != theirs.type:
        problems.append(f"{where}: type {ours.type}, TensorBoard has type {theirs.type}")


def _compare_message(
    ours: Descriptor, theirs: Descriptor, problems: list[str], seen: set[str]
) -> None:
    """Walk ``ours`` (fields, nested messages and enums, field types) against ``theirs``."""
    if ours.full_name in seen:
        return
    seen.add(ours.full_name)
    if ours.full_name in OPAQUE:
        return
    for field in ours.fields:
        other = theirs.fields_by_name.get(field.name)
        if other is None:
            problems.append(f"{ours.full_name}.{field.name}: no such field in {theirs.full_name}")
            continue
        _compare_field(field, other, problems, seen)
    for nested in ours.nested_types:
        other_nested = theirs.nested_types_by_name.get(nested.name)
        if other_nested is None:
            problems.append(f"{nested.full_name}: no such nested message in {theirs.full_name}")
        else:
            _compare_message(nested, other_nested, problems, seen)
    for enum in ours.enum_types:
        other_enum = theirs.enum_types_by_name.get(enum.name)
        if other_enum is None:
            problems.append(f"{enum.full_name}: no such nested enum in {theirs.full_name}")
        else:
            _compare_enum(enum, other_enum, problems)


@pytest.fixture(scope="module")
def tensorboard_index() -> dict[tuple[str, str], Descriptor | EnumDescriptor]:
    pytest.importorskip("tensorboard")
    return _tensorboard_index()


def test_heron_declares_the_opaque_messages() -> None:
    names = {d.full_name for d in _top_level()}
    assert names >= OPAQUE


@pytest.mark.parametrize("ours", _top_level(), ids=lambda d: d.full_name)
def test_heron_type_matches_tensorboard(
    ours: Descriptor | EnumDescriptor,
    tensorboard_index: dict[tuple[str, str], Descriptor | EnumDescriptor],
) -> None:
    theirs = _counterpart(tensorboard_index, ours)
    assert theirs is not None, f"TensorBoard defines no {ours.full_name}"
    problems: list[str] = []
    if isinstance(ours, EnumDescriptor):
        assert isinstance(theirs, EnumDescriptor)
        _compare_enum(ours, theirs, problems)
    else:
        assert isinstance(theirs, Descriptor)
        _compare_message(ours, theirs, problems, set())
    assert not problems, "\n".join(problems)


def test_the_walk_reports_wrong_numbers_types_and_repeatedness(
    tensorboard_index: dict[tuple[str, str], Descriptor | EnumDescriptor],
) -> None:
    """The comparison is not vacuous: a HistogramProto with three broken fields fails it."""
    from google.protobuf import descriptor_pb2, descriptor_pool

    from heron.formats.proto import histogram_pb2

    file = descriptor_pb2.FileDescriptorProto()
    histogram_pb2.DESCRIPTOR.CopyToProto(file)
    fields = {field.name: field for field in file.message_type[0].field}
    fields["num"].number = 30
    fields["sum"].type = FieldDescriptor.TYPE_FLOAT
    fields["bucket"].label = FieldDescriptor.LABEL_OPTIONAL
    fields["bucket"].ClearField("options")  # packed applies to repeated fields only
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    broken = pool.FindMessageTypeByName("heron.HistogramProto")
    theirs = tensorboard_index[("tensorboard", "HistogramProto")]
    assert isinstance(theirs, Descriptor)
    problems: list[str] = []
    _compare_message(broken, theirs, problems, set())
    assert problems == [
        "heron.HistogramProto.num: field number 30, TensorBoard has 3",
        f"heron.HistogramProto.sum: type {FieldDescriptor.TYPE_FLOAT}, "
        f"TensorBoard has type {FieldDescriptor.TYPE_DOUBLE}",
        "heron.HistogramProto.bucket: repeated=False, TensorBoard True",
    ]
