"""Histograms, text, tensors, HTML, tables, PR curves, custom scalars, meshes."""

import io
import json

import numpy as np
import pytest
from PIL import Image

from heron.formats.proto.custom_scalars_layout_pb2 import Layout
from heron.formats.proto.mesh_plugin_pb2 import MeshPluginData
from heron.formats.proto.pr_curves_plugin_pb2 import PrCurvePluginData
from heron.formats.proto.types_pb2 import DT_FLOAT, DT_INT32, DT_STRING, DT_UINT8
from heron.formats.summaries.histograms import tensorflow_bins
from heron.formats.tensors import make_ndarray
from heron.writer import TableImage


def only(values_of, logdir, tag):
    ((step, value),) = values_of(logdir)[tag]
    return step, value


# ---- histograms ------------------------------------------------------------------------


def test_tensorflow_bins_are_tensorflows():
    edges = tensorflow_bins()
    assert len(edges) == 1549
    assert edges[774] == 0.0
    assert edges[775] == 1e-12
    assert edges[-1] < 1e20 < edges[-1] * 1.1
    assert edges[:774] == [-e for e in reversed(edges[775:])]


def test_a_histogram_spans_min_to_max_over_non_empty_buckets(writer, logdir, values_of):
    data = np.random.default_rng(0).normal(size=10_000)
    writer.add_histogram("h", data, 3)
    writer.flush()
    step, value = only(values_of, logdir, "h")
    table = make_ndarray(value.tensor)
    assert step == 3
    assert value.metadata.plugin_data.plugin_name == "histograms"
    assert table[0, 0] == data.min()
    assert table[-1, 1] == data.max()
    assert table[:, 2].sum() == data.size
    assert table[0, 2] > 0
    assert table[-1, 2] > 0
    np.testing.assert_array_equal(table[1:, 0], table[:-1, 1])  # contiguous buckets


@pytest.mark.parametrize("bins", ["auto", "fd", 7, [0.0, 0.25, 0.5, 1.0], np.linspace(0, 1, 5)])
def test_other_bin_rules(writer, logdir, values_of, bins):
    data = np.random.default_rng(1).random(500)
    writer.add_histogram("h", data, 1, bins=bins)
    writer.flush()
    table = make_ndarray(only(values_of, logdir, "h")[1].tensor)
    assert table[:, 2].sum() == 500


def test_max_bins_merges_adjacent_buckets(writer, logdir, values_of):
    data = np.arange(100, dtype=float)
    writer.add_histogram("h", data, 1, bins=100, max_bins=10)
    writer.flush()
    table = make_ndarray(only(values_of, logdir, "h")[1].tensor)
    assert len(table) == 10
    assert (table[:, 2] == 10).all()


def test_constant_data_and_torch_tensors(writer, logdir, values_of):
    torch = pytest.importorskip("torch")
    writer.add_histogram("const", torch.full((5,), 2.0), 1)
    writer.add_histogram("ints", np.array([1, 2, 3]), 1)
    writer.flush()
    table = make_ndarray(only(values_of, logdir, "const")[1].tensor)
    assert table[:, 2].sum() == 5
    assert table[0, 0] == 2.0
    assert table[-1, 1] == 2.0


@pytest.mark.parametrize(
    ("values", "kwargs", "error", "match"),
    [
        (np.array([]), {}, ValueError, "no values"),
        (np.array([1.0, np.nan, np.inf]), {}, ValueError, "2 of 3 values are NaN or infinite"),
        (np.array(["a"]), {}, TypeError, "real numbers"),
        (np.ones(3), {"bins": "magic"}, ValueError, "bins must be one of"),
        (np.ones(3), {"bins": 0}, ValueError, "at least 1"),
        (np.ones(3), {"bins": [1.0, 0.0]}, ValueError, "strictly increasing"),
        (np.ones(3), {"max_bins": 0}, ValueError, "max_bins"),
    ],
)
def test_bad_histograms_raise_on_the_callers_thread(writer, values, kwargs, error, match):
    with pytest.raises(error, match=match):
        writer.add_histogram("h", values, 1, **kwargs)


