"""Heron's hparams routes against real TensorBoard's, on logdirs written by real writers.

Four logdirs: TensorFlow's hparams API with ``hp.hparams_config`` (a recorded
experiment), the same trials without it (an inferred experiment), and
PyTorch's and tensorboardX's ``add_hparams`` (a sub-run per call, each with its
own experiment and session start / end). TensorBoard's plugin runs in-process over its own
multiplexer; both answer the same requests and the JSON must be equal.

The only normalisation: an *inferred* experiment's discrete domains, which
TensorBoard builds from a Python ``set`` (their order is arbitrary; Heron
sorts them).
"""

from __future__ import annotations

import json
import math
import urllib.parse

import pytest

import heron
from heron.plugins import default_plugins
from heron.server import ServerConfig, create_app
from heron.testing.asgi import TestClient

pytest.importorskip("tensorboard")
werkzeug_test = pytest.importorskip("werkzeug.test")

ALL_STATUSES = ["STATUS_UNKNOWN", "STATUS_SUCCESS", "STATUS_FAILURE", "STATUS_RUNNING"]
#: lr, optimizer, batch_norm, units, trial_id (None: TensorFlow groups by an hparams hash).
TF_TRIALS = [
    (0.001, "adam", True, 16, "t0"),
    (0.01, "adam", False, 32, "t1"),
    (0.1, "sgd", True, 16, "t2"),
    (0.01, "sgd", False, 64, "t3"),
    (0.001, "sgd", False, 32, None),
    (0.001, "sgd", False, 32, None),  # same hparams, no trial id: the same group as the last
]


def write_tf_logdir(root, *, with_config):
    """Trials ``run-i`` with ``accuracy`` and ``validation/loss`` (none for run-3); run-1
    succeeded and run-2 failed (session end records); "other" is no session."""
    tf = pytest.importorskip("tensorflow")
    from tensorboard.plugins.hparams import api as hp
    from tensorboard.plugins.hparams import api_pb2
    from tensorboard.plugins.hparams import summary as hp_v1

    lr = hp.HParam("lr", hp.RealInterval(1e-4, 1.0), display_name="learning rate")
    optimizer = hp.HParam("optimizer", hp.Discrete(["adam", "sgd"]))
    batch_norm = hp.HParam("batch_norm", hp.Discrete([False, True]))
    units = hp.HParam("units", hp.Discrete([16, 32, 64]))

    def write(path, body):
        writer = tf.summary.create_file_writer(str(path))
        with writer.as_default():
            body()
        writer.close()

    if with_config:
        metrics = [
            hp.Metric("accuracy", display_name="Accuracy"),
            hp.Metric("loss", group="validation", display_name="val loss"),
        ]
        write(root, lambda: hp.hparams_config([lr, optimizer, batch_norm, units], metrics))
    for index, (rate, opt, norm, width, trial_id) in enumerate(TF_TRIALS):
        run = root / f"run-{index}"

        def trial(index=index, values=(rate, opt, norm, width), trial_id=trial_id):
            hp.hparams(
                dict(zip((lr, optimizer, batch_norm, units), values, strict=True)),
                trial_id=trial_id,
            )
            for step in range(6):
                tf.summary.scalar("accuracy", 0.1 * index + 0.01 * step + 0.003, step=step)
            status = {1: api_pb2.STATUS_SUCCESS, 2: api_pb2.STATUS_FAILURE}.get(index)
            if status is not None:
                end = hp_v1.session_end_pb(status, end_time_secs=1000.0 + index)
                tf.summary.experimental.write_raw_pb(end.SerializeToString(), step=0)

        write(run, trial)
        if index != 3:

            def validation(index=index):
                for step in range(0, 12, 2):
                    tf.summary.scalar("loss", 1.0 / (index + step + 1), step=step)

            write(run / "validation", validation)
    write(root / "other", lambda: tf.summary.scalar("accuracy", 0.5, step=0))


