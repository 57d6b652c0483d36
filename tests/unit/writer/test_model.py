"""add_graph, add_onnx_graph, add_embedding, add_hparams."""

import os
import sys
import types

import numpy as np
import pytest
from google.protobuf import text_format
from PIL import Image

from heron import SummaryWriter
from heron.formats.proto.graph_pb2 import GraphDef
from heron.formats.proto.hparams_api_pb2 import DATA_TYPE_BOOL, DATA_TYPE_FLOAT64, DATA_TYPE_STRING
from heron.formats.proto.hparams_plugin_pb2 import HParamsPluginData
from heron.formats.proto.projector_config_pb2 import ProjectorConfig
from heron.formats.proto.run_metadata_pb2 import RunMetadata

# ---- graphs ----------------------------------------------------------------------------


def graph_of(events_of, logdir):
    events = events_of(logdir)
    (graph_event,) = [event for event in events if event.graph_def]
    return GraphDef.FromString(graph_event.graph_def), events


def test_a_traced_model_becomes_a_named_scoped_graph(writer, logdir, events_of):
    torch = pytest.importorskip("torch")
    model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU())
    model.train()
    writer.add_graph(model, torch.randn(2, 4))
    assert model.training  # the mode is restored
    writer.flush()
    graph, events = graph_of(events_of, logdir)
    nodes = {node.name: node for node in graph.node}
    assert nodes["input/input.1"].op == "IO Node"
    assert [d.size for d in nodes["input/input.1"].attr["_output_shapes"].list.shape[0].dim] == [
        2,
        4,
    ]
    assert nodes["output/output.1"].op == "IO Node"
    linear = [node for node in graph.node if node.op == "aten::linear"]
    assert len(linear) == 1
    assert linear[0].name.startswith("Sequential/Linear[0]/")
    assert nodes["output/output.1"].input[0].startswith("Sequential/ReLU[1]/")
    assert graph.versions.producer == 22
    (tagged,) = [event for event in events if event.HasField("tagged_run_metadata")]
    metadata = RunMetadata.FromString(tagged.tagged_run_metadata.run_metadata)
    assert tagged.tagged_run_metadata.tag == "step1"
    assert metadata.step_stats.dev_stats[0].device == "/device:CPU:0"


def test_a_model_with_several_inputs_and_outputs(writer, logdir, events_of):
    torch = pytest.importorskip("torch")

    class Two(torch.nn.Module):
        def forward(self, x, y):
            return x + y, x * y

    writer.add_graph(Two(), (torch.ones(2), torch.ones(2)), verbose=False)
    writer.flush()
    names = {node.name for node in graph_of(events_of, logdir)[0].node}
    assert {"input/x", "input/y", "output/output.1"} <= names


def test_add_graph_needs_a_module(writer):
    with pytest.raises(TypeError, match=r"torch\.nn\.Module"):
        writer.add_graph(lambda x: x, 1)


def test_an_onnx_file_becomes_a_graph(writer, logdir, events_of, monkeypatch):
    def value(name, elem_type, dims):
        dimensions = [types.SimpleNamespace(dim_value=d) for d in dims]
        shape = types.SimpleNamespace(dim=dimensions)
        return types.SimpleNamespace(
            name=name,
            type=types.SimpleNamespace(
                tensor_type=types.SimpleNamespace(elem_type=elem_type, shape=shape)
            ),
        )

    class Attribute:
        def ListFields(self):  # noqa: N802 - protobuf's name
            return [("name", "alpha"), ("f", 0.5)]

    node = types.SimpleNamespace(
        output=["y"], op_type="LeakyRelu", input=["x"], attribute=[Attribute()]
    )
    graph = types.SimpleNamespace(
        input=[value("x", 1, [1, 3])], output=[value("y", 1, [1, 3])], node=[node]
    )
    fake = types.ModuleType("onnx")
    fake.load = lambda path: types.SimpleNamespace(graph=graph)
    monkeypatch.setitem(sys.modules, "onnx", fake)
    writer.add_onnx_graph("model.onnx")
    writer.flush()
    nodes = {n.name: n for n in graph_of(events_of, logdir)[0].node if n.op != "Variable"}
    assert nodes["y"].op == "LeakyRelu"
    assert list(nodes["y"].input) == ["x"]
    assert nodes["y"].attr["parameters"].s == b"alpha = 0.5"


def test_add_onnx_graph_without_onnx_says_what_to_install(writer, monkeypatch):
    monkeypatch.setitem(sys.modules, "onnx", None)
    with pytest.raises(ImportError, match="pip install onnx"):
        writer.add_onnx_graph("model.onnx")


# ---- embeddings ------------------------------------------------------------------------


def projector_config(logdir):
    with open(os.path.join(logdir, "projector_config.pbtxt")) as stream:
        return text_format.Parse(stream.read(), ProjectorConfig())


