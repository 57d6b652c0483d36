"""From a ``--logdir`` argument to the root the ingester walks: a local directory or a URL."""

from __future__ import annotations

import os
from collections.abc import Sequence

from heron.errors import InvalidArgumentError
from heron.ingest.discovery import LogdirRoot
from heron.ingest.remote import is_remote

__all__ = ["check_roots", "logdir_root"]


def logdir_root(logdir: str | os.PathLike[str]) -> LogdirRoot:
    """A URL is kept as given (its listing says whether it exists); a local path is made
    absolute and must be a directory."""
    text = os.fspath(logdir)
    if is_remote(text):
        return LogdirRoot(text.rstrip("/"))
    path = os.path.abspath(os.path.expanduser(text))
    if not os.path.isdir(path):
        raise InvalidArgumentError(f"logdir {path} is not a directory")
    return LogdirRoot(path)


def check_roots(roots: Sequence[LogdirRoot]) -> bool:
    """Whether ``roots`` are remote (all of them) or local (all); a mix is refused."""
    remote = [root for root in roots if is_remote(root.path)]
    if remote and len(remote) != len(roots):
        raise InvalidArgumentError(
            "a --logdir_spec cannot mix local directories and remote URLs yet; "
            "serve them separately"
        )
    return bool(remote)