def write_torch_logdir(root):
    torch_tensorboard = pytest.importorskip("torch.utils.tensorboard")
    writer = torch_tensorboard.SummaryWriter(str(root))
    for index in range(5):
        for step in range(4):
            writer.add_scalar("train/loss", 1.0 / (index + step + 1), step)
        writer.add_hparams(
            {
                "lr": 0.1 / (index + 1),
                "bsize": 2 ** (index % 3 + 3),
                "opt": ["adam", "sgd"][index % 2],
            },
            {"hparam/accuracy": 0.5 + index / 20, "hparam/loss": 1.0 / (index + 2)},
            hparam_domain_discrete={"opt": ["adam", "sgd"]},
            run_name=f"trial{index}",
        )
    writer.close()


def write_tensorboardx_logdir(root):
    tensorboardx = pytest.importorskip("tensorboardX")
    with tensorboardx.SummaryWriter(str(root)) as writer:
        for index in range(4):
            writer.add_hparams(
                {
                    "lr": 0.05 * (index + 1),
                    "opt": ["adam", "sgd"][index // 2],
                    "bn": index % 2 == 0,
                },
                {"hparam/accuracy": 0.6 + index / 10, "hparam/loss": 0.5 / (index + 1)},
                name=f"trial{index}",
            )


LOGDIRS = {
    "tf_config": lambda root: write_tf_logdir(root, with_config=True),
    "tf_inferred": lambda root: write_tf_logdir(root, with_config=False),
    "torch": write_torch_logdir,
    "tensorboardx": write_tensorboardx_logdir,
}


class Servers:
    """TensorBoard's WSGI app and Heron's ASGI app over one logdir."""

    def __init__(self, logdir, heron_provider):
        from tensorboard.backend import application
        from tensorboard.backend.event_processing import data_provider, plugin_event_multiplexer
        from tensorboard.plugins import base_plugin
        from tensorboard.plugins.hparams import hparams_plugin
        from tensorboard.plugins.scalar import scalars_plugin

        multiplexer = plugin_event_multiplexer.EventMultiplexer()
        multiplexer.AddRunsFromDirectory(str(logdir))
        multiplexer.Reload()
        provider = data_provider.MultiplexerDataProvider(multiplexer, str(logdir))
        context = base_plugin.TBContext(
            logdir=str(logdir), multiplexer=multiplexer, data_provider=provider
        )
        scalars = scalars_plugin.ScalarsPlugin(context)
        # /metric_evals finds the scalars plugin through the context, as in a real TensorBoard.
        context.plugin_name_to_instance = {"scalars": scalars}
        app = application.TensorBoardWSGI(
            [scalars, hparams_plugin.HParamsPlugin(context)], data_provider=provider
        )
        self.tensorboard = werkzeug_test.Client(app)
        self.heron = TestClient(
            create_app(ServerConfig(), heron_provider, plugins=default_plugins())
        )

    def post(self, route, body):
        path = f"/data/plugin/hparams/{route}"
        theirs = self.tensorboard.post(path, data=json.dumps(body))
        ours = self.heron.post(path, content=json.dumps(body))
        assert theirs.status_code == 200, theirs.get_data(as_text=True)
        assert ours.status_code == 200, ours.text
        return json.loads(theirs.get_data(as_text=True)), ours.json()

    def get(self, route, query):
        path = f"/data/plugin/hparams/{route}?{urllib.parse.urlencode(query)}"
        theirs, ours = self.tensorboard.get(path), self.heron.get(path)
        assert theirs.status_code == 200, theirs.get_data(as_text=True)
        assert ours.status_code == 200, ours.text
        return theirs, ours


@pytest.fixture(scope="module", params=sorted(LOGDIRS))
def servers(request, tmp_path_factory):
    root = tmp_path_factory.mktemp(f"hparams_{request.param}") / "logs"
    root.mkdir()
    LOGDIRS[request.param](root)
    db = root.parent / "index.sqlite"
    with heron.open(root, db=db) as experiment:
        yield request.param, Servers(root, experiment.provider)


def _sorted_domains(experiment):
    for info in experiment["hparamInfos"]:
        if "domainDiscrete" in info:
            info["domainDiscrete"] = sorted(info["domainDiscrete"], key=json.dumps)
    return experiment


def _metric_names(kind):
    if kind in ("torch", "tensorboardx"):
        return {"group": "", "tag": "hparam/accuracy"}, {"group": "", "tag": "hparam/loss"}
    return {"group": "", "tag": "accuracy"}, {"group": "validation", "tag": "loss"}


@pytest.mark.parametrize(
    "body", [{}, {"includeMetrics": False}, {"hparamsLimit": 2}, {"experimentName": "x"}]
)
def test_experiment_is_tensorboards(servers, body):
    kind, both = servers
    theirs, ours = both.post("experiment", body)
    if kind == "tf_inferred":
        theirs, ours = _sorted_domains(theirs), _sorted_domains(ours)
    assert ours == theirs
    assert ours["hparamInfos"]


def _requests(kind):
    first, second = _metric_names(kind)
    string_hparam = "optimizer" if kind.startswith("tf") else "opt"
    number_hparam = "lr"
    base = {"allowedStatuses": ALL_STATUSES, "sliceSize": 100}
    return [
        base,
        {**base, "allowedStatuses": ["STATUS_SUCCESS", "STATUS_UNKNOWN"]},
        {**base, "colParams": [{"hparam": number_hparam, "order": "ORDER_DESC"}]},
        {
            **base,
            "colParams": [
                {"hparam": string_hparam, "filterRegexp": "^s", "order": "ORDER_ASC"},
                {"metric": second, "order": "ORDER_DESC", "missingValuesFirst": True},
            ],
            "startIndex": 1,
            "sliceSize": 2,
        },
        {
            **base,
            "colParams": [
                {"metric": first, "filterInterval": {"minValue": 0.2, "maxValue": 0.9}},
                {"metric": second, "order": "ORDER_ASC"},
                {"hparam": number_hparam, "includeInResult": True},
            ],
        },
        {
            **base,
            "colParams": [
                {"metric": second, "excludeMissingValues": True},
                {"hparam": number_hparam, "filterDiscrete": [0.001, 0.1]},
            ],
        },
        {**base, "aggregationType": "AGGREGATION_MIN", "aggregationMetric": first},
        {**base, "aggregationType": "AGGREGATION_MAX", "aggregationMetric": first},
        {**base, "aggregationType": "AGGREGATION_MEDIAN", "aggregationMetric": first},
        {**base, "aggregationType": "AGGREGATION_AVG"},
        {**base, "includeMetrics": False},
    ]


@pytest.mark.parametrize("variant", range(11))
def test_session_groups_are_tensorboards(servers, variant):
    kind, both = servers
    body = _requests(kind)[variant]
    theirs, ours = both.post("session_groups", body)
    assert ours == theirs
    if variant == 0:
        assert ours["totalSize"] >= 4


def test_groups_and_metrics_are_what_was_written(servers):
    """A guard that the comparisons above compare something: groups with metric values."""
    kind, both = servers
    _, ours = both.post("session_groups", _requests(kind)[0])
    groups = ours["sessionGroups"]
    assert all(group["metricValues"] for group in groups)
    if kind.startswith("tf"):
        # The two trials without a trial id share one group (TensorFlow's hparams hash).
        assert sorted(len(group["sessions"]) for group in groups) == [1, 1, 1, 1, 2]


def test_metric_evals_are_tensorboards(servers):
    kind, both = servers
    for session in ("run-0", "run-4") if kind.startswith("tf") else ("trial1", "trial3"):
        for metric in _metric_names(kind):
            body = {"sessionName": session, "metricName": metric}
            theirs, ours = both.post("metric_evals", body)
            assert ours == theirs
            assert ours
            assert all(not math.isnan(value) for _, _, value in ours)


@pytest.mark.parametrize("fmt", ["csv", "json", "latex"])
def test_downloads_are_tensorboards(servers, fmt):
    kind, both = servers
    request = _requests(kind)[2]
    query = {
        "format": fmt,
        "columnsVisibility": json.dumps([True, False] * 4),
        "request": json.dumps(request),
    }
    theirs, ours = both.get("download_data", query)
    assert (
        ours.headers["content-type"].split(";")[0] == theirs.headers["content-type"].split(";")[0]
    )
    if fmt == "json":
        assert ours.json() == json.loads(theirs.get_data(as_text=True))
    else:
        assert ours.text == theirs.get_data(as_text=True)