def test_embedding_files_and_config(writer, logdir):
    points = np.array([[0.5, 1.0], [2.0, -3.25], [0.1, 0.2]], dtype=np.float32)
    thumbnails = np.zeros((3, 3, 2, 4))
    thumbnails[1] = 1.0
    writer.add_embedding(points, ["a", "b", "c"], thumbnails, global_step=7, tag="words/x")
    writer.flush()
    directory = os.path.join(logdir, "00007", "words%2fx")
    with open(os.path.join(directory, "tensors.tsv")) as stream:
        assert stream.read() == "0.5\t1.0\n2.0\t-3.25\n0.10000000149011612\t0.20000000298023224\n"
    with open(os.path.join(directory, "metadata.tsv")) as stream:
        assert stream.read() == "a\nb\nc\n"
    sprite = np.asarray(Image.open(os.path.join(directory, "sprite.png")))
    assert sprite.shape == (8, 8, 3)  # 2 per row, on a square canvas
    assert sprite[0, 4:].min() == 255
    assert sprite[0, :4].max() == 0
    assert sprite[4:].max() == 0
    (info,) = projector_config(logdir).embeddings
    assert info.tensor_name == "words/x:00007"
    assert info.tensor_path == "00007/words%2fx/tensors.tsv"
    assert info.metadata_path == "00007/words%2fx/metadata.tsv"
    assert info.sprite.image_path == "00007/words%2fx/sprite.png"
    assert list(info.sprite.single_image_dim) == [4, 2]


def test_a_metadata_header_is_the_first_line_only_for_several_columns(writer, logdir):
    writer.add_embedding(
        np.eye(2), [["a", 1], ["b\tc", 2]], metadata_header=["name", "n"], tag="two"
    )
    writer.add_embedding(np.eye(2), [["a"], ["b"]], metadata_header=["name"], tag="one")
    writer.flush()
    with open(os.path.join(logdir, "00000", "two", "metadata.tsv")) as stream:
        assert stream.read() == "name\tn\na\t1\nb c\t2\n"
    with open(os.path.join(logdir, "00000", "one", "metadata.tsv")) as stream:
        assert stream.read() == "a\nb\n"


def test_the_config_lists_every_embedding_even_across_writers(logdir):
    with SummaryWriter(logdir) as first:
        first.add_embedding(np.eye(2), tag="a", global_step=1)
        first.add_embedding(np.eye(2), tag="b", global_step=1)
    with SummaryWriter(logdir) as second, pytest.warns(UserWarning, match="overwritten"):
        second.add_embedding(np.eye(3), tag="a", global_step=1)
    names = [info.tensor_name for info in projector_config(logdir).embeddings]
    assert names == ["b:00001", "a:00001"]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"mat": np.zeros(3)}, ValueError, "2-D"),
        ({"mat": np.zeros((0, 2))}, ValueError, "no points"),
        ({"mat": np.array([[np.nan, 1.0]])}, ValueError, "NaN"),
        ({"mat": np.zeros((2, 2)), "metadata": ["a"]}, ValueError, "1 metadata rows for 2"),
        (
            {
                "mat": np.zeros((2, 2)),
                "metadata": [["a"], ["b", "c"]],
                "metadata_header": ["x", "y"],
            },
            ValueError,
            "row 0 must have 2 cells",
        ),
        ({"mat": np.zeros((2, 2)), "label_img": np.zeros((2, 3, 4))}, ValueError, "N, C, H, W"),
        ({"mat": np.zeros((2, 2)), "label_img": np.zeros((3, 3, 4, 4))}, ValueError, "3 label"),
        ({"mat": np.zeros((2, 2)), "tag": 5}, TypeError, "tag"),
    ],
)
def test_bad_embeddings_raise(writer, kwargs, error, match):
    with pytest.raises(error, match=match):
        writer.add_embedding(**kwargs)


def test_an_embedding_directory_that_is_a_file_raises(writer, logdir):
    os.makedirs(os.path.join(logdir, "00000"))
    with open(os.path.join(logdir, "00000", "default"), "w"):
        pass
    with pytest.raises(NotADirectoryError):
        writer.add_embedding(np.eye(2))


# ---- hparams ---------------------------------------------------------------------------


def hparams_records(values_of, run_dir):
    found = values_of(run_dir)
    records = {}
    for tag in (
        "_hparams_/experiment",
        "_hparams_/session_start_info",
        "_hparams_/session_end_info",
    ):
        ((step, value),) = found[tag]
        assert value.metadata.plugin_data.plugin_name == "hparams"
        assert [value.tensor.tensor_shape.dim[0].size for _ in [0]] == [0]
        records[tag.split("/")[1]] = (
            step,
            HParamsPluginData.FromString(value.metadata.plugin_data.content),
        )
    return records, found


