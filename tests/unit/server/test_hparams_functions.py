"""The hparams plugin over real logdirs: its functions and its routes (in-process ASGI client).

The "sweep" logdir holds sessions written as raw hparams records (no experiment
summary, so the experiment is inferred), with metrics in the session runs and
in ``eval`` sub-runs:

| session | group | lr   | opt  | bn    | status  | loss | eval/acc |
|---------|-------|------|------|-------|---------|------|----------|
| a/1     | g1    | 0.1  | adam | true  | success | 0.5  | 0.8      |
| a/2     | g1    | 0.1  | adam | true  | success | 0.3  | 0.9      |
| b       | (b)   | 0.01 | sgd  | false | failure | 0.7  | —        |
| c       | (c)   | 1.0  | sgd  | —     | (none)  | 0.2  | 0.6      |

"loose" holds a scalar but is no session, so its tag is no metric.
"""

from __future__ import annotations

import json
import math
import urllib.parse

import pytest

import heron
from heron import SummaryWriter
from heron.errors import InvalidArgumentError, NotFoundError
from heron.formats.proto.hparams_api_pb2 import (
    GetExperimentRequest,
    ListMetricEvalsRequest,
    ListSessionGroupsRequest,
)
from heron.formats.proto.summary_pb2 import Summary
from heron.formats.summaries import hparams as records
from heron.plugins import default_plugins
from heron.plugins.hparams import (
    HParamsPlugin,
    download_table,
    get_experiment,
    list_session_groups,
    metric_evals,
)
from heron.plugins.hparams.wire import parse_request, to_json
from heron.server import ServerConfig, create_app
from heron.testing.asgi import TestClient

ALL_STATUSES = ["STATUS_UNKNOWN", "STATUS_SUCCESS", "STATUS_FAILURE", "STATUS_RUNNING"]
SESSIONS = {
    "a/1": ({"lr": 0.1, "opt": "adam", "bn": True}, "g1", "success", 0.5, 0.8),
    "a/2": ({"lr": 0.1, "opt": "adam", "bn": True}, "g1", "success", 0.3, 0.9),
    "b": ({"lr": 0.01, "opt": "sgd", "bn": False}, "", "failure", 0.7, None),
    "c": ({"lr": 1.0, "opt": "sgd"}, "", None, 0.2, 0.6),
}


def _write_records(writer, *values):
    writer.file_writer.add_summary(Summary(value=list(values)), global_step=0)


def write_sweep(root):
    for index, (run, (hparams, group, status, loss, acc)) in enumerate(SESSIONS.items()):
        with SummaryWriter(root / run) as writer:
            start = records.session_start(hparams, group_name=group, start_time_secs=100.0 + index)
            _write_records(writer, start)
            for step in range(5):
                writer.add_scalar("loss", loss + (4 - step) * 0.1, step, walltime=1000.0 + step)
            if status is not None:
                _write_records(writer, records.session_end(status, end_time_secs=200.0 + index))
        if acc is not None:
            with SummaryWriter(root / run / "eval") as writer:
                writer.add_scalar("acc", acc / 2, 0, walltime=1000.0)
                writer.add_scalar("acc", acc, 10, walltime=1010.0)
    with SummaryWriter(root / "loose") as writer:
        writer.add_scalar("stray", 1.0, 0)


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    root = tmp_path_factory.mktemp("hparams_sweep") / "logs"
    write_sweep(root)
    with heron.open(root, db=root.parent / "index.sqlite") as experiment:
        yield experiment.provider


@pytest.fixture(scope="module")
def client(sweep):
    return TestClient(create_app(ServerConfig(), sweep, plugins=default_plugins()))


def _groups_request(**fields):
    fields.setdefault("allowedStatuses", ALL_STATUSES)
    fields.setdefault("sliceSize", 100)
    return parse_request(json.dumps(fields), ListSessionGroupsRequest)


def _groups(provider, **fields):
    return to_json(list_session_groups(provider, _groups_request(**fields)))


def _names(response):
    return [group["name"] for group in response["sessionGroups"]]


def _metrics(group):
    return {(m["name"]["group"], m["name"]["tag"]): m["value"] for m in group["metricValues"]}


# --- the experiment ----------------------------------------------------------------------------


