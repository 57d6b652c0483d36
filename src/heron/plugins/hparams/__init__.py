"""The HParams dashboard's routes, TensorBoard-compatible (reference §3.8, §5.10).

``experiment.py`` finds or infers (``inference.py``) the experiment and knows
where a session's metrics live; ``groups.py`` builds the session groups, and updates them after
a commit; ``session_groups.py`` filters, sorts and pages them with the rules
of ``columns.py``; ``download.py`` exports the table;
``wire.py`` is the proto3 JSON in and out; ``routes.py`` the thin HTTP layer.
"""

from heron.plugins.hparams.download import download_table
from heron.plugins.hparams.experiment import get_experiment, read_records
from heron.plugins.hparams.routes import HParamsPlugin
from heron.plugins.hparams.session_groups import list_session_groups, metric_evals

__all__ = [
    "HParamsPlugin",
    "download_table",
    "get_experiment",
    "list_session_groups",
    "metric_evals",
    "read_records",
]
