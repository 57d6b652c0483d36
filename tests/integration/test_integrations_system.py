"""heron.integrations.system: CPU, memory and GPU metrics sampled into the run."""

import os
import time
from types import SimpleNamespace

import pytest

from ._series import scalar_values, series_of


def test_sampler_logs_host_metrics_into_the_run(tmp_path):
    from heron import SummaryWriter
    from heron.integrations.system import log_system_metrics

    with SummaryWriter(tmp_path / "run") as writer:
        sampler = log_system_metrics(writer, interval=0.05)
        time.sleep(0.3)
        sampler.stop()
        sampler.stop()  # harmless twice
    db = tmp_path / "index.db"
    found = series_of(tmp_path, db)
    for tag in ("cpu_percent", "memory_percent", "memory_used_gib", "process_rss_gib"):
        plugin, count, last_step = found[("run", f"system/{tag}")]
        assert plugin == "scalars"
        assert count == sampler.samples == last_step + 1
        assert count >= 3
    for _, value in scalar_values(tmp_path, db, "run", "system/memory_percent"):
        assert 0 < value <= 100


@pytest.mark.skipif(not os.path.exists("/proc/stat"), reason="Linux /proc only")
def test_proc_reader_works_without_psutil():
    from heron.integrations.system import _ProcReader

    reader = _ProcReader()
    time.sleep(0.05)
    values = reader.sample()
    assert 0 <= values["cpu_percent"] <= 100
    assert 0 < values["memory_percent"] <= 100
    assert values["process_rss_gib"] > 0


def test_gpu_readings_through_nvml():
    """The NVML calls, against a stand-in for the driver this machine does not have."""
    from heron.integrations.system import _NvmlReader

    class NvmlError(Exception):
        pass

    def power(handle):
        if handle == 1:
            raise NvmlError("not supported")  # a reading one GPU lacks is left out
        return 150_000

    calls = []
    nvml = SimpleNamespace(
        NVML_TEMPERATURE_GPU=0,
        nvmlInit=lambda: calls.append("init"),
        nvmlShutdown=lambda: calls.append("shutdown"),
        nvmlDeviceGetCount=lambda: 2,
        nvmlDeviceGetHandleByIndex=lambda index: index,
        nvmlDeviceGetUtilizationRates=lambda handle: SimpleNamespace(gpu=50 + handle),
        nvmlDeviceGetMemoryInfo=lambda handle: SimpleNamespace(used=1 << 30, total=4 << 30),
        nvmlDeviceGetTemperature=lambda handle, sensor: 60,
        nvmlDeviceGetPowerUsage=power,
    )
    reader = _NvmlReader(nvml)
    values = reader.sample()
    reader.close()
    assert values == {
        "gpu0/utilization_percent": 50.0, "gpu0/memory_percent": 25.0,
        "gpu0/memory_used_gib": 1.0, "gpu0/temperature_c": 60.0, "gpu0/power_w": 150.0,
        "gpu1/utilization_percent": 51.0, "gpu1/memory_percent": 25.0,
        "gpu1/memory_used_gib": 1.0, "gpu1/temperature_c": 60.0,
    }  # fmt: skip
    assert calls == ["init", "shutdown"]


def test_interval_must_be_positive(tmp_path):
    from heron import SummaryWriter
    from heron.integrations.system import SystemMetrics

    with SummaryWriter(tmp_path) as writer, pytest.raises(ValueError, match="interval"):
        SystemMetrics(writer, interval=0)