def test_histogram_raw_is_written_as_given(writer, logdir, values_of):
    writer.add_histogram_raw("raw", 0, 10, 5, 20, 100, np.array([2, 10]), [3, 2], 4)
    writer.flush()
    step, value = only(values_of, logdir, "raw")
    assert step == 4
    assert list(value.histo.bucket_limit) == [2, 10]
    assert list(value.histo.bucket) == [3, 2]
    assert (value.histo.min, value.histo.max, value.histo.num) == (0, 10, 5)
    with pytest.raises(ValueError, match="len"):
        writer.add_histogram_raw("raw", 0, 1, 1, 1, 1, [1, 2], [1], 1)


# ---- text, tensors, html ---------------------------------------------------------------


def test_text_goes_under_text_summary_as_a_one_cell_table(writer, logdir, values_of):
    writer.add_text("notes", "**bold** ünïcode", 2)
    writer.flush()
    _, value = only(values_of, logdir, "notes/text_summary")
    assert value.metadata.plugin_data.plugin_name == "text"
    assert value.tensor.dtype == DT_STRING
    assert make_ndarray(value.tensor).tolist() == ["**bold** ünïcode".encode()]
    with pytest.raises(TypeError, match="str"):
        writer.add_text("notes", 3, 1)


def test_tensors_keep_dtype_and_shape(writer, logdir, values_of):
    writer.add_tensor("t", np.arange(6, dtype=np.int32).reshape(2, 3), 1)
    writer.flush()
    value = only(values_of, logdir, "t")[1]
    assert value.metadata.plugin_data.plugin_name == "tensor"
    assert value.tensor.dtype == DT_INT32
    np.testing.assert_array_equal(make_ndarray(value.tensor), np.arange(6).reshape(2, 3))


def test_html_is_stored_as_given_under_herons_plugin(writer, logdir, values_of):
    markup = "<p onclick='x()'>hi</p>"
    writer.add_html("page", markup, 1)
    writer.flush()
    value = only(values_of, logdir, "page")[1]
    assert value.metadata.plugin_data.plugin_name == "heron_html"
    assert make_ndarray(value.tensor).item() == markup.encode()
    with pytest.raises(TypeError):
        writer.add_html("page", b"<p>", 1)


# ---- tables ----------------------------------------------------------------------------


def read_table(values_of, logdir, tag):
    value = only(values_of, logdir, tag)[1]
    assert value.metadata.plugin_data.plugin_name == "heron_table"
    blobs = make_ndarray(value.tensor).tolist()
    return json.loads(blobs[0]), blobs[1:]


@pytest.mark.parametrize(
    ("rows", "columns"),
    [
        ([[1, "a"], [2.5, None]], ["n", "s"]),
        ([{"n": 1, "s": "a"}, {"n": 2.5}], None),
        ({"n": [1, 2.5], "s": ["a", None]}, None),
        ([(np.int64(1), "a"), (np.float32(2.5), None)], ["n", "s"]),
    ],
)
def test_tables_from_rows_dicts_and_columns(writer, logdir, values_of, rows, columns):
    writer.add_table("tab", rows, 1, columns=columns)
    writer.flush()
    document, images = read_table(values_of, logdir, "tab")
    assert document == {"columns": ["n", "s"], "rows": [[1, "a"], [2.5, None]]}
    assert images == []


def test_a_dataframe_is_a_table():
    pandas = pytest.importorskip("pandas")
    from heron.writer.tables import capture_table

    captured = capture_table(pandas.DataFrame({"a": [1, 2], "b": ["x", "y"]}))
    assert captured.columns == ["a", "b"]
    assert captured.rows == [[1, "x"], [2, "y"]]


def test_image_cells_become_png_blobs(writer, logdir, values_of):
    rows = [
        ["pil", Image.new("RGB", (3, 2), (1, 2, 3))],
        ["array", TableImage(np.full((2, 2, 3), 255, np.uint8), dataformats="HWC")],
        ["odd", float("nan")],
    ]
    writer.add_table("tab", rows, 1, columns=["what", "picture"])
    writer.flush()
    document, images = read_table(values_of, logdir, "tab")
    assert document["rows"] == [["pil", {"image": 1}], ["array", {"image": 2}], ["odd", "NaN"]]
    assert Image.open(io.BytesIO(images[0])).size == (3, 2)
    assert np.asarray(Image.open(io.BytesIO(images[1]))).min() == 255


