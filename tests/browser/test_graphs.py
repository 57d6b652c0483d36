"""The Graphs dashboard in real Chromium, on graphs written by real TF2 / Keras, PyTorch and Heron.

Each writer runs in its own subprocess (TensorFlow and ``torch._dynamo`` must
not share a process). Every test opens the tab, checks the expected boxes are
drawn (through the canvas's probe: boxes on screen in CSS pixels), opens a
scope by double-clicking its box, finds an op by search and reads its op in
the details panel. Screenshots go to artifacts/graphs_*.png.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import click_tab, get_json, run_heron, screenshot

TF_SCRIPT = """
import sys, numpy as np, tensorflow as tf, keras
root = sys.argv[1]

@tf.function
def step(x):
    with tf.name_scope("block"):
        y = tf.nn.relu(tf.matmul(x, x), name="act")
    return tf.reduce_sum(y, name="total")

writer = tf.summary.create_file_writer(root + "/tf_trace")
tf.summary.trace_on(graph=True, profiler=False)
step(tf.ones((3, 3)))
with writer.as_default():
    tf.summary.trace_export("step_trace", step=0)
writer.close()

inputs = keras.Input((4,), name="x")
hidden = keras.layers.Dense(8, activation="relu", name="hidden")(inputs)
outputs = keras.layers.Dense(1, name="y")(hidden)
model = keras.Model(inputs, outputs, name="regressor")
model.compile("sgd", "mse")
callback = keras.callbacks.TensorBoard(root + "/keras", write_graph=True)
model.fit(np.zeros((8, 4)), np.zeros((8, 1)), epochs=1, verbose=0, callbacks=[callback])

# TF1 graph mode with a full trace: the run graph plus RunMetadata holding real step stats.
with tf.compat.v1.Graph().as_default() as graph:
    x = tf.compat.v1.placeholder(tf.float32, (64, 64), name="x")
    with tf.name_scope("layer"):
        y = tf.nn.relu(tf.matmul(x, x), name="act")
    total = tf.reduce_sum(y, name="total")
    with tf.compat.v1.Session(graph=graph) as session:
        options = tf.compat.v1.RunOptions(trace_level=tf.compat.v1.RunOptions.FULL_TRACE)
        metadata = tf.compat.v1.RunMetadata()
        session.run(total, {x: np.ones((64, 64))}, options=options, run_metadata=metadata)
        file_writer = tf.compat.v1.summary.FileWriter(root + "/tf1_profile", graph)
        file_writer.add_run_metadata(metadata, "step_0")
        file_writer.close()
"""

TORCH_SCRIPT = """
import sys, torch
from torch.utils.tensorboard import SummaryWriter as TorchWriter
from heron import SummaryWriter as HeronWriter
root = sys.argv[1]

