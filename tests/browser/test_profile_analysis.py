"""The Profile tab's analysis views in real Chromium: kernel table, op pies, memory at the peak,
input pipeline — on the real CPU capture and the synthetic torch-format GPU trace."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .conftest import click_tab, get_json, run_heron, screenshot

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="module")
def analysis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    logs = tmp_path_factory.mktemp("profile-analysis") / "logs"
    shutil.copytree(FIXTURES / "profile" / "torch_cpu", logs / "torch_cpu")
    shutil.copytree(FIXTURES / "profile_synthetic" / "gpu_synthetic", logs / "gpu_synthetic")
    shutil.copytree(FIXTURES / "profile_tf" / "tf_cpu", logs / "tf_cpu")
    work = tmp_path_factory.mktemp("profile-analysis-serve")

    def ready(base: str) -> bool:
        return len(get_json(base + "data/plugin/profile/runs")) == 3

    with run_heron(logs, work, ready=ready) as base:
        yield base


def _session(base: str, run: str) -> str:
    (found,) = [r for r in get_json(base + "data/plugin/profile/runs") if r["run"] == run]
    return str(found["sessions"][0]["session"])


def _open(
    page: Any, base: str, run: str, view: str, host: str = "worker0", suffix: str = ""
) -> str:
    page.goto(base)
    click_tab(page, "profile")
    page.wait_for_selector(".profile-capture")
    session = _session(base, run)
    page.select_option(".profile-capture", label=f"{run} / {session} / {host}{suffix}")
    page.click(f".profile-view[data-view={view}]")
    return f"run={run}&session={session}"


def _column(page: Any, column: str) -> list[str]:
    return [
        str(v)
        for v in page.locator(f".kernel-table tbody td[data-column={column}]").evaluate_all(
            "cells => cells.map(c => c.dataset.value)"
        )
    ]


def test_kernel_table_lists_the_api_kernels_and_sorts(analysis_server, page):
    query = _open(page, analysis_server, "gpu_synthetic", "kernels")
    kernels = get_json(analysis_server + "data/plugin/profile/ops?" + query)["kernels"]
    page.wait_for_function(
        f"document.querySelector('[data-testid=kernel-count]')?.textContent === '{len(kernels)}'"
    )
    assert _column(page, "name") == [k["name"] for k in kernels]  # longest total first
    assert _column(page, "launched_by") == [k["launched_by"] for k in kernels]
    page.click(".kernel-table .sort-button[data-column=calls]")
    page.wait_for_selector(".kernel-table th[aria-sort=descending] [data-column=calls]")
    calls = [int(v) for v in _column(page, "calls")]
    assert calls == sorted(calls, reverse=True)
    page.click(".kernel-table .sort-button[data-column=occupancy]")
    page.wait_for_selector(".kernel-table th[aria-sort=descending] [data-column=occupancy]")
    occupancy = [float(v) for v in _column(page, "occupancy")]
    assert occupancy == sorted(occupancy, reverse=True)
    page.click(".kernel-table .sort-button[data-column=occupancy]")
    page.wait_for_selector(".kernel-table th[aria-sort=ascending] [data-column=occupancy]")
    assert [float(v) for v in _column(page, "occupancy")] == sorted(occupancy)
    grid = page.locator(".kernel-table tbody td[data-column=grid]").first.inner_text()
    assert "×" in grid
    screenshot(page, "profile-kernels")


def test_a_cpu_capture_says_it_has_no_kernels(analysis_server, page):
    _open(page, analysis_server, "torch_cpu", "kernels")
    page.wait_for_selector(".kernel-empty")


def test_op_stats_show_host_and_device_pies(analysis_server, page):
    query = _open(page, analysis_server, "gpu_synthetic", "ops")
    answer = get_json(analysis_server + "data/plugin/profile/ops?" + query)
    page.wait_for_selector(".op-pie[data-kind=device] .pie-slice")
    device_slices = page.locator(".op-pie[data-kind=device] .pie-slice")
    assert device_slices.count() == len(answer["op_types"]["device"])
    names = page.locator(".op-pie[data-kind=device] .pie-name").all_inner_texts()
    assert names == [s["name"] for s in answer["op_types"]["device"]]
    page.click(".op-table .sort-button[data-column=step_percent]")
    page.wait_for_selector(".op-table th[aria-sort=descending] [data-column=step_percent]")
    screenshot(page, "profile-op-pies")


def test_memory_lists_the_allocations_live_at_the_peak(analysis_server, page):
    query = _open(page, analysis_server, "torch_cpu", "memory")
    (device,) = get_json(analysis_server + "data/plugin/profile/memory?" + query)["devices"]
    live = device["peak_live"]
    page.wait_for_function(
        f"document.querySelector('[data-testid=peak-count]')?.textContent === '{live['count']}'"
    )
    page.wait_for_selector(".memory-chart canvas")
    rows = page.locator(".peak-table tbody tr:not(.unattributed)")
    assert rows.count() == len(live["allocations"])
    sizes = [float(v) for v in rows.evaluate_all("rs => rs.map(r => r.dataset.bytes)")]
    assert sizes == [a["bytes"] for a in live["allocations"]]
    ops = page.locator(".peak-table tbody tr:not(.unattributed) .op-name").all_inner_texts()
    assert ops == [a["op"] for a in live["allocations"]]
    screenshot(page, "profile-memory-peak")


def test_gpu_memory_peak_counts_bytes_from_before_the_capture(analysis_server, page):
    _open(page, analysis_server, "gpu_synthetic", "memory")
    page.wait_for_selector(".peak-table tr.unattributed")
    assert page.locator(".peak-table tr.unattributed").get_attribute("data-bytes") == "1048576"
    screenshot(page, "profile-memory-peak-gpu")


def test_input_pipeline_shows_waits_per_step_and_the_verdict(analysis_server, page):
    query = _open(page, analysis_server, "torch_cpu", "input")
    pipeline = get_json(analysis_server + "data/plugin/profile/overview?" + query)["input_pipeline"]
    page.wait_for_selector(".input-verdict[data-kind=input_bound]")
    assert page.locator(".input-verdict").inner_text() == pipeline["verdict"]
    assert page.locator(".input-bars .input-step").count() == len(pipeline["steps"])
    shown = page.locator(".input-table .input-percent").all_inner_texts()
    assert shown == [f"{s['percent']:.1f}" for s in pipeline["steps"]]
    screenshot(page, "profile-input-pipeline")


def test_a_tensorflow_capture_waiting_in_iterator_get_next_is_input_bound(analysis_server, page):
    query = _open(page, analysis_server, "tf_cpu", "input", host="vm", suffix=" (xplane)")
    overview = get_json(analysis_server + "data/plugin/profile/overview?" + query)
    pipeline = overview["input_pipeline"]
    page.wait_for_selector(".input-verdict[data-kind=input_bound]")
    assert page.locator(".input-verdict").inner_text() == pipeline["verdict"]
    assert page.locator(".input-bars .input-step").count() == 4
    page.click(".profile-view[data-view=overview]")
    page.wait_for_selector(".recommendations li[data-kind=input_bound]")
    first = page.locator(".recommendations li").first.inner_text()
    assert first.startswith(pipeline["verdict"])
    screenshot(page, "profile-tf-overview")


def test_analysis_views_in_dark_mode(analysis_server, new_page):
    page = new_page(color_scheme="dark")
    _open(page, analysis_server, "gpu_synthetic", "ops")
    page.wait_for_selector(".op-pie[data-kind=device] .pie-slice")
    screenshot(page, "profile-op-pies-dark")
    page.click(".profile-view[data-view=input]")
    page.wait_for_selector(".input-bars .input-step")
    screenshot(page, "profile-input-pipeline-dark")