@pytest.mark.parametrize(
    ("rows", "columns", "error", "match"),
    [
        ([[1, 2], [3]], None, ValueError, "row 1 has 1 cells"),
        ({"a": [1], "b": [1, 2]}, None, ValueError, "different lengths"),
        ([[1, 2]], ["only"], ValueError, "row 0 has 2 cells, expected 1"),
        ({"a": [1]}, ["x", "y"], ValueError, "2 column names for 1 columns"),
        ("text", None, TypeError, "list of rows"),
        ([1, 2], None, TypeError, "row 0"),
    ],
)
def test_malformed_tables_raise(writer, rows, columns, error, match):
    with pytest.raises(error, match=match):
        writer.add_table("tab", rows, 1, columns=columns)


# ---- PR curves -------------------------------------------------------------------------


def test_a_pr_curve_counts_predictions_at_or_above_each_threshold(writer, logdir, values_of):
    labels = np.array([1, 0, 1, 1, 0])
    predictions = np.array([0.9, 0.8, 0.4, 0.1, 0.05])
    writer.add_pr_curve("pr", labels, predictions, 1, num_thresholds=3)
    writer.flush()
    value = only(values_of, logdir, "pr")[1]
    assert PrCurvePluginData.FromString(value.metadata.plugin_data.content).num_thresholds == 3
    table = make_ndarray(value.tensor)
    assert table.dtype == np.float32
    assert table.shape == (6, 3)
    tp, fp, tn, fn, precision, recall = table
    assert tp.tolist() == [3, 1, 0]
    assert fp.tolist() == [2, 1, 0]
    assert tn.tolist() == [0, 1, 2]
    assert fn.tolist() == [0, 2, 3]
    np.testing.assert_allclose(precision, [3 / 5, 1 / 2, 0])
    np.testing.assert_allclose(recall, [1, 1 / 3, 0])


def test_weights_scale_the_counts(writer, logdir, values_of):
    writer.add_pr_curve("pr", [1, 0], [0.9, 0.1], 1, num_thresholds=2, weights=[2.0, 3.0])
    writer.flush()
    tp, fp = make_ndarray(only(values_of, logdir, "pr")[1].tensor)[:2]
    assert tp.tolist() == [2, 0]
    assert fp.tolist() == [3, 0]


@pytest.mark.parametrize(
    ("labels", "predictions", "kwargs", "match"),
    [
        ([1, 0], [0.5, 1.5], {}, r"in \[0, 1\]"),
        ([1, 0], [0.5, np.nan], {}, r"in \[0, 1\]"),
        ([1, 0, 1], [0.5, 0.5], {}, "3 labels for 2 predictions"),
        ([1], [0.5], {"num_thresholds": 1}, "at least 2"),
        ([1, 0], [0.5, 0.5], {"weights": [1.0, 2.0, 3.0]}, "3 weights for 2"),
    ],
)
def test_bad_pr_curves_raise(writer, labels, predictions, kwargs, match):
    with pytest.raises(ValueError, match=match):
        writer.add_pr_curve("pr", np.array(labels), np.array(predictions), 1, **kwargs)


def test_pr_curve_labels_must_be_numbers(writer):
    with pytest.raises(TypeError, match="labels"):
        writer.add_pr_curve("pr", np.array(["yes", "no"]), np.array([0.5, 0.5]), 1)


def test_pr_curve_raw_stacks_the_six_rows(writer, logdir, values_of):
    rows = [np.arange(4) + i for i in range(6)]
    writer.add_pr_curve_raw("raw", *rows, 2, num_thresholds=4)
    writer.flush()
    np.testing.assert_array_equal(make_ndarray(only(values_of, logdir, "raw")[1].tensor), rows)
    with pytest.raises(ValueError, match="same length"):
        writer.add_pr_curve_raw("raw", *rows[:5], np.arange(3), 2)


