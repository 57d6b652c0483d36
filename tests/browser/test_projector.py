"""The Projector tab on embeddings written by real torch, tensorboardX and Heron, in real Chromium.

The logdir is written in a subprocess (``add_embedding`` with a three-column metadata header and
``label_img`` sprites; never in this process, which may have imported TensorFlow elsewhere), plus
one run written by hand as TensorBoard's docs describe: a binary float32 tensor, a one-column
metadata file without header, and a bookmarks file. Every point must be drawn, colour-by, search,
nearest neighbours (against numpy's answer) and the other projections must work.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from playwright.sync_api import expect

from heron import SummaryWriter

from .conftest import click_tab, get_json, run_heron, screenshot
from .test_pr_custom_mesh import coloured_pixels

try:
    import tensorboardX  # noqa: F401

    WRITERS = ["torch", "tbx", "heron"]
except ImportError:  # pragma: no cover - tensorboardX is in the dev environment
    WRITERS = ["torch", "heron"]

N = 200
KINDS = ["cat", "dog", "bird", "fish"]
HANDMADE_N = 120

WRITE = textwrap.dedent(
    """
    import sys
    import numpy as np

    root, kind = sys.argv[1], sys.argv[2]
    rng = np.random.default_rng(0)
    centers = rng.normal(0, 5, (4, 16))
    labels = np.repeat(np.arange(4), 50)
    mat = (centers[labels] + rng.normal(0, 1, (200, 16))).astype(np.float32)
    kinds = ["cat", "dog", "bird", "fish"]
    meta = [[f"{kinds[l]}_{i}", kinds[l], str(i)] for i, l in enumerate(labels)]
    images = np.zeros((200, 3, 8, 8), dtype=np.float32)
    for i, l in enumerate(labels):
        images[i, l % 3] = 1.0
        images[i, :, : 1 + i % 7, :] = 0.5
    if kind == "torch":
        import torch
        from torch.utils.tensorboard import SummaryWriter
        images = torch.from_numpy(images)
    elif kind == "tbx":
        from tensorboardX import SummaryWriter
    else:
        from heron import SummaryWriter
    writer = SummaryWriter(f"{root}/{kind}")
    writer.add_embedding(mat, metadata=meta, metadata_header=["name", "kind", "index"],
                         label_img=images, tag="points")
    writer.close()
    """
)


def _handmade(root: Path) -> None:
    """A binary tensor, a headerless one-column metadata file and bookmarks, by hand."""
    run = root / "handmade"
    with SummaryWriter(run) as writer:  # a run is a directory holding event files
        writer.add_scalar("loss", 1.0, 0)
    rng = np.random.default_rng(3)
    data = rng.normal(0, 1, (HANDMADE_N, 8)).astype("<f4")
    data[:60, 0] += 6
    (run / "vectors.bin").write_bytes(data.tobytes())
    (run / "labels.tsv").write_text(
        "".join(f"{'left' if i < 60 else 'right'}{i}\n" for i in range(HANDMADE_N))
    )
    state = {
        "label": "saved view",
        "selectedPoints": [5],
        "selectedProjection": "pca",
        "projections": [
            {"pca-0": float(i % 10), "pca-1": float(i // 10)} for i in range(HANDMADE_N)
        ],
    }
    (run / "bookmarks.json").write_text(json.dumps([state]))
    (run / "projector_config.pbtxt").write_text(
        'embeddings {\n  tensor_name: "vectors"\n  tensor_path: "vectors.bin"\n'
        f"  tensor_shape: {HANDMADE_N}\n  tensor_shape: 8\n"
        '  metadata_path: "labels.tsv"\n  bookmarks_path: "bookmarks.json"\n}\n'
    )


@pytest.fixture(scope="module")
def projector_logdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("projector") / "logs"
    for kind in WRITERS:
        subprocess.run(
            [sys.executable, "-c", WRITE, str(root), kind], check=True, capture_output=True
        )
    _handmade(root)
    return root


@pytest.fixture(scope="module")
def projector_server(
    projector_logdir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    runs = sorted([*WRITERS, "handmade"])
    work = tmp_path_factory.mktemp("projector-serve")
    ready = lambda base: sorted(get_json(base + "data/plugin/projector/runs")) == runs  # noqa: E731
    with run_heron(projector_logdir, work, ready=ready) as base:
        yield base


def open_projector(page: Any, base: str, run: str) -> Any:
    page.goto(base)
    click_tab(page, "projector")
    page.wait_for_selector(".projector-pickers select[aria-label=Run]")
    page.select_option("select[aria-label=Run]", run)
    frame = page.locator(".projector-frame")
    expected = HANDMADE_N if run == "handmade" else N
    expect(frame).to_have_attribute("data-points", str(expected), timeout=60_000)
    expect(frame).to_have_attribute("data-state", "ready")
    # The metadata is parsed after the first picture: wait for its columns.
    expect(frame).to_have_attribute("data-columns", "1" if run == "handmade" else "3")
    return frame


def tensor_of(base: str, run: str) -> np.ndarray:
    info = get_json(base + f"data/plugin/projector/info?run={run}")
    embedding = info["embeddings"][0]
    from urllib.parse import urlencode
    from urllib.request import urlopen

    query = urlencode({"run": run, "name": embedding["tensorName"]})
    with urlopen(base + "data/plugin/projector/tensor?" + query, timeout=10) as response:
        data = np.frombuffer(response.read(), dtype="<f4")
    return data.reshape(int(embedding["tensorShape"][0]), int(embedding["tensorShape"][1]))


@pytest.mark.parametrize("run", WRITERS)
def test_every_point_of_each_writer_s_embedding_is_drawn(projector_server, page, run):
    frame = open_projector(page, projector_server, run)
    assert frame.get_attribute("data-method") == "pca"
    page.wait_for_timeout(300)
    path = screenshot(page, f"projector-{run}")
    assert coloured_pixels(path) > 500


def test_colour_by_a_metadata_column_draws_its_categories(projector_server, page):
    frame = open_projector(page, projector_server, WRITERS[0])
    page.get_by_label("Show sprite images").uncheck()
    page.select_option("select[aria-label='Colour by']", label="kind (4)")
    expect(page.locator(".projector-legend span")).to_have_text(KINDS)
    expect(frame).to_have_attribute("data-legend", "4")
    page.get_by_label("2-D").check()
    expect(frame).to_have_attribute("data-dims", "2")
    expect(frame).to_have_attribute("data-state", "ready")
    page.wait_for_timeout(300)
    path = screenshot(page, "projector-colour-by-kind")
    assert coloured_pixels(path) > 500


def test_regex_search_highlights_and_counts_the_matching_points(projector_server, page):
    frame = open_projector(page, projector_server, WRITERS[0])
    page.select_option("select[aria-label='in column']", label="name (200)")
    # Names are "<kind>_<row>": cat_0..cat_49, dog_50..dog_99, bird_100..bird_149, fish_150..
    page.get_by_label("Search").fill("^(cat_1|BIRD_1[0-2])")
    # cat_1 and cat_10..cat_19 (11), bird_100..bird_129 (30): case-insensitive.
    expect(frame).to_have_attribute("data-matches", "41")
    expect(page.get_by_test_id("match-count")).to_have_text("41 matching points")
    page.select_option("select[aria-label='in column']", label="kind (4)")
    page.get_by_label("Search").fill("fish")
    expect(frame).to_have_attribute("data-matches", "50")
    page.wait_for_timeout(300)
    screenshot(page, "projector-search")


@pytest.mark.parametrize("metric", ["cosine", "euclidean"])
def test_clicking_a_point_lists_its_true_nearest_neighbours(projector_server, page, metric):
    run = WRITERS[-1]
    frame = open_projector(page, projector_server, run)
    page.select_option("select[aria-label=Distance]", metric)
    target = 17
    where = page.evaluate(f"window.heronProjectorPoint({target})")
    assert where is not None
    # Points overlap in a cluster: click where the target is and read which point was picked.
    page.mouse.click(where["x"], where["y"])
    expect(frame).not_to_have_attribute("data-selected", "")
    picked = int(frame.get_attribute("data-selected"))
    data = tensor_of(projector_server, run).astype(np.float64)
    if metric == "cosine":
        unit = data / np.linalg.norm(data, axis=1, keepdims=True)
        distances = 1 - unit @ unit[picked]
    else:
        distances = np.linalg.norm(data - data[picked], axis=1)
    distances[picked] = np.inf
    expected = list(np.argsort(distances, kind="stable")[:10])
    page.wait_for_function(
        "n => document.querySelectorAll('.projector-neighbors li').length === n", arg=10
    )
    listed = page.locator(".projector-neighbors li").evaluate_all(
        "els => els.map(e => [Number(e.dataset.index),"
        " Number(e.querySelector('span').textContent)])"
    )
    assert [i for i, _ in listed] == expected
    assert [d for _, d in listed] == pytest.approx([distances[i] for i in expected], abs=2e-4)
    assert frame.get_attribute("data-neighbors") == ",".join(map(str, expected))
    page.wait_for_timeout(300)
    screenshot(page, f"projector-neighbours-{metric}")


@pytest.mark.parametrize("method", ["t-SNE", "UMAP"])
def test_tsne_and_umap_run_in_the_worker_to_completion(projector_server, page, method):
    frame = open_projector(page, projector_server, WRITERS[0])
    page.get_by_role("tab", name=method).click()
    expect(frame).to_have_attribute("data-method", "tsne" if method == "t-SNE" else "umap")
    expect(frame).to_have_attribute("data-state", "ready", timeout=120_000)
    expect(frame).to_have_attribute("data-points", str(N))
    page.wait_for_timeout(300)
    screenshot(page, f"projector-{method.lower()}")


def test_tsne_can_be_stopped_while_it_runs(projector_server, page):
    frame = open_projector(page, projector_server, WRITERS[0])
    page.get_by_role("tab", name="t-SNE").click()
    page.get_by_label("Iterations").fill("5000")
    page.get_by_label("Iterations").press("Enter")
    page.get_by_role("button", name="Re-run").click()
    # The 5,000-iteration run (not the 500-iteration one the tab started) is running.
    expect(page.locator(".projector-progress")).to_contain_text("of 5000")
    page.locator(".projector-progress").get_by_role("button", name="Stop").click()
    expect(page.locator(".projector-progress")).to_have_count(0)
    expect(frame).to_have_attribute("data-state", "ready")


def test_custom_projection_separates_the_two_queries(projector_server, page):
    frame = open_projector(page, projector_server, WRITERS[0])
    page.get_by_role("tab", name="Custom").click()
    page.select_option("select[aria-label='Queries search']", label="kind (4)")
    page.get_by_label("Custom left").fill("cat")
    page.get_by_label("Custom right").fill("dog")
    page.get_by_label("Custom left").press("Tab")
    expect(frame).to_have_attribute("data-method", "custom")
    # Cats (rows 0..49) end up left of dogs (rows 50..99) once the queries are applied.
    page.wait_for_function(
        """() => {
          const cat = window.heronProjectorPoint(0), dog = window.heronProjectorPoint(60);
          return cat && dog && dog.x - cat.x > 200;
        }"""
    )
    expect(frame).to_have_attribute("data-state", "ready")
    page.wait_for_timeout(300)
    screenshot(page, "projector-custom")


def test_binary_tensor_headerless_metadata_and_bookmarks(projector_server, page):
    frame = open_projector(page, projector_server, "handmade")
    expect(page.locator("select[aria-label='Colour by'] option")).to_have_text(
        ["(none)", "label (120)"]
    )
    page.get_by_role("button", name="saved view").click()
    expect(frame).to_have_attribute("data-selected", "5")
    # The bookmark's saved coordinates are drawn: point 9 (x = 9) is right of point 0 (x = 0).
    left = page.evaluate("window.heronProjectorPoint(0)")
    right = page.evaluate("window.heronProjectorPoint(9)")
    assert left is not None
    assert right is not None
    assert right["x"] > left["x"] + 100
    page.wait_for_timeout(300)
    screenshot(page, "projector-handmade-bookmark")


def test_dark_mode_draws_the_scatter_on_a_dark_background(projector_server, new_page):
    page = new_page(color_scheme="dark")
    frame = open_projector(page, projector_server, WRITERS[0])
    page.wait_for_timeout(300)
    path = screenshot(page, "projector-dark")
    from PIL import Image

    box = frame.bounding_box()
    corner = Image.open(path).convert("RGB").getpixel((int(box["x"]) + 20, int(box["y"]) + 20))
    assert max(corner) < 60, corner
