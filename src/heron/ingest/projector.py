"""The projector's files as assets: its config, and the tensor, metadata, sprite, bookmarks files.

The projector reads no events. ``projector_config.pbtxt`` (text-format
``ProjectorConfig``) lists embeddings, each naming files by paths relative to
the config's directory (or absolute). This module turns one run's configs
into ``AssetRow`` s, and is where the safety rule is enforced: **a named file
is indexed only if its real path (symlinks resolved) lies inside the logdir,
or inside the real directory the config was found in** (TensorBoard's own
rule; it keeps a symlinked run directory working). Anything else becomes a
refused row with an ``error``, reported by ``ReadProvider.health()``; the
server only ever gets bytes by (plugin, run, asset name), never by a path.

Which config counts, as in TensorBoard: the one in the run's
``plugins/org_tensorflow_tensorboard_projector/`` folder if it names a tensor
file, else the one in the run directory. A config naming no tensor file
(checkpoint-based embeddings, which Heron does not read) is reported.

Asset names (the plugin reads them by these names):

* ``projector_config.json`` — stored, not referenced: ``{"config": ...,
  "assets": [...]}`` where ``config`` is the ProjectorConfig as proto JSON
  (camelCase), with TensorBoard's normalisation (a ``:0`` suffix dropped from
  tensor names, a missing name taken from the tensor file's name, a missing
  ``tensorShape`` of a TSV tensor counted from the file), and ``assets`` holds,
  per embedding, the asset names of its ``tensor``, ``metadata``,
  ``bookmarks`` and ``sprite`` (``null`` when the config names none);
* ``embeddings/<i>/<role>`` — the files themselves, by reference. A tensor is
  ``text/tab-separated-values`` if it is UTF-8 text without NUL bytes, else
  ``application/octet-stream`` (raw float32, shape from the config, checked
  against the file size).
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Final

from google.protobuf import json_format, text_format

from heron.formats.proto.projector_config_pb2 import EmbeddingInfo, ProjectorConfig
from heron.ingest.discovery import ConfigFiles
from heron.storage.batch import AssetRow

__all__ = ["CONFIG_ASSET", "PLUGIN_NAME", "ProjectorAssets", "StatKey", "build_assets", "stat_key"]

PLUGIN_NAME: Final = "projector"
CONFIG_ASSET: Final = "projector_config.json"
TSV: Final = "text/tab-separated-values"
BINARY: Final = "application/octet-stream"
#: A config larger than this is not a config (and is not read into memory).
MAX_CONFIG_BYTES: Final = 16 << 20
_ROLES: Final = ("tensor", "metadata", "bookmarks", "sprite")
_IMAGE_SIGNATURES: Final = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"BM", "image/bmp"),
)

#: What identifies a file's version: (device, inode, size, mtime_ns); ``None`` when absent.
StatKey = tuple[int, int, int, int] | None


def stat_key(path: str) -> StatKey:
    """The version of the file at ``path`` (symlinks followed)."""
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)


@dataclass(frozen=True, slots=True)
class ProjectorAssets:
    """One run's projector assets, and every path whose change means building them again."""

    rows: tuple[AssetRow, ...]
    #: (path as found, its version when the rows were built): configs, and named files.
    inputs: tuple[tuple[str, StatKey], ...]


class _RefusedError(Exception):
    """A named file that is not indexed; the message says why."""


def build_assets(files: ConfigFiles) -> ProjectorAssets:
    """The assets of one run's configs; never raises (problems become refused rows)."""
    inputs = [(path, stat_key(path)) for path in files.paths]
    boundaries = _boundaries(files.root)
    first_problem: AssetRow | None = None
    for path in files.paths:
        try:
            config, status = _read_config(path, boundaries)
        except _RefusedError as refused:
            first_problem = first_problem or _refused(CONFIG_ASSET, path, str(refused))
            continue
        if not any(e.tensor_path for e in config.embeddings):
            reason = "it names no tensor file (checkpoint-based embeddings are not supported)"
            first_problem = first_problem or _refused(CONFIG_ASSET, path, reason)
            continue
        rows, named = _config_rows(config, path, status, (*boundaries, _real_dir(path)))
        return ProjectorAssets(rows, tuple(inputs + named))
    assert first_problem is not None  # discovery lists runs with at least one config
    return ProjectorAssets((first_problem,), tuple(inputs))


def _boundaries(root: str) -> tuple[str, ...]:
    return (os.path.realpath(root),)


def _real_dir(config_path: str) -> str:
    """The real directory the config was found in (not the config's own target, if a link)."""
    return os.path.realpath(os.path.dirname(config_path))


def _inside(path: str, boundaries: tuple[str, ...]) -> bool:
    for boundary in boundaries:
        try:
            if os.path.commonpath([boundary, path]) == boundary:
                return True
        except ValueError:  # different drives
            continue
    return False


def _read_config(path: str, boundaries: tuple[str, ...]) -> tuple[ProjectorConfig, os.stat_result]:
    real = os.path.realpath(path)
    if not _inside(real, (*boundaries, _real_dir(path))):
        raise _RefusedError("the config is a link to a file outside the logdir")
    try:
        with open(real, "rb") as stream:
            status = os.fstat(stream.fileno())
            if status.st_size > MAX_CONFIG_BYTES:
                raise _RefusedError(f"the config is too large ({status.st_size} bytes)")
            text = stream.read(MAX_CONFIG_BYTES + 1).decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise _RefusedError(f"cannot read the config: {error}") from None
    config = ProjectorConfig()
    try:
        text_format.Parse(text, config)
    except text_format.ParseError as error:
        raise _RefusedError(f"not a projector config: {error}") from None
    return config, status