def test_experiment_is_inferred_from_sessions_without_an_experiment_summary(sweep):
    experiment = to_json(get_experiment(sweep, GetExperimentRequest()))
    infos = {info["name"]: info for info in experiment["hparamInfos"]}
    # Hparams that differ come first, then by name: all three differ here.
    assert [info["name"] for info in experiment["hparamInfos"]] == ["bn", "lr", "opt"]
    assert infos["lr"]["type"] == "DATA_TYPE_FLOAT64"
    assert infos["lr"]["domainInterval"] == {"minValue": 0.01, "maxValue": 1.0}
    assert infos["opt"]["type"] == "DATA_TYPE_STRING"
    assert infos["opt"]["domainDiscrete"] == ["adam", "sgd"]
    assert infos["bn"]["type"] == "DATA_TYPE_BOOL"
    assert infos["bn"]["domainDiscrete"] == [False, True]
    assert all(info["differs"] for info in infos.values())
    # Metrics: scalar tags of session runs and their sub-runs, sorted by (tag, group);
    # the scalar of "loose" (no session) is not one.
    assert [info["name"] for info in experiment["metricInfos"]] == [
        {"group": "eval", "tag": "acc"},
        {"group": "", "tag": "loss"},
    ]


def test_experiment_without_metrics_and_with_an_hparams_limit(sweep):
    request = GetExperimentRequest(include_metrics=False, hparams_limit=2)
    experiment = to_json(get_experiment(sweep, request))
    assert experiment["metricInfos"] == []
    assert [info["name"] for info in experiment["hparamInfos"]] == ["bn", "lr"]


def test_an_hparam_of_mixed_types_is_a_string_with_every_value_in_its_domain(tmp_path):
    root = tmp_path / "logs"
    for run, value in (("x", 1.0), ("y", "big"), ("z", True)):
        with SummaryWriter(root / run) as writer:
            _write_records(writer, records.session_start({"size": value, "same": 3.0}))
    with heron.open(root, db=tmp_path / "index.sqlite") as opened:
        experiment = to_json(get_experiment(opened.provider, GetExperimentRequest()))
    size, same = experiment["hparamInfos"]
    assert size["type"] == "DATA_TYPE_STRING"
    assert size["domainDiscrete"] == ["1.0", "big", "true"]
    assert same == {
        "name": "same",
        "displayName": "",
        "description": "",
        "type": "DATA_TYPE_FLOAT64",
        "domainInterval": {"minValue": 3.0, "maxValue": 3.0},
        "differs": False,
    }


def test_empty_logdir_has_the_empty_experiment_and_no_groups(tmp_path):
    root = tmp_path / "logs"
    with SummaryWriter(root / "plain") as writer:
        writer.add_scalar("loss", 1.0, 0)
    with heron.open(root, db=tmp_path / "index.sqlite") as opened:
        assert not HParamsPlugin().is_active(opened.provider)
        assert to_json(get_experiment(opened.provider, GetExperimentRequest())) == {
            "name": "",
            "description": "",
            "user": "",
            "timeCreatedSecs": 0.0,
            "hparamInfos": [],
            "metricInfos": [],
        }
        assert _groups(opened.provider) == {"sessionGroups": [], "totalSize": 0}


# --- session groups ----------------------------------------------------------------------------


def test_sessions_are_grouped_by_group_name_else_their_run(sweep):
    response = _groups(sweep)
    assert response["totalSize"] == 3
    assert _names(response) == ["b", "c", "g1"]
    g1 = response["sessionGroups"][2]
    assert [session["name"] for session in g1["sessions"]] == ["a/1", "a/2"]
    assert g1["hparams"] == {"lr": 0.1, "opt": "adam", "bn": True}
    first = g1["sessions"][0]
    assert first["status"] == "STATUS_SUCCESS"
    assert (first["startTimeSecs"], first["endTimeSecs"]) == (100.0, 200.0)
    # A session's metric value is the last point, with its step and wall time.
    assert first["metricValues"] == [
        {
            "name": {"group": "eval", "tag": "acc"},
            "value": pytest.approx(0.8),
            "trainingStep": 10,
            "wallTimeSecs": 1010.0,
        },
        {
            "name": {"group": "", "tag": "loss"},
            "value": pytest.approx(0.5),
            "trainingStep": 4,
            "wallTimeSecs": 1004.0,
        },
    ]
    c = response["sessionGroups"][1]
    assert c["sessions"][0]["status"] == "STATUS_UNKNOWN"