def test_hparams_go_to_a_timestamped_sub_run_like_pytorch(writer, logdir, values_of, scalars_of):
    writer.add_hparams(
        {"lr": 0.1, "layers": 3, "opt": "adam", "bn": True, "skip": None}, {"acc": 0.9}
    )
    writer.flush()
    (sub,) = [name for name in os.listdir(logdir) if os.path.isdir(os.path.join(logdir, name))]
    float(sub)  # named by the current time
    records, _ = hparams_records(values_of, os.path.join(logdir, sub))
    start = records["session_start_info"][1].session_start_info
    assert dict(start.hparams) == {
        "lr": start.hparams["lr"],
        "layers": start.hparams["layers"],
        "opt": start.hparams["opt"],
        "bn": start.hparams["bn"],
    }
    assert start.hparams["lr"].number_value == 0.1
    assert start.hparams["layers"].number_value == 3
    assert start.hparams["opt"].string_value == "adam"
    assert start.hparams["bn"].bool_value is True
    experiment = records["experiment"][1].experiment
    types_ = {info.name: info.type for info in experiment.hparam_infos}
    assert types_ == {
        "lr": DATA_TYPE_FLOAT64,
        "layers": DATA_TYPE_FLOAT64,
        "opt": DATA_TYPE_STRING,
        "bn": DATA_TYPE_BOOL,
    }
    assert [info.name.tag for info in experiment.metric_infos] == ["acc"]
    assert records["session_end_info"][1].session_end_info.status == 1  # success
    assert scalars_of(os.path.join(logdir, sub)) == {"acc": [(0, pytest.approx(0.9))]}


def test_run_name_and_global_step(writer, logdir, values_of, scalars_of):
    writer.add_hparams({"lr": np.float32(0.5)}, {"m": 1}, run_name="trial-1", global_step=3)
    writer.add_hparams({"lr": 0.25}, {"m": 2}, run_name="trial-1", global_step=4)
    writer.flush()
    run = os.path.join(logdir, "trial-1")
    assert scalars_of(run) == {"m": [(3, 1.0), (4, 2.0)]}
    assert [step for step, _ in values_of(run)["_hparams_/session_start_info"]] == [3, 4]


def test_own_run_puts_the_session_in_this_writers_run(writer, logdir, values_of, scalars_of):
    writer.add_scalar("val/acc", 0.7, 10)
    writer.add_hparams({"lr": 0.1}, {"val/acc": None, "extra": 2.0}, own_run=True, global_step=10)
    writer.add_hparams({"lr": 0.2}, {}, run_name=".")
    writer.flush()
    assert not [name for name in os.listdir(logdir) if os.path.isdir(os.path.join(logdir, name))]
    assert scalars_of(logdir)["val/acc"] == [(10, pytest.approx(0.7))]  # no extra point
    assert scalars_of(logdir)["extra"] == [(10, 2.0)]
    experiment = HParamsPluginData.FromString(
        values_of(logdir)["_hparams_/experiment"][0][1].metadata.plugin_data.content
    ).experiment
    assert [info.name.tag for info in experiment.metric_infos] == ["val/acc", "extra"]


def test_discrete_domains(writer, logdir, values_of):
    writer.add_hparams({"opt": "sgd"}, {}, {"opt": ["sgd", "adam"]}, run_name="r")
    writer.flush()
    records, _ = hparams_records(values_of, os.path.join(logdir, "r"))
    (info,) = records["experiment"][1].experiment.hparam_infos
    assert [v.string_value for v in info.domain_discrete.values] == ["sgd", "adam"]


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        (([("lr", 1)], {}), TypeError, "dictionaries"),
        (({"lr": [1, 2]}, {}), ValueError, "pass str"),
        (({"lr": 1.0}, {}, {"other": [1.0]}), TypeError, "hparam_domain_discrete"),
        (({"lr": 1.0}, {}, {"lr": ["a"]}), TypeError, "same type"),
        (({"lr": 1.0}, {"m": "high"}), TypeError, "number"),
    ],
)
def test_bad_hparams_raise(writer, args, error, match):
    with pytest.raises(error, match=match):
        writer.add_hparams(*args)


def test_tensor_hparams_are_numbers(writer, logdir, values_of):
    torch = pytest.importorskip("torch")
    writer.add_hparams({"lr": torch.tensor(0.5), "flag": np.bool_(True)}, {}, run_name="t")
    writer.flush()
    records, _ = hparams_records(values_of, os.path.join(logdir, "t"))
    start = records["session_start_info"][1].session_start_info
    assert start.hparams["lr"].number_value == 0.5
    assert start.hparams["flag"].bool_value is True


def test_tracer_warnings_are_not_passed_on(writer, recwarn):
    torch = pytest.importorskip("torch")
    writer.add_graph(torch.nn.LSTM(4, 5, batch_first=True), torch.randn(2, 3, 4))
    assert not [w for w in recwarn if issubclass(w.category, torch.jit.TracerWarning)]