def _config_rows(
    config: ProjectorConfig, path: str, status: os.stat_result, boundaries: tuple[str, ...]
) -> tuple[tuple[AssetRow, ...], list[tuple[str, StatKey]]]:
    rows: list[AssetRow] = []
    named: list[tuple[str, StatKey]] = []
    names: list[dict[str, str | None]] = []
    config_dir = os.path.realpath(os.path.dirname(path))
    for index, embedding in enumerate(config.embeddings):
        _normalise_name(embedding)
        entry: dict[str, str | None] = dict.fromkeys(_ROLES)
        for role, written in _named_files(embedding):
            name = f"embeddings/{index}/{role}"
            candidate = _candidate(written, config_dir)
            named.append((candidate, stat_key(candidate)))
            try:
                row = _file_row(name, role, candidate, embedding, boundaries)
            except _RefusedError as refused:
                row = _refused(name, path, f"{role} path {written!r}: {refused}")
            rows.append(row)
            entry[role] = name
        names.append(entry)
    document = {
        "config": json_format.MessageToDict(config),
        "assets": names,
    }
    rows.append(
        AssetRow(
            name=CONFIG_ASSET,
            media_type="application/json",
            path=os.path.realpath(path),
            size=status.st_size,
            mtime_ns=status.st_mtime_ns,
            device=status.st_dev,
            inode=status.st_ino,
            data=json.dumps(document, sort_keys=True).encode("utf-8"),
        )
    )
    rows.sort(key=lambda row: row.name)
    return tuple(rows), named


def _normalise_name(embedding: EmbeddingInfo) -> None:
    """TensorBoard's: ``name:0`` is ``name``; a tensor file without a name is named after it."""
    if embedding.tensor_name.endswith(":0"):
        embedding.tensor_name = embedding.tensor_name[:-2]
    if not embedding.tensor_name and embedding.tensor_path:
        embedding.tensor_name = os.path.basename(embedding.tensor_path)


def _named_files(embedding: EmbeddingInfo) -> Iterator[tuple[str, str]]:
    paths = (
        embedding.tensor_path,
        embedding.metadata_path,
        embedding.bookmarks_path,
        embedding.sprite.image_path,
    )
    for role, written in zip(_ROLES, paths, strict=True):
        if written:
            yield role, written


def _candidate(written: str, config_dir: str) -> str:
    """Where a written path points, before symlinks are resolved."""
    # Not normalised: "link/../x" must mean what the filesystem makes of it.
    return os.path.join(config_dir, os.path.expanduser(written))


def _file_row(
    name: str, role: str, candidate: str, embedding: EmbeddingInfo, boundaries: tuple[str, ...]
) -> AssetRow:
    real = os.path.realpath(candidate)
    if not _inside(real, boundaries):
        raise _RefusedError("it resolves outside the logdir")
    try:
        status = os.stat(real, follow_symlinks=False)
    except OSError:
        raise _RefusedError("the file does not exist") from None
    if not stat.S_ISREG(status.st_mode):
        raise _RefusedError("not a regular file")
    if os.path.realpath(candidate) != real:  # a link changed while we looked: next pass
        raise _RefusedError("it changed while being indexed")
    media_type = {"metadata": TSV, "bookmarks": "application/json"}.get(role, BINARY)
    if role == "tensor":
        media_type = _tensor_type(real, status.st_size, embedding)
    elif role == "sprite":
        media_type = _image_type(real)
    return AssetRow(
        name=name,
        media_type=media_type,
        path=real,
        size=status.st_size,
        mtime_ns=status.st_mtime_ns,
        device=status.st_dev,
        inode=status.st_ino,
    )


def _tensor_type(path: str, size: int, embedding: EmbeddingInfo) -> str:
    """TSV or raw float32; fills a TSV's missing shape, checks a binary one's against its size."""
    try:
        with open(path, "rb") as stream:
            data = stream.read()
    except OSError as error:
        raise _RefusedError(f"cannot read the file: {error}") from None
    text = _as_text(data)
    if text is not None:
        if not embedding.tensor_shape:
            rows = [line for line in text.split("\n") if line.rstrip("\r")]
            columns = len(rows[0].split("\t")) if rows else 0
            embedding.tensor_shape.extend([len(rows), columns])
        return TSV
    shape = list(embedding.tensor_shape)
    if len(shape) != 2:
        raise _RefusedError(f"a binary float32 tensor needs a 2-D tensor_shape, not {shape}")
    if shape[0] * shape[1] * 4 != size:
        raise _RefusedError(f"{size} bytes do not hold a float32 tensor of shape {shape}")
    return BINARY


def _as_text(data: bytes) -> str | None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else text


def _image_type(path: str) -> str:
    try:
        with open(path, "rb") as stream:
            head = stream.read(16)
    except OSError as error:
        raise _RefusedError(f"cannot read the file: {error}") from None
    for signature, media_type in _IMAGE_SIGNATURES:
        if head.startswith(signature):
            return media_type
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return BINARY


def _refused(name: str, path: str, error: str) -> AssetRow:
    return AssetRow(name=name, media_type=BINARY, path=os.path.abspath(path), error=error)
