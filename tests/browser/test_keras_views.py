"""What HeronCallback writes on the TensorFlow backend, as a user sees it in real Chromium.

A tiny Keras fit with ``write_graph=True`` and ``profile_batch=(2, 3)`` runs in its own process
(TensorFlow must never be imported by the pytest process: ``torch._dynamo`` would segfault
later); ``heron serve`` then shows its op graph on the Graphs tab and its profile capture on
the Profile tab. Screenshots go to artifacts/keras_*.png.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from typing import Any

import pytest

from .conftest import click_tab, get_json, run_heron, screenshot

#: A TensorFlow import and a fit in a subprocess, a server, two pages: 24 s on an idle machine,
#: about a minute on a busy one.
pytestmark = pytest.mark.slow

FIT = textwrap.dedent(
    """
    import sys
    import numpy as np
    import keras
    from heron.integrations.keras import HeronCallback

    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input((4,)),
        keras.layers.Dense(8, activation="relu", name="hidden"),
        keras.layers.Dense(1, name="y"),
    ])
    model.compile("sgd", "mse")
    x = np.random.rand(48, 4).astype("float32")
    y = np.random.rand(48, 1).astype("float32")
    callback = HeronCallback(sys.argv[1], write_graph=True, profile_batch=(2, 3))
    model.fit(x, y, epochs=1, batch_size=8, verbose=0, callbacks=[callback])
    """
)


@pytest.fixture(scope="session")
def keras_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``heron serve`` on the logdir of one TF-backend fit (run ``train``)."""
    for module in ("keras", "tensorflow"):
        if subprocess.run([sys.executable, "-c", f"import {module}"], check=False).returncode:
            pytest.skip(f"{module} is not installed")
    logs = tmp_path_factory.mktemp("keras_views") / "logs"
    env = {**os.environ, "KERAS_BACKEND": "tensorflow", "TF_CPP_MIN_LOG_LEVEL": "2"}
    subprocess.run(
        [sys.executable, "-c", FIT, str(logs)],
        check=True,
        timeout=600,
        capture_output=True,
        env=env,
    )

    def ready(base: str) -> bool:
        graphs = get_json(base + "data/plugin/graphs/info")
        captures = get_json(base + "data/plugin/profile/runs")
        return bool(graphs.get("train", {}).get("run_graph")) and len(captures) == 1

    with run_heron(logs, tmp_path_factory.mktemp("keras_views_serve"), ready=ready) as base:
        yield base


def test_keras_op_graph_search_finds_matmul(keras_server: str, page: Any) -> None:
    page.goto(keras_server)
    click_tab(page, "graphs")
    page.wait_for_selector("[data-testid=graph-run]")
    page.select_option("[data-testid=graph-run]", "train")
    page.select_option("[data-testid=graph-tag]", label="Op graph (run)")
    page.wait_for_function(
        "() => document.querySelector('[data-testid=graph-status]')?.dataset.state === 'ready'"
    )
    page.fill("[data-testid=graph-search]", "MatMul")
    result = page.locator("[data-testid=graph-search-result][data-id$='MatMul']").first
    result.wait_for()
    result.click()
    page.wait_for_function(
        "() => document.querySelector('[data-testid=graph-details-op]')?.textContent === 'MatMul'"
    )
    screenshot(page, "keras_op_graph")


def test_keras_profile_capture_is_listed_with_two_steps(keras_server: str, page: Any) -> None:
    (capture,) = get_json(keras_server + "data/plugin/profile/runs")
    session = capture["sessions"][0]["session"]
    page.goto(keras_server)
    click_tab(page, "profile")
    page.wait_for_selector(".profile-overview")
    labels = page.locator(".profile-capture option").all_inner_texts()
    assert any(label.startswith(f"train / {session}") for label in labels), labels
    page.wait_for_function(
        "() => document.querySelector('[data-testid=profile-steps]')?.textContent === '2'"
    )
    # profile_batch=(2, 3): the capture holds exactly those two training steps.
    steps = page.locator(".steps-table tbody td:first-child").all_inner_texts()
    assert steps == ["2", "3"]
    screenshot(page, "keras_profile_overview")
