"""Graphs dashboard on a 20,000-node op graph: Heron beside TensorBoard.

Usage:  .venv/bin/python bench/graph_layout.py [--repeat N] [--layers L] [--tb-timeout S]
        [--only heron|tensorboard] [--screenshots DIR]

The graph is generated once into ``bench/.data/graph/`` (git-ignored): a transformer training
graph as TF builds one, ``L`` encoder layers (default 66) of 152 ops each (attention with 12
heads, layer norms, MLP, variables) under ``model/encoder/layer_<i>``, the same again under
``gradients/...``, and optimizer ops: ~20,100 nodes with ``_output_shapes``, written as the
run's ``Event.graph_def`` by Heron's writer.

``heron serve`` and ``tensorboard`` run on that logdir at the same time. Debian's Chromium
(headless, through Playwright) opens each dashboard in a fresh context; per run:

* **first layout**: the page's ``performance.now()`` (from the start of navigation to
  ``#graphs``) when the first laid-out graph is drawn — Heron: the status says "ready" and the
  canvas has drawn a frame; TensorBoard: its SVG holds at least one node group;
* **open encoder** (Heron): double-click the closed ``model/encoder`` scope (10,032 ops), until
  its content (one ``layer_[0-65]`` series box) is laid out and drawn;
* **open series** (Heron): double-click the ``layer_[0-65]`` series box, until the 66 layer
  boxes are laid out and drawn;
* **open 8 layers** (Heron): double-click eight layer boxes one after another (each a new
  layout of the visible subset), the median time of one;
* **longest main-thread task** (the browser's long tasks, > 50 ms): during the first load, and
  then until the eighth layer is open; a long task is a moment the page cannot respond;
* **pan**: drag across the canvas for ~1 s; frame interval (``requestAnimationFrame``
  deltas) median and 95th percentile, and Heron's own draw time per frame.

Medians over ``--repeat`` runs (default 5) after one warm-up per server.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import statistics
import tempfile
from pathlib import Path
from typing import Any

from _page_timing import chromium, fresh_page, page_value
from _servers import get_json, heron_command, serve, tensorboard_command

BENCH_DIR = Path(__file__).resolve().parent
DATA_DIR = BENCH_DIR / ".data" / "graph"
VIEWPORT = {"width": 1440, "height": 900}
HEADS = 12
HERON_WAIT = "heron to index the graph"
TB_WAIT = "tensorboard to load the graph"
HIDDEN = 768


def _graph(layers: int) -> Any:
    """A transformer training GraphDef: forward layers, their gradients, optimizer ops."""
    from heron.formats.proto.graph_pb2 import AttrValue, GraphDef, NodeDef
    from heron.formats.proto.tensor_shape_pb2 import TensorShapeProto

    graph = GraphDef()

    def shapes(*dims: list[int]) -> AttrValue:
        protos = [TensorShapeProto(dim=[TensorShapeProto.Dim(size=d) for d in s]) for s in dims]
        return AttrValue(list=AttrValue.ListValue(shape=protos))

    def add(name: str, op: str, inputs: list[str], shape: list[int]) -> str:
        graph.node.append(
            NodeDef(name=name, op=op, input=inputs, attr={"_output_shapes": shapes(shape)})
        )
        return name

    def dense(scope: str, x: str, out: int) -> str:
        kernel = add(f"{scope}/kernel", "VarHandleOp", [], [])
        bias = add(f"{scope}/bias", "VarHandleOp", [], [])
        k = add(f"{scope}/MatMul/ReadVariableOp", "ReadVariableOp", [kernel], [HIDDEN, out])
        b = add(f"{scope}/BiasAdd/ReadVariableOp", "ReadVariableOp", [bias], [out])
        y = add(f"{scope}/MatMul", "MatMul", [x, k], [32, 128, out])
        return add(f"{scope}/BiasAdd", "BiasAdd", [y, b], [32, 128, out])

    def norm(scope: str, x: str) -> str:
        mean = add(f"{scope}/moments/mean", "Mean", [x], [32, 128, 1])
        var = add(f"{scope}/moments/variance", "Mean", [x, mean], [32, 128, 1])
        eps = add(f"{scope}/add", "AddV2", [var], [32, 128, 1])
        rsqrt = add(f"{scope}/Rsqrt", "Rsqrt", [eps], [32, 128, 1])
        gamma = add(f"{scope}/gamma", "VarHandleOp", [], [])
        g = add(f"{scope}/mul/ReadVariableOp", "ReadVariableOp", [gamma], [HIDDEN])
        scaled = add(f"{scope}/mul", "Mul", [rsqrt, g], [32, 128, HIDDEN])
        return add(f"{scope}/add_1", "AddV2", [x, scaled], [32, 128, HIDDEN])

    def layer(scope: str, x: str) -> str:
        q = dense(f"{scope}/attention/query", x, HIDDEN)
        k = dense(f"{scope}/attention/key", x, HIDDEN)
        v = dense(f"{scope}/attention/value", x, HIDDEN)
        heads = []
        for h in range(HEADS):
            hs = f"{scope}/attention/head_{h}"
            qs = add(f"{hs}/q_slice", "StridedSlice", [q], [32, 128, 64])
            ks = add(f"{hs}/k_slice", "StridedSlice", [k], [32, 128, 64])
            vs = add(f"{hs}/v_slice", "StridedSlice", [v], [32, 128, 64])
            s = add(f"{hs}/scores", "BatchMatMulV2", [qs, ks], [32, 128, 128])
            s = add(f"{hs}/scale", "Mul", [s], [32, 128, 128])
            p = add(f"{hs}/softmax", "Softmax", [s], [32, 128, 128])
            p = add(f"{hs}/dropout", "Mul", [p], [32, 128, 128])
            heads.append(add(f"{hs}/context", "BatchMatMulV2", [p, vs], [32, 128, 64]))
        merged = add(f"{scope}/attention/concat", "ConcatV2", heads, [32, 128, HIDDEN])
        out = dense(f"{scope}/attention/output", merged, HIDDEN)
        x = norm(
            f"{scope}/attention_norm",
            add(f"{scope}/attention/residual", "AddV2", [x, out], [32, 128, HIDDEN]),
        )
        hidden = dense(f"{scope}/mlp/intermediate", x, 4 * HIDDEN)
        hidden = add(f"{scope}/mlp/gelu", "Gelu", [hidden], [32, 128, 4 * HIDDEN])
        out = dense(f"{scope}/mlp/output", hidden, HIDDEN)
        return norm(
            f"{scope}/mlp_norm", add(f"{scope}/mlp/residual", "AddV2", [x, out], [32, 128, HIDDEN])
        )

    x = add("input_ids", "Placeholder", [], [32, 128])
    x = add("model/embeddings/lookup", "ResourceGather", [x], [32, 128, HIDDEN])
    for i in range(layers):
        x = layer(f"model/encoder/layer_{i}", x)
    loss = add("loss/value", "Mean", [x], [])
    previous = add("gradients/Fill", "Fill", [loss], [])
    # Backprop mirrors the forward scopes under gradients/, last op first.
    forward = [node for node in graph.node if node.name.startswith("model/encoder/")]
    for node in reversed(forward):
        dims = node.attr["_output_shapes"].list.shape[0].dim
        previous = add(
            f"gradients/{node.name}_grad",
            f"{node.op}Grad",
            [previous, node.name],
            [d.size for d in dims],
        )
    iteration = add("optimizer/iteration", "VarHandleOp", [], [])
    for i in range(layers):
        after = f"^gradients/model/encoder/layer_{i}/attention/query/kernel_grad"
        add(
            f"optimizer/update_layer_{i}/ResourceApplyAdam",
            "ResourceApplyAdam",
            [iteration, after],
            [],
        )
    return graph


def generate(layers: int) -> Path:
    """The logdir (run ``transformer``), written once per layer count and reused."""
    root = DATA_DIR / f"layers-{layers}"
    marker = root / "complete"
    if marker.exists():
        return root
    from heron import SummaryWriter
    from heron.formats.proto.run_metadata_pb2 import RunMetadata

    graph = _graph(layers)
    with SummaryWriter(root / "transformer") as writer:
        assert writer.file_writer is not None
        writer.file_writer.add_graph((graph, RunMetadata()))
    marker.write_text(f"{len(graph.node)}\n")
    return root


def node_count(root: Path) -> int:
    return int((root / "complete").read_text())


def _graph_loaded(base: str) -> bool:
    return "transformer" in get_json(base + "data/plugin/graphs/info")


_READY = """() => {
  const status = document.querySelector('[data-testid=graph-status]');
  const probe = document.querySelector('[data-testid=graph-canvas]')?.graphProbe;
  return status?.dataset.state === 'ready' && status.dataset.boxes !== 'BOXES'
    && probe && probe.frames > FRAMES ? performance.now() : false;
}"""

#: TensorBoard draws into shadow roots: count its SVG node groups anywhere below the document.
_TB_NODES = """() => {
  let count = 0;
  const walk = (root) => {
    count += root.querySelectorAll('g.node').length;
    for (const el of root.querySelectorAll('*')) if (el.shadowRoot) walk(el.shadowRoot);
  };
  walk(document);
  return count > 0 ? performance.now() : false;
}"""

_PAN = """async () => {
  const canvas = document.querySelector('[data-testid=graph-canvas]');
  const deltas = [];
  let last = performance.now();
  let running = true;
  const tick = (t) => {
    deltas.push(t - last);
    last = t;
    if (running) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  window.__stopPan = () => { running = false; return deltas.slice(2); };
  return canvas.graphProbe.frames;
}"""


def _wait_ready(page: Any, frames: int, timeout: float, boxes: str = "") -> float:
    """``performance.now()`` once a layout is drawn after ``frames`` with a box count not ``boxes``.

    Opening a box always changes the count: waiting for that keeps a hover redraw of the old
    layout (state still "ready", one more frame) from passing for the new one.
    """
    script = _READY.replace("FRAMES", str(frames)).replace("BOXES", boxes)
    return float(page_value(page, script, timeout_s=timeout))


def _frames(page: Any) -> int:
    return int(
        page.evaluate("document.querySelector('[data-testid=graph-canvas]').graphProbe.frames")
    )


def _box(page: Any, predicate: str) -> dict[str, Any]:
    boxes: list[dict[str, Any]] = page.evaluate(
        "document.querySelector('[data-testid=graph-canvas]').graphProbe.boxes()"
    )
    return next(b for b in boxes if eval(predicate, {}, {"b": b}))


def _open_box(page: Any, predicate: str, timeout: float) -> float:
    """Double-click the box matching ``predicate``; ms from the click to the new layout drawn.

    The box is clicked once first and looked up again: selecting it opens the details panel,
    which can move the canvas, and a double-click aimed at the old place then misses.
    """
    box = _box(page, predicate)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_timeout(300)
    box = _box(page, predicate)
    frames = _frames(page)
    before = page.locator("[data-testid=graph-status]").get_attribute("data-boxes") or ""
    page.evaluate("window.__clickAt = 0")
    page.evaluate(
        "document.querySelector('[data-testid=graph-canvas]').addEventListener('dblclick',"
        " () => { window.__clickAt = performance.now(); }, { once: true, capture: true })"
    )
    page.mouse.dblclick(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("() => window.__clickAt > 0")
    done = _wait_ready(page, frames, timeout, before)
    return done - float(page.evaluate("window.__clickAt"))


def _pan(page: Any) -> tuple[float, float, float]:
    """Drag across the canvas for ~1 s: (median, p95) frame interval and median draw ms."""
    canvas = page.locator("[data-testid=graph-canvas]").bounding_box()
    cx, cy = canvas["x"] + canvas["width"] / 2, canvas["y"] + canvas["height"] / 2
    draws: list[float] = []
    page.evaluate(_PAN)
    page.mouse.move(cx, cy)
    page.mouse.down()
    for step in range(60):
        page.mouse.move(cx - 300 + (step % 30) * 20, cy - 150 + (step % 15) * 20)
        draws.append(
            float(
                page.evaluate(
                    "document.querySelector('[data-testid=graph-canvas]').graphProbe.lastFrameMs"
                )
            )
        )
        page.wait_for_timeout(16)
    page.mouse.up()
    deltas: list[float] = page.evaluate("window.__stopPan()")
    deltas.sort()
    p95 = deltas[min(len(deltas) - 1, int(len(deltas) * 0.95))] if deltas else float("nan")
    return statistics.median(deltas), p95, statistics.median(draws)


#: Main-thread tasks over 50 ms (the browser's "long tasks"): what would make the page stutter.
_LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__longTasks.push(entry.duration);
}).observe({ type: "longtask", buffered: true });
"""


def _longest_task(page: Any) -> float:
    return float(page.evaluate("Math.max(0, ...window.__longTasks)"))


def heron_once(
    browser: Any, base: str, layers: int, timeout: float, shots: Path | None
) -> dict[str, float]:
    with fresh_page(browser, VIEWPORT, init_script=_LONG_TASKS) as page:
        page.goto(base + "#graphs")
        result = {"first layout ms": _wait_ready(page, 0, timeout)}
        result["longest main-thread task ms"] = _longest_task(page)
        page.evaluate("window.__longTasks = []")
        encoder = "b['label'] == 'encoder' and not b['open']"
        result["open encoder ms"] = _open_box(page, encoder, timeout)
        series = "b['kind'] == 'series' and b['label'].startswith('layer_')"
        result["open series ms"] = _open_box(page, series, timeout)
        opens = []
        for i in range(8):
            page.click("text=Fit")  # The next layer box may lie outside the viewport.
            layer = f"b['label'] == 'layer_{i}' and not b['open']"
            opens.append(_open_box(page, layer, timeout))
        result["open a layer ms (median of 8)"] = statistics.median(opens)
        result["longest task while opening ms"] = _longest_task(page)
        result["boxes after"] = float(
            page.locator("[data-testid=graph-status]").get_attribute("data-boxes") or 0
        )
        page.click("text=Fit")
        median, p95, draw = _pan(page)
        result |= {
            "pan frame ms (median)": median,
            "pan frame ms (p95)": p95,
            "draw ms (median)": draw,
        }
        if shots:
            page.screenshot(path=str(shots / "graph_layout_heron.png"))
        return result


def tensorboard_once(
    browser: Any, base: str, timeout: float, shots: Path | None
) -> dict[str, float]:
    with fresh_page(browser, VIEWPORT, init_script=_LONG_TASKS) as page:
        page.goto(base + "#graphs")
        drawn = page_value(page, _TB_NODES, polling=250, timeout_s=timeout)
        result = {"first layout ms": float(drawn)}
        result["longest main-thread task ms"] = _longest_task(page)
        if shots:
            page.screenshot(path=str(shots / "graph_layout_tensorboard.png"))
        return result


def _table(name: str, runs: list[dict[str, float]]) -> None:
    if not runs:
        return
    print(f"\n{name} (median of {len(runs)})")
    for key in runs[0]:
        values = [run[key] for run in runs if key in run]
        print(f"  {key:<32} {statistics.median(values):10.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--layers", type=int, default=66)
    parser.add_argument("--timeout", type=float, default=120, help="seconds for one Heron step")
    parser.add_argument("--tb-timeout", type=float, default=300, help="seconds for TensorBoard")
    parser.add_argument("--only", choices=["heron", "tensorboard"])
    parser.add_argument("--screenshots", type=Path)
    args = parser.parse_args()
    root = generate(args.layers)
    print(f"logdir {root}: one graph of {node_count(root):,} nodes")
    if args.screenshots:
        args.screenshots.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import Error as PlaywrightError

    heron_runs: list[dict[str, float]] = []
    tb_runs: list[dict[str, float]] = []
    tb_failure = ""
    with tempfile.TemporaryDirectory() as tmp, contextlib.ExitStack() as stack:
        work = Path(tmp)
        heron: str | None = None
        board: str | None = None
        if args.only != "tensorboard":
            command = functools.partial(heron_command, root, db=work / "index.sqlite")
            heron, _ = stack.enter_context(
                serve(command, work / "heron.log", _graph_loaded, what=HERON_WAIT, timeout=300)
            )
        if args.only != "heron":
            command = functools.partial(tensorboard_command, root)
            board, _ = stack.enter_context(
                serve(command, work / "tensorboard.log", _graph_loaded, what=TB_WAIT, timeout=300)
            )
        with chromium() as browser:
            for attempt in range(args.repeat + 1):
                shots = args.screenshots if attempt == args.repeat else None
                if heron is not None:
                    run = heron_once(browser, heron, args.layers, args.timeout, shots)
                    if attempt:
                        heron_runs.append(run)
                    print(f"heron #{attempt}: {run}", flush=True)
                if board is not None and not tb_failure:
                    try:
                        tb = tensorboard_once(browser, board, args.tb_timeout, shots)
                    except PlaywrightError as error:
                        reason = error.message.splitlines()[0]
                        tb_failure = f"no graph drawn in {args.tb_timeout:.0f} s ({reason})"
                        continue
                    if attempt:
                        tb_runs.append(tb)
                    print(f"tensorboard #{attempt}: {tb}", flush=True)
    _table("Heron", heron_runs)
    _table("TensorBoard 2.21", tb_runs)
    if tb_failure:
        print(f"\nTensorBoard: {tb_failure}")
    if heron_runs and tb_runs:
        ratio = statistics.median(r["first layout ms"] for r in tb_runs) / statistics.median(
            r["first layout ms"] for r in heron_runs
        )
        print(f"\nfirst layout: Heron {ratio:.1f}x faster than TensorBoard")


if __name__ == "__main__":
    main()