# ---- custom scalars --------------------------------------------------------------------


def layouts(values_of, logdir):
    return [
        Layout.FromString(make_ndarray(value.tensor).item())
        for _, value in values_of(logdir)["custom_scalars__config__"]
    ]


def test_layouts_add_up_across_calls(writer, logdir, values_of):
    writer.add_custom_scalars({"losses": {"all": ["Multiline", ["loss/.*"]]}})
    writer.add_custom_scalars_multilinechart(["acc"], category="losses", title="acc")
    writer.add_custom_scalars_marginchart(["v", "lo", "hi"])
    writer.add_custom_scalars({"losses": {"all": ["Multiline", ["loss/train"]]}})
    writer.flush()
    last = layouts(values_of, logdir)[-1]
    losses, default = last.category
    assert [chart.title for chart in losses.chart] == ["all", "acc"]
    assert list(losses.chart[0].multiline.tag) == ["loss/train"]  # replaced
    margin = default.chart[0].margin.series[0]
    assert (default.title, margin.value, margin.lower, margin.upper) == ("default", "v", "lo", "hi")
    assert values_of(logdir)["custom_scalars__config__"][0][1].metadata.plugin_data.plugin_name == (
        "custom_scalars"
    )


@pytest.mark.parametrize(
    ("layout", "match"),
    [
        ({"c": {"t": ["Margin", ["a", "b"]]}}, "needs 3 tags"),
        ({"c": {"t": ["Pie", ["a"]]}}, "'Multiline' or 'Margin'"),
        ({"c": {"t": ["Multiline"]}}, "chart type, tags"),
    ],
)
def test_malformed_layouts_raise(writer, layout, match):
    with pytest.raises(ValueError, match=match):
        writer.add_custom_scalars(layout)


def test_a_margin_chart_needs_three_tags(writer):
    with pytest.raises(ValueError, match="3 tags"):
        writer.add_custom_scalars_marginchart(["a", "b"])


# ---- meshes ----------------------------------------------------------------------------


def test_a_mesh_is_three_series_with_tensorboards_dtypes(writer, logdir, values_of):
    vertices = np.random.default_rng(0).random((1, 4, 3))
    faces = np.array([[[0, 1, 2], [1, 2, 3]]])
    colors = np.array([[[255, 0, 0]] * 4])
    writer.add_mesh(
        "m",
        vertices,
        colors=colors,
        faces=faces,
        config_dict={"camera": {"fov": 75}},
        global_step=5,
    )
    writer.add_mesh("float_colors", vertices, colors=np.full((1, 4, 3), 0.5), global_step=5)
    writer.flush()
    found = values_of(logdir)
    dtypes = {tag: found[tag][0][1].tensor.dtype for tag in ("m_VERTEX", "m_FACE", "m_COLOR")}
    assert dtypes == {"m_VERTEX": DT_FLOAT, "m_FACE": DT_INT32, "m_COLOR": DT_UINT8}
    plugin = MeshPluginData.FromString(found["m_FACE"][0][1].metadata.plugin_data.content)
    assert plugin.name == "m"
    assert plugin.content_type == MeshPluginData.FACE
    assert plugin.components == 14
    assert list(plugin.shape) == [1, 2, 3]
    assert json.loads(plugin.json_config) == {"camera": {"fov": 75}}
    np.testing.assert_allclose(make_ndarray(found["m_VERTEX"][0][1].tensor), vertices, rtol=1e-6)
    assert make_ndarray(found["float_colors_COLOR"][0][1].tensor).max() == 127
    assert "float_colors_FACE" not in found


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"vertices": np.zeros((4, 3))}, "vertices must have shape"),
        ({"vertices": np.full((1, 2, 3), np.nan)}, "NaN"),
        ({"vertices": np.zeros((1, 2, 3)), "faces": np.array([[[0, 1, 2]]])}, "faces index"),
        ({"vertices": np.zeros((1, 2, 3)), "colors": np.zeros((1, 2, 4))}, "colors must have"),
    ],
)
def test_bad_meshes_raise(writer, kwargs, match):
    with pytest.raises(ValueError, match=match):
        writer.add_mesh("m", **kwargs)