def test_allowed_statuses_select_sessions_and_an_empty_list_allows_none(sweep):
    assert _names(_groups(sweep, allowedStatuses=["STATUS_SUCCESS"])) == ["g1"]
    assert _names(_groups(sweep, allowedStatuses=["STATUS_UNKNOWN", "STATUS_FAILURE"])) == [
        "b",
        "c",
    ]
    assert _groups(sweep, allowedStatuses=[]) == {"sessionGroups": [], "totalSize": 0}


@pytest.mark.parametrize(
    ("aggregation", "loss", "acc"),
    [
        ("AGGREGATION_AVG", 0.4, 0.85),
        ("AGGREGATION_MIN", 0.3, 0.9),
        ("AGGREGATION_MAX", 0.5, 0.8),
        # Of two sessions the median is the lower one.
        ("AGGREGATION_MEDIAN", 0.3, 0.9),
    ],
)
def test_aggregation_over_a_groups_sessions(sweep, aggregation, loss, acc):
    response = _groups(
        sweep,
        aggregationType=aggregation,
        aggregationMetric={"tag": "loss"},
        allowedStatuses=["STATUS_SUCCESS"],
    )
    (g1,) = response["sessionGroups"]
    assert _metrics(g1) == {("", "loss"): pytest.approx(loss), ("eval", "acc"): pytest.approx(acc)}


def test_average_step_and_wall_time_are_means(sweep):
    (g1,) = _groups(sweep, allowedStatuses=["STATUS_SUCCESS"])["sessionGroups"]
    loss = next(m for m in g1["metricValues"] if m["name"]["tag"] == "loss")
    assert (loss["trainingStep"], loss["wallTimeSecs"]) == (4, 1004.0)


def test_a_group_without_the_aggregation_metric_has_no_metric_values(sweep):
    response = _groups(sweep, aggregationType="AGGREGATION_MAX", aggregationMetric={"tag": "nope"})
    assert all(group["metricValues"] == [] for group in response["sessionGroups"])


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        ({"hparam": "opt", "filterRegexp": "^ad"}, ["g1"]),
        ({"hparam": "lr", "filterInterval": {"minValue": 0.05, "maxValue": 1.0}}, ["c", "g1"]),
        ({"hparam": "bn", "filterDiscrete": [False]}, ["b", "c"]),  # missing values pass...
        ({"hparam": "bn", "filterDiscrete": [False], "excludeMissingValues": True}, ["b"]),
        ({"hparam": "bn", "excludeMissingValues": True}, ["b", "g1"]),
        (
            {"metric": {"group": "eval", "tag": "acc"}, "filterInterval": {"maxValue": 0.7}},
            ["b", "c"],
        ),
        (
            {"metric": {"tag": "loss"}, "filterInterval": {"minValue": 0.35, "maxValue": 0.8}},
            ["b", "g1"],
        ),
    ],
)
def test_filters(sweep, column, expected):
    assert _names(_groups(sweep, colParams=[column])) == expected


@pytest.mark.parametrize(
    ("columns", "expected"),
    [
        ([{"hparam": "lr", "order": "ORDER_ASC"}], ["b", "g1", "c"]),
        ([{"hparam": "lr", "order": "ORDER_DESC"}], ["c", "g1", "b"]),
        ([{"metric": {"tag": "loss"}, "order": "ORDER_ASC"}], ["c", "g1", "b"]),
        # Missing values last unless asked first, in both directions.
        ([{"hparam": "bn", "order": "ORDER_ASC"}], ["b", "g1", "c"]),
        ([{"hparam": "bn", "order": "ORDER_ASC", "missingValuesFirst": True}], ["c", "b", "g1"]),
        ([{"hparam": "bn", "order": "ORDER_DESC"}], ["g1", "b", "c"]),
        ([{"hparam": "bn", "order": "ORDER_DESC", "missingValuesFirst": True}], ["c", "g1", "b"]),
        # The first ordered column is the primary key; ties keep the next key's order.
        (
            [{"hparam": "opt", "order": "ORDER_DESC"}, {"hparam": "lr", "order": "ORDER_DESC"}],
            ["c", "b", "g1"],
        ),
    ],
)
def test_sorting(sweep, columns, expected):
    assert _names(_groups(sweep, colParams=columns)) == expected


def test_paging_keeps_the_total_size(sweep):
    columns = [{"hparam": "lr", "order": "ORDER_ASC"}]
    response = _groups(sweep, colParams=columns, startIndex=1, sliceSize=1)
    assert (_names(response), response["totalSize"]) == (["g1"], 3)
    assert _groups(sweep, colParams=columns, startIndex=5, sliceSize=2)["sessionGroups"] == []