class Block(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = torch.nn.Linear(16, 16)
    def forward(self, x):
        return torch.relu(self.fc(x))

class Net(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(1, 4, 3)
        self.blocks = torch.nn.Sequential(*[Block() for _ in range(4)])
        self.head = torch.nn.Linear(16, 2)
    def forward(self, x):
        return self.head(self.blocks(torch.relu(self.conv(x)).flatten(1)))

with TorchWriter(root + "/torch") as writer:
    writer.add_graph(Net(), torch.zeros(1, 1, 4, 4))
with HeronWriter(root + "/heron") as writer:
    writer.add_graph(Net(), torch.zeros(1, 1, 4, 4))
"""


def _run(script: str, root: Path) -> None:
    subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script), str(root)],
        check=True,
        timeout=600,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def graph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``heron serve`` on runs tf_trace, keras/train, tf1_profile (TF); torch, heron (PyTorch)."""
    root = tmp_path_factory.mktemp("graphs") / "logs"
    root.mkdir(parents=True)
    _run(TORCH_SCRIPT, root)
    try:
        import tensorflow  # noqa: F401
    except ImportError:
        pytest.skip("TensorFlow is not installed")
    _run(TF_SCRIPT, root)

    def ready(base: str) -> bool:
        info = get_json(base + "data/plugin/graphs/info")
        return {"tf_trace", "keras/train", "tf1_profile", "torch", "heron"} <= set(info)

    work = tmp_path_factory.mktemp("graphs_serve")
    with run_heron(root, work, ready=ready) as base:
        yield base


def _open(page: Any, base: str, run: str, graph_label: str | None = None) -> None:
    page.goto(base)
    click_tab(page, "graphs")
    page.wait_for_selector("[data-testid=graph-run]")
    page.select_option("[data-testid=graph-run]", run)
    if graph_label is not None:
        page.select_option("[data-testid=graph-tag]", label=graph_label)
    _wait_ready(page)


def _wait_ready(page: Any) -> None:
    page.wait_for_function(
        "() => document.querySelector('[data-testid=graph-status]')?.dataset.state === 'ready'"
    )


def _boxes(page: Any) -> list[dict[str, Any]]:
    boxes: list[dict[str, Any]] = page.evaluate(
        "() => document.querySelector('[data-testid=graph-canvas]').graphProbe.boxes()"
    )
    return boxes


def _wait_box(page: Any, label: str, *, open_: bool | None = None) -> dict[str, Any]:
    """Waits for a drawn box labelled ``label`` (optionally opened or closed); returns it."""
    wanted = "null" if open_ is None else ("true" if open_ else "false")
    page.wait_for_function(
        """([label, open]) => {
            const probe = document.querySelector('[data-testid=graph-canvas]')?.graphProbe;
            return probe && probe.boxes().some((b) => b.label === label
                && (open === null || b.open === open));
        }""",
        arg=[label, None if wanted == "null" else wanted == "true"],
    )
    return next(box for box in _boxes(page) if box["label"] == label)


def _search(page: Any, text: str, id_suffix: str) -> None:
    """Types ``text`` in the search box and picks the first match whose id ends ``id_suffix``."""
    page.fill("[data-testid=graph-search]", text)
    page.locator(f"[data-testid=graph-search-result][data-id$='{id_suffix}']").first.click()


def _wait_details_op(page: Any, text: str) -> None:
    page.wait_for_function(
        "text => document.querySelector('[data-testid=graph-details-op]')?.textContent === text",
        arg=text,
    )


def _dblclick(page: Any, box: dict[str, Any]) -> None:
    page.mouse.dblclick(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_heron_writer_graph_opens_scopes_and_series(graph_server: str, page: Any) -> None:
    _open(page, graph_server, "heron")
    # Three top-level boxes (input, Net, output) are too few: the biggest, Net, opens by itself.
    _wait_box(page, "Net", open_=True)
    _dblclick(page, _wait_box(page, "Sequential[blocks]", open_=False))
    # Its four identical Blocks fold into one series box, which opens to show them.
    _dblclick(page, _wait_box(page, "Block[0-3]", open_=False))
    _wait_box(page, "Block[0-3]", open_=True)
    _wait_box(page, "Block[3]", open_=False)
    screenshot(page, "graphs_heron_series_open")
    _search(page, "head", "scope:Net/Linear[head]")
    _wait_details_op(page, "name scope")
    page.click("[data-testid=graph-details-toggle]")
    _wait_box(page, "Linear[head]", open_=True)
    screenshot(page, "graphs_heron_head")


def test_torch_add_graph_shows_op_details_with_shapes(graph_server: str, page: Any) -> None:
    _open(page, graph_server, "torch")
    _wait_box(page, "Net", open_=True)
    _dblclick(page, _wait_box(page, "Conv2d[conv]", open_=False))
    _wait_box(page, "Conv2d[conv]", open_=True)
    op = next(b for b in _boxes(page) if b["kind"] == "op" and "Net/Conv2d[conv]/" in b["id"])
    page.mouse.click(op["x"] + op["width"] / 2, op["y"] + op["height"] / 2)
    # The details panel names the op: PyTorch's are aten:: or prim:: ops.
    page.wait_for_function(
        "() => /^(aten|prim)::/.test("
        "document.querySelector('[data-testid=graph-details-op]')?.textContent ?? '')"
    )
    screenshot(page, "graphs_torch_conv")


def test_tf_trace_export_op_graph_finds_matmul(graph_server: str, page: Any) -> None:
    _open(page, graph_server, "tf_trace", "step_trace: op graph")
    # trace_export stores one graph per traced function: each is a scope graph_<n>.
    assert any(box["label"].startswith("graph_") for box in _boxes(page))
    _search(page, "MatMul", "/block/MatMul")
    _wait_details_op(page, "MatMul")
    _wait_box(page, "block", open_=True)
    _wait_box(page, "MatMul")
    screenshot(page, "graphs_tf_trace")


def test_keras_conceptual_graph_shows_layers(graph_server: str, page: Any) -> None:
    _open(page, graph_server, "keras/train", "keras: conceptual (Keras)")
    _wait_box(page, "hidden")
    dense = _wait_box(page, "y")
    page.mouse.click(dense["x"] + dense["width"] / 2, dense["y"] + dense["height"] / 2)
    _wait_details_op(page, "Dense")
    screenshot(page, "graphs_keras_conceptual")


def test_profile_step_stats_colour_by_compute_time(graph_server: str, page: Any) -> None:
    _open(page, graph_server, "tf1_profile", "step_0: run graph + profile")
    _wait_box(page, "MatMul")
    page.select_option("[data-testid=graph-colour]", "compute")
    page.wait_for_selector(".graph-legend")
    _search(page, "layer/MatMul", "op:layer/MatMul")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=graph-details]')"
        "?.textContent.includes('Compute')"
    )
    screenshot(page, "graphs_tf1_profile_compute")
