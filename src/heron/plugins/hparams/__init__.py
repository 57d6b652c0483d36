"""The HParams dashboard's routes, TensorBoard-compatible (reference §3.8, §5.10).

``experiment.py`` finds or infers the experiment and knows where a session's
metrics live; ``session_groups.py`` groups, aggregates and pages sessions;
``columns.py`` filters and sorts the groups; ``download.py`` exports the table;
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