def test_include_in_result_keeps_only_included_hparams(sweep):
    columns = [
        {"hparam": "lr", "includeInResult": True},
        {"hparam": "opt", "includeInResult": False},
    ]
    response = _groups(sweep, colParams=columns)
    assert [group["hparams"] for group in response["sessionGroups"]] == [
        {"lr": 0.01},
        {"lr": 1.0},
        {"lr": 0.1},
    ]


def test_without_metrics_sessions_carry_none(sweep):
    response = _groups(sweep, includeMetrics=False)
    for group in response["sessionGroups"]:
        assert group["metricValues"] == []
        assert all(session["metricValues"] == [] for session in group["sessions"])


# --- metric evals and downloads ----------------------------------------------------------------


def test_metric_evals_read_the_metric_series_of_the_session(sweep):
    request = ListMetricEvalsRequest(session_name="a/1")
    request.metric_name.group, request.metric_name.tag = "eval", "acc"
    assert metric_evals(sweep, request) == [
        [1000.0, 0, pytest.approx(0.4)],
        [1010.0, 10, pytest.approx(0.8)],
    ]
    request.metric_name.group = ""
    with pytest.raises(NotFoundError):
        metric_evals(sweep, request)


def test_download_table_has_hparam_and_metric_columns(sweep):
    request = _groups_request(colParams=[{"hparam": "lr", "order": "ORDER_ASC"}])
    table = download_table(sweep, request, [True, True, False, True, True])
    assert table.header == ["bn", "lr", "acc", "loss"]
    assert table.rows == [
        [False, 0.01, None, pytest.approx(0.7)],
        [True, 0.1, pytest.approx(0.85), pytest.approx(0.4)],
        ["", 1.0, pytest.approx(0.6), pytest.approx(0.2)],
    ]


# --- HTTP --------------------------------------------------------------------------------------

GROUPS_BODY = {"allowedStatuses": ALL_STATUSES, "sliceSize": 10}


def test_routes_take_the_request_as_a_post_body_or_a_get_parameter(client):
    path = "/data/plugin/hparams/session_groups"
    posted = client.post(path, content=json.dumps(GROUPS_BODY))
    query = urllib.parse.urlencode({"request": json.dumps(GROUPS_BODY)})
    fetched = client.get(f"{path}?{query}")
    assert posted.status_code == fetched.status_code == 200
    assert posted.headers["content-type"] == "application/json"
    assert posted.json() == fetched.json()
    assert posted.json()["totalSize"] == 3


def test_experiment_route(client):
    response = client.post("/data/plugin/hparams/experiment", content='{"experimentName": ""}')
    assert response.status_code == 200
    assert [info["name"] for info in response.json()["hparamInfos"]] == ["bn", "lr", "opt"]


def test_metric_evals_route(client):
    body = {"sessionName": "c", "metricName": {"group": "", "tag": "loss"}}
    response = client.post("/data/plugin/hparams/metric_evals", content=json.dumps(body))
    assert response.status_code == 200
    assert [step for _, step, _ in response.json()] == [0, 1, 2, 3, 4]


def _download(client, fmt, visibility=(True, True, True, True, True)):
    query = urllib.parse.urlencode(
        {
            "format": fmt,
            "columnsVisibility": json.dumps(list(visibility)),
            "request": json.dumps({**GROUPS_BODY, "colParams": [{"hparam": "lr", "order": 1}]}),
        }
    )
    return client.get(f"/data/plugin/hparams/download_data?{query}")


def test_download_formats(client):
    csv = _download(client, "csv", (False, True, False, False, True))
    assert csv.headers["content-type"].startswith("text/csv")
    lines = csv.text.split("\r\n")
    assert lines[0] == "lr,loss"
    assert [[float(cell) for cell in line.split(",")] for line in lines[1:-1]] == [
        [0.01, pytest.approx(0.7)],
        [0.1, pytest.approx(0.4)],
        [1.0, pytest.approx(0.2)],
    ]
    assert lines[-1] == ""
    as_json = _download(client, "json").json()
    assert as_json["header"] == ["bn", "lr", "opt", "acc", "loss"]
    assert as_json["rows"][0][:4] == [False, 0.01, "sgd", None]
    latex = _download(client, "latex", (False, True, True, True, False))
    assert latex.headers["content-type"].startswith("application/x-latex")
    assert latex.text == (
        "\\begin{table}[tbp]\n"
        "\\begin{tabular}{lll}\n"
        "lr & opt & acc \\\\ \\hline\n"
        "$0.01$ & sgd & - \\\\\n"
        "$0.1$ & adam & $0.85$ \\\\\n"
        "$1$ & sgd & $0.6$ \\\\\n"
        "\\hline\n"
        "\\end{tabular}\n"
        "\\end{table}\n"
    )


