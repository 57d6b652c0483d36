"""The server's one configuration object, passed down explicitly (no module globals)."""

from __future__ import annotations

from dataclasses import dataclass

from heron._version import __version__
from heron.errors import InvalidArgumentError

__all__ = ["ServerConfig", "normalize_path_prefix"]


@dataclass(frozen=True, slots=True)
class ServerConfig:
    """What the app tells clients about itself; nothing here touches the data.

    ``logdir`` is a *description* shown by ``/data/logdir`` and
    ``/data/environment`` (the ``--logdir`` or ``--logdir_spec`` text), never a
    path the server opens: the server reads only through ``ReadProvider``.
    """

    logdir: str = ""
    window_title: str = ""
    #: "" or "/prefix" (no trailing slash); see ``normalize_path_prefix``.
    path_prefix: str = ""
    version: str = __version__
    experiment_name: str = ""
    experiment_description: str = ""
    #: Shown in ``/data/environment``'s ``data_location`` (TensorBoard shows the logdir).
    data_location: str = ""


def normalize_path_prefix(prefix: str) -> str:
    """TensorBoard's rule: ``"/p/"`` and ``"p"`` mean ``"/p"``; ``"/"`` and ``""`` mean none."""
    text = prefix.strip()
    if not text or text == "/":
        return ""
    if "//" in text or any(part in (".", "..") for part in text.split("/")):
        raise InvalidArgumentError(f"invalid path prefix {prefix!r}")
    return "/" + text.strip("/")
