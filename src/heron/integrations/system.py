"""System metrics: CPU, memory and GPUs, sampled by a background thread into a training run.

A slow epoch is often a starved GPU or a swapping host; seeing utilisation on
the same time axis as the loss answers that without another tool. The sampler
reads psutil when it is installed and Linux's ``/proc`` otherwise, and NVIDIA
GPUs through NVML (``pip install nvidia-ml-py``) when that is importable and
finds a driver; whatever is missing is simply not logged. Tags live under
``system/``; the step is the sample number (charts against wall time line
them up with training).

* ``system/cpu_percent``: CPU busy, all cores, since the previous sample;
* ``system/memory_percent``, ``system/memory_used_gib``: host memory in use;
* ``system/process_rss_gib``: this process's resident memory;
* ``system/gpu<i>/utilization_percent``, ``memory_percent``, ``memory_used_gib``,
  ``temperature_c``, ``power_w``: per NVIDIA GPU.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from heron.writer import SummaryWriter

__all__ = ["SystemMetrics", "log_system_metrics"]

_GIB = float(1 << 30)


def _optional(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError:
        return None


class _ProcReader:
    """CPU and memory from Linux's /proc, for machines without psutil."""

    def __init__(self) -> None:
        self._previous = self._cpu_times()

    @staticmethod
    def _cpu_times() -> tuple[int, int] | None:
        """(busy, total) jiffies of all CPUs since boot."""
        try:
            with open("/proc/stat", encoding="ascii") as stat:
                fields = [int(value) for value in stat.readline().split()[1:]]
        except (OSError, ValueError):
            return None
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle + iowait
        return sum(fields) - idle, sum(fields)

    def sample(self) -> dict[str, float]:
        values: dict[str, float] = {}
        now = self._cpu_times()
        if now is not None and self._previous is not None and now[1] > self._previous[1]:
            busy, total = now[0] - self._previous[0], now[1] - self._previous[1]
            values["cpu_percent"] = 100.0 * busy / total
        self._previous = now
        with contextlib.suppress(OSError, ValueError, KeyError):
            with open("/proc/meminfo", encoding="ascii") as meminfo:
                kib = {line.split(":")[0]: int(line.split()[1]) for line in meminfo}
            used = kib["MemTotal"] - kib["MemAvailable"]
            values["memory_percent"] = 100.0 * used / kib["MemTotal"]
            values["memory_used_gib"] = used * 1024 / _GIB
        with contextlib.suppress(OSError, ValueError, IndexError):
            with open("/proc/self/statm", encoding="ascii") as statm:
                pages = int(statm.read().split()[1])
            values["process_rss_gib"] = pages * os.sysconf("SC_PAGE_SIZE") / _GIB
        return values


class _PsutilReader:
    def __init__(self, psutil: Any) -> None:
        self._psutil = psutil
        self._process = psutil.Process()
        psutil.cpu_percent(interval=None)  # the first call only starts the measurement

    def sample(self) -> dict[str, float]:
        memory = self._psutil.virtual_memory()
        return {
            "cpu_percent": float(self._psutil.cpu_percent(interval=None)),
            "memory_percent": float(memory.percent),
            "memory_used_gib": (memory.total - memory.available) / _GIB,
            "process_rss_gib": self._process.memory_info().rss / _GIB,
        }


def _gpu_utilization(nvml: Any, handle: Any) -> float:
    return float(nvml.nvmlDeviceGetUtilizationRates(handle).gpu)


def _gpu_memory_percent(nvml: Any, handle: Any) -> float:
    info = nvml.nvmlDeviceGetMemoryInfo(handle)
    return 100.0 * info.used / info.total if info.total else 0.0


def _gpu_memory_used(nvml: Any, handle: Any) -> float:
    return float(nvml.nvmlDeviceGetMemoryInfo(handle).used) / _GIB


def _gpu_temperature(nvml: Any, handle: Any) -> float:
    return float(nvml.nvmlDeviceGetTemperature(handle, nvml.NVML_TEMPERATURE_GPU))


def _gpu_power(nvml: Any, handle: Any) -> float:
    return float(nvml.nvmlDeviceGetPowerUsage(handle)) / 1000.0  # milliwatts


_GPU_READINGS: tuple[tuple[str, Callable[[Any, Any], float]], ...] = (
    ("utilization_percent", _gpu_utilization),
    ("memory_percent", _gpu_memory_percent),
    ("memory_used_gib", _gpu_memory_used),
    ("temperature_c", _gpu_temperature),
    ("power_w", _gpu_power),
)


class _NvmlReader:
    """Per-GPU utilisation, memory, temperature and power through NVML."""

    def __init__(self, nvml: Any) -> None:
        nvml.nvmlInit()
        self._nvml = nvml
        count = nvml.nvmlDeviceGetCount()
        self._handles = [nvml.nvmlDeviceGetHandleByIndex(index) for index in range(count)]

    def sample(self) -> dict[str, float]:
        values: dict[str, float] = {}
        for index, handle in enumerate(self._handles):
            for name, read in _GPU_READINGS:
                with contextlib.suppress(Exception):  # a reading this GPU does not support
                    values[f"gpu{index}/{name}"] = read(self._nvml, handle)
        return values

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self._nvml.nvmlShutdown()


def _gpu_reader() -> _NvmlReader | None:
    nvml = _optional("pynvml")
    if nvml is None:
        return None
    try:
        return _NvmlReader(nvml)
    except Exception:  # no driver, no GPU: NVML raises its own error types
        return None


class SystemMetrics:
    """A daemon thread logging ``system/...`` scalars to ``writer`` every ``interval`` seconds.

    Started on construction; ``stop()`` (or leaving ``with``) takes one last
    sample and ends the thread.
    """

    def __init__(self, writer: SummaryWriter, interval: float = 10.0, *, gpu: bool = True) -> None:
        if interval <= 0:
            raise ValueError("interval must be a positive number of seconds")
        self.writer = writer
        self.interval = interval
        self.samples = 0
        psutil = _optional("psutil")
        self._host: _PsutilReader | _ProcReader = (
            _PsutilReader(psutil) if psutil is not None else _ProcReader()
        )
        self._gpu = _gpu_reader() if gpu else None
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._thread = threading.Thread(target=self._run, name="heron-system-metrics", daemon=True)
        self._thread.start()

    def sample(self) -> dict[str, float]:
        """Take one sample now and log it; returns what was logged (tags without ``system/``)."""
        with self._lock:
            values = self._host.sample()
            if self._gpu is not None:
                values.update(self._gpu.sample())
            for name, value in values.items():
                self.writer.add_scalar(f"system/{name}", value, self.samples)
            self.samples += 1
            return values

    def _run(self) -> None:
        while not self._stopped.wait(self.interval):
            self.sample()

    def stop(self) -> None:
        if self._stopped.is_set():
            return
        self._stopped.set()
        self._thread.join()
        self.sample()
        if self._gpu is not None:
            self._gpu.close()

    def __enter__(self) -> SystemMetrics:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def log_system_metrics(writer: SummaryWriter, interval: float = 10.0) -> SystemMetrics:
    """Start sampling CPU, memory and GPUs into ``writer``'s run; ``stop()`` the result to end."""
    return SystemMetrics(writer, interval)