@pytest.mark.parametrize(
    ("route", "query_or_body"),
    [
        ("experiment", None),  # no request at all
        ("experiment", "{not json"),
        ("experiment", '{"noSuchField": 1}'),
        ("experiment", '{"hparamsLimit": -1}'),
        ("session_groups", '{"colParams": [{"order": "ORDER_ASC"}]}'),
        ("session_groups", '{"colParams": [{"hparam": "opt", "filterRegexp": "("}]}'),
        ("session_groups", '{"colParams": [{"hparam": "lr", "filterRegexp": "1"}]}'),
        ("session_groups", '{"colParams": [{"hparam": "opt", "filterInterval": {}}]}'),
        ("session_groups", '{"sliceSize": -1}'),
        ("session_groups", '{"aggregationType": "AGGREGATION_MIN"}'),
        ("session_groups", '{"aggregationType": 9}'),
        ("session_groups", '{"colParams": [{"hparam": "lr", "order": 7}]}'),
        ("metric_evals", '{"sessionName": 3}'),
    ],
)
def test_bad_requests_are_400_with_a_message(client, route, query_or_body):
    body = query_or_body
    if body is not None and route == "session_groups":
        body = json.dumps({**GROUPS_BODY, **json.loads(body)})
    path = f"/data/plugin/hparams/{route}"
    response = client.post(path, content=body or "")
    assert response.status_code == 400, response.text
    assert response.text
    if body is not None:
        query = urllib.parse.urlencode({"request": body})
        assert client.get(f"{path}?{query}").status_code == 400


@pytest.mark.parametrize(
    "query",
    [
        {"format": "xml", "columnsVisibility": "[]", "request": "{}"},
        {"format": "csv", "request": "{}"},
        {"format": "csv", "columnsVisibility": "[1, 2]", "request": "{}"},
        {"format": "csv", "columnsVisibility": "[true]"},
    ],
)
def test_bad_downloads_are_400(client, query):
    response = client.get(f"/data/plugin/hparams/download_data?{urllib.parse.urlencode(query)}")
    assert response.status_code == 400, response.text


def test_unknown_metric_series_is_404(client):
    body = {"sessionName": "ghost", "metricName": {"tag": "loss"}}
    response = client.post("/data/plugin/hparams/metric_evals", content=json.dumps(body))
    assert response.status_code == 404


def test_the_plugin_is_listed_and_enabled(client):
    listing = client.get("/data/plugins_listing").json()
    assert listing["hparams"]["enabled"] is True
    assert listing["hparams"]["loading_mechanism"] == {
        "type": "CUSTOM_ELEMENT",
        "element_name": "tf-hparams-dashboard",
    }
    # TensorBoard's tab order puts it after pr_curves (text when that is absent).
    names = [plugin.name for plugin in default_plugins()]
    assert names.index("text") < names.index("hparams")
    if "pr_curves" in names:
        assert names.index("pr_curves") < names.index("hparams")


def test_parse_request_rejects_non_objects():
    with pytest.raises(InvalidArgumentError):
        parse_request("[1, 2]", GetExperimentRequest)
    with pytest.raises(InvalidArgumentError):
        parse_request(b"\xff\xfe", GetExperimentRequest)


# --- writers' add_hparams ----------------------------------------------------------------------


def test_herons_add_hparams_sub_runs_are_sessions_of_the_recorded_experiment(tmp_path):
    root = tmp_path / "logs"
    with SummaryWriter(root) as writer:
        for index in range(3):
            writer.add_hparams(
                {"lr": 0.1 * (index + 1), "opt": "adam" if index else "sgd"},
                {"hparam/acc": 0.5 + index / 10},
                hparam_domain_discrete={"opt": ["adam", "sgd"]},
                run_name=f"trial{index}",
            )
    with heron.open(root, db=tmp_path / "index.sqlite") as opened:
        provider = opened.provider
        experiment = to_json(get_experiment(provider, GetExperimentRequest()))
        assert {info["name"]: info.get("domainDiscrete") for info in experiment["hparamInfos"]} == {
            "lr": None,
            "opt": ["adam", "sgd"],
        }
        assert experiment["metricInfos"] == [
            {
                "name": {"group": "", "tag": "hparam/acc"},
                "displayName": "",
                "description": "",
                "datasetType": "DATASET_UNKNOWN",
            }
        ]
        response = _groups(provider, colParams=[{"hparam": "lr", "order": "ORDER_DESC"}])
    assert _names(response) == ["trial2", "trial1", "trial0"]
    assert [_metrics(group) for group in response["sessionGroups"]] == [
        {("", "hparam/acc"): pytest.approx(0.7)},
        {("", "hparam/acc"): pytest.approx(0.6)},
        {("", "hparam/acc"): pytest.approx(0.5)},
    ]
    assert all(
        group["sessions"][0]["status"] == "STATUS_SUCCESS" for group in response["sessionGroups"]
    )


