"""Plain functions over ``ReadProvider`` behind the projector routes (no HTTP, no paths).

The projector reads files, not events; ingest indexes them as *assets* of
plugin ``projector`` (see ``heron.ingest.projector``): per run, a stored
``projector_config.json`` — ``{"config": <ProjectorConfig as proto JSON>,
"assets": [{"tensor", "metadata", "bookmarks", "sprite"}: asset name or null,
one per embedding]}`` — and the files themselves under those names. So a
request names a run and an embedding; the asset to read is looked up in the
run's config; nothing a client sends is ever used as a path.

Embedding names match as in TensorBoard: ``name`` and ``name:0`` are the same
tensor. Differences from TensorBoard by design: an unknown run or embedding is
a 404 (TensorBoard says 400), and checkpoint tensors are not offered (Heron
does not read TensorFlow checkpoints).
"""

from __future__ import annotations

import json
from typing import Any, Final

import numpy as np

from heron.core.provider import ReadProvider
from heron.errors import NotFoundError
from heron.plugins.projector.tensors import TensorCache, tsv_to_float32

__all__ = [
    "PLUGIN_NAME",
    "bookmarks",
    "metadata",
    "projector_info",
    "projector_runs",
    "sprite_image",
    "tensor_bytes",
]

PLUGIN_NAME: Final = "projector"
#: The stored config document's asset name (``heron.ingest.projector.CONFIG_ASSET``).
CONFIG_ASSET: Final = "projector_config.json"
_TSV: Final = "text/tab-separated-values"
_FLOAT32: Final = np.dtype("<f4")


def projector_runs(provider: ReadProvider) -> list[str]:
    """Runs with a usable projector config, sorted (the logdir itself is ``"."``)."""
    return [
        asset.run
        for asset in provider.list_assets(PLUGIN_NAME)
        if asset.name == CONFIG_ASSET and asset.error is None
    ]


def projector_info(provider: ReadProvider, run: str) -> dict[str, Any]:
    """The run's ProjectorConfig as proto JSON, with tensor names and TSV shapes filled in."""
    config: dict[str, Any] = _document(provider, run)["config"]
    return config


def tensor_bytes(
    provider: ReadProvider,
    run: str,
    name: str,
    *,
    num_rows: int | None,
    cache: TensorCache | None = None,
) -> bytes | memoryview:
    """The embedding's first ``num_rows`` rows (all if ``None``) as float32, row-major.

    A TSV tensor is converted (once per version of the file, with a
    ``cache``); a binary one is already float32 and is served as read — cut to
    ``num_rows`` rows by a view, never a copy, so a 256 MB tensor is held once.
    """
    document = _document(provider, run)
    index = _embedding_index(document, run, name)
    asset = _asset_name(document, index, "tensor", run, name)
    media_type = _media_type(provider, run, asset)
    data = provider.read_asset(PLUGIN_NAME, run, asset)
    if media_type == _TSV:
        if cache is not None:
            return cache.decoded(data, num_rows, run=run, name=name)
        return tsv_to_float32(data, num_rows, run=run, name=name)
    if num_rows is None:
        return data
    shape = document["config"]["embeddings"][index].get("tensorShape", [])
    width = int(shape[1]) if len(shape) == 2 else 0
    return memoryview(data)[: num_rows * width * _FLOAT32.itemsize]


def metadata(provider: ReadProvider, run: str, name: str, *, num_rows: int | None) -> str:
    """The metadata TSV, cut after ``num_rows`` data rows.

    TensorBoard's header rule: a first line holding a tab is a header of
    column names and is not counted in ``num_rows``; otherwise the file has
    one column and no header.
    """
    data = _file(provider, run, name, "metadata")
    lines = data.decode("utf-8", errors="replace").split("\n")
    lines = [f"{line}\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])
    if num_rows is not None:
        header = 1 if lines and "\t" in lines[0] else 0
        lines = lines[: num_rows + header]
    return "".join(lines)


def bookmarks(provider: ReadProvider, run: str, name: str) -> bytes:
    """The bookmarks file (JSON written by the projector's UI), as is."""
    return _file(provider, run, name, "bookmarks")


def sprite_image(provider: ReadProvider, run: str, name: str) -> tuple[bytes, str]:
    """The sprite image and its content type (sniffed at ingest)."""
    document = _document(provider, run)
    asset = _asset_name(document, _embedding_index(document, run, name), "sprite", run, name)
    return provider.read_asset(PLUGIN_NAME, run, asset), _media_type(provider, run, asset)


def _document(provider: ReadProvider, run: str) -> dict[str, Any]:
    try:
        data = provider.read_asset(PLUGIN_NAME, run, CONFIG_ASSET)
    except NotFoundError as error:
        known = any(a.name == CONFIG_ASSET for a in provider.list_assets(PLUGIN_NAME, runs=[run]))
        if known:
            raise
        raise NotFoundError(f"no projector config for run {run!r}") from error
    document: dict[str, Any] = json.loads(data)
    return document


def _canonical(name: str) -> str:
    return name if ":" in name else f"{name}:0"


def _embedding_index(document: dict[str, Any], run: str, name: str) -> int:
    wanted = _canonical(name)
    for index, embedding in enumerate(document["config"].get("embeddings", [])):
        if _canonical(embedding.get("tensorName", "")) == wanted:
            return index
    raise NotFoundError(f"no embedding {name!r} in the projector config of run {run!r}")


def _asset_name(document: dict[str, Any], index: int, role: str, run: str, name: str) -> str:
    asset: str | None = document["assets"][index][role]
    if asset is None:
        raise NotFoundError(f"embedding {name!r} of run {run!r} names no {role} file")
    return asset


def _file(provider: ReadProvider, run: str, name: str, role: str) -> bytes:
    document = _document(provider, run)
    asset = _asset_name(document, _embedding_index(document, run, name), role, run, name)
    return provider.read_asset(PLUGIN_NAME, run, asset)


def _media_type(provider: ReadProvider, run: str, asset: str) -> str:
    for found in provider.list_assets(PLUGIN_NAME, runs=[run]):
        if found.name == asset:
            return found.media_type
    raise NotFoundError(f"no projector asset {asset!r} in run {run!r}")