def test_a_session_in_the_root_run_owns_the_runs_below_it(tmp_path):
    root = tmp_path / "logs"
    with SummaryWriter(root) as writer:
        writer.add_scalar("loss", 0.25, 3)
        writer.add_hparams({"lr": 0.1}, {"loss": None}, own_run=True)
    with SummaryWriter(root / "eval") as writer:
        writer.add_scalar("acc", 0.75, 3)
    with heron.open(root, db=tmp_path / "index.sqlite") as opened:
        provider = opened.provider
        # Heron's writer records the experiment with the metric it was given.
        (group,) = _groups(provider)["sessionGroups"]
        assert group["name"] == "."
        assert _metrics(group) == {("", "loss"): 0.25}
        request = ListMetricEvalsRequest(session_name=".")
        request.metric_name.tag = "loss"
        assert [step for _, step, _ in metric_evals(provider, request)] == [3]
        request.metric_name.group, request.metric_name.tag = "eval", "acc"
        assert metric_evals(provider, request)[0][1:] == [3, 0.75]


def test_torchs_add_hparams_sub_runs_are_sessions(tmp_path):
    torch_tensorboard = pytest.importorskip("torch.utils.tensorboard")
    root = tmp_path / "logs"
    writer = torch_tensorboard.SummaryWriter(str(root))
    for index in range(3):
        writer.add_hparams(
            {"lr": 0.1 * (index + 1), "bsize": 16 * (index + 1), "opt": "adam"},
            {"hparam/loss": 1.0 / (index + 1)},
            run_name=f"t{index}",
        )
    writer.close()
    with heron.open(root, db=tmp_path / "index.sqlite") as opened:
        provider = opened.provider
        experiment = to_json(get_experiment(provider, GetExperimentRequest()))
        assert sorted(info["name"] for info in experiment["hparamInfos"]) == ["bsize", "lr", "opt"]
        response = _groups(
            provider,
            colParams=[{"metric": {"tag": "hparam/loss"}, "order": "ORDER_ASC"}],
            allowedStatuses=["STATUS_SUCCESS"],
        )
    assert _names(response) == ["t2", "t1", "t0"]
    assert response["sessionGroups"][0]["hparams"] == {
        "lr": pytest.approx(0.3),
        "bsize": 48.0,
        "opt": "adam",
    }
    assert _metrics(response["sessionGroups"][2]) == {("", "hparam/loss"): 1.0}


def test_non_finite_values_never_break_the_json(tmp_path):
    root = tmp_path / "logs"
    with SummaryWriter(root) as writer:
        info = records.hparam_info("x", 1.0, domain=[1.0, math.nan])
        _write_records(writer, records.experiment([info], ["loss"]))
    with SummaryWriter(root / "run") as writer:
        _write_records(writer, records.session_start({"x": math.nan, "y": 2.0}))
        writer.add_scalar("loss", math.nan, 0)
    with heron.open(root, db=tmp_path / "index.sqlite") as opened:
        client = TestClient(create_app(ServerConfig(), opened.provider, plugins=default_plugins()))
        experiment = client.post("/data/plugin/hparams/experiment", content="{}")
        groups = client.post("/data/plugin/hparams/session_groups", content=json.dumps(GROUPS_BODY))
    assert experiment.status_code == groups.status_code == 200
    # A NaN Value has no proto3 JSON form: it is left out of group hparams (as TensorBoard
    # does) and of domains (where TensorBoard fails).
    assert experiment.json()["hparamInfos"][0]["domainDiscrete"] == [1.0]
    (group,) = groups.json()["sessionGroups"]
    assert group["hparams"] == {"y": 2.0}
    assert group["metricValues"][0]["value"] == "NaN"
