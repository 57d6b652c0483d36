"""Write the profiler fixture logdir ``tests/fixtures/profile/`` with the real profilers.

Why real captures: the profile plugin must read what people's profilers write,
so its tests parse files ``torch.profiler`` (and, where the CPU packages allow,
JAX) produced, not traces written by hand.

* ``torch_cpu/`` — a tiny CPU model trained for a few steps under
  ``torch.profiler.profile`` with ``tensorboard_trace_handler`` (gzip output,
  ``record_shapes``, ``profile_memory``). Batches come from a ``DataLoader``
  whose dataset sleeps a little per item, so the trace holds real
  input-pipeline waits (``enumerate(DataLoader)#...__next__`` spans).
* ``jax_cpu/`` — ``jax.profiler.trace`` around a few jitted steps, which writes
  ``plugins/profile/<session>/<host>.xplane.pb`` (and, depending on the
  version, a ``*.trace.json.gz``). Skipped with a message when JAX is missing.

And one synthetic trace, in ``tests/fixtures/profile_synthetic/`` (apart, so
``profile/`` holds only real captures):

* ``gpu_synthetic/`` — written by ``gpu_trace()``, not captured: there is no
  GPU here. It follows torch's (Kineto's) GPU trace shape: a CPU process with
  ``ProfilerStep#N``, ``cpu_op`` and ``cuda_runtime`` ``cudaLaunchKernel`` /
  ``cudaMemcpyAsync`` events; a GPU process (pid 0) whose stream thread holds
  ``kernel`` events (``grid``, ``block``, ``registers per thread``,
  ``est. achieved occupancy %``...) and a ``gpu_memcpy``; ``ac2g`` flows from
  each launch to its kernel by correlation id; CUDA ``[memory]`` events with
  ``Addr`` / ``Bytes`` / ``Total Allocated``; ``deviceProperties``. Times are
  deterministic so tests can pin numbers.

Each capture runs in its own process: on some machines a process that
imported TensorFlow crashes when it later imports ``torch._dynamo``, and the
profilers keep global state.

* ``profile_tf/tf_cpu/`` — TensorFlow's profiler around four steps of a
  ``tf.function`` fed by a slow ``tf.data`` pipeline (``tf_capture``): an
  XSpace whose steps wait in ``IteratorGetNext``. Its own directory, so the
  real captures of ``profile/`` stay as other tests expect them.

Run: ``.venv/bin/python tools/make_profile_fixtures.py`` (everything), or with
``--synthetic`` / ``--tf`` for only that part, leaving the rest as it is.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "profile"
SYNTHETIC = ROOT.parent / "profile_synthetic"
TF_ROOT = ROOT.parent / "profile_tf"

#: (kernel name, duration µs, grid, block, registers per thread, occupancy %) per launch, per step.
_KERNELS = (
    ("volta_sgemm_128x64_nn", 42.0, [8, 4, 1], [256, 1, 1], 126, 24.8),
    (
        "void at::native::vectorized_elementwise_kernel<4, at::native::FillFunctor<float>>",
        3.0,
        [160, 1, 1],
        [128, 1, 1],
        18,
        78.5,
    ),
    ("volta_sgemm_128x64_nn", 38.0, [8, 4, 1], [256, 1, 1], 126, 24.6),
    (
        "void at::native::reduce_kernel<512, 1, at::native::ReduceOp<float>>",
        11.0,
        [1, 1, 1],
        [32, 16, 1],
        32,
        12.5,
    ),
)


def torch_capture(out: str) -> None:
    """A few profiled training steps of a small MLP on CPU, fed by a slow DataLoader."""
    import time

    import torch
    from torch import nn
    from torch.profiler import ProfilerActivity, profile, schedule, tensorboard_trace_handler
    from torch.utils.data import DataLoader, Dataset

    torch.manual_seed(0)

    class SlowDataset(Dataset[tuple[torch.Tensor, torch.Tensor]]):
        """Random samples, each costing a little wall time, like decoding from disk."""

        def __len__(self) -> int:
            return 256

        def __getitem__(self, index: int) -> tuple[torch.Tensor, torch.Tensor]:
            time.sleep(0.003)
            generator = torch.Generator().manual_seed(index)
            return torch.randn(64, generator=generator), torch.tensor(index % 10)

    model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 256), nn.ReLU())
    model.append(nn.Linear(256, 10))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()
    loader = DataLoader(SlowDataset(), batch_size=16, shuffle=False, num_workers=0)
    with profile(
        activities=[ProfilerActivity.CPU],
        schedule=schedule(wait=1, warmup=1, active=4, repeat=1),
        on_trace_ready=tensorboard_trace_handler(out, worker_name="worker0", use_gzip=True),
        record_shapes=True,
        profile_memory=True,
        with_stack=False,
    ) as prof:
        for step, (x, y) in enumerate(loader):
            if step >= 6:
                break
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            optimizer.step()
            prof.step()


def jax_capture(out: str) -> None:
    """A few jitted steps under ``jax.profiler.trace`` (writes an XSpace)."""
    import jax
    import jax.numpy as jnp

    @jax.jit
    def step(w: jax.Array, x: jax.Array) -> jax.Array:
        return w - 0.01 * jax.grad(lambda w: jnp.sum(jnp.tanh(x @ w) ** 2))(w)

    w = jnp.ones((64, 64))
    x = jnp.ones((32, 64))
    step(w, x).block_until_ready()
    with jax.profiler.trace(out):
        for index in range(3):
            with jax.profiler.StepTraceAnnotation("train", step_num=index):
                w = step(w, x)
            w.block_until_ready()


def _event(
    ph: str, name: str, cat: str, pid: int, tid: int, ts: float, **rest: Any
) -> dict[str, Any]:
    return {"ph": ph, "cat": cat, "name": name, "pid": pid, "tid": tid, "ts": ts, **rest}


def _memory(pid: int, tid: int, ts: float, change: int, addr: int, total: int) -> dict[str, Any]:
    """A CUDA allocation (``change`` > 0) or free, with the allocator's total after it."""
    args = {"Total Reserved": 4 << 20, "Total Allocated": total, "Bytes": change}
    args |= {"Device Id": 0, "Device Type": 1, "Addr": addr}
    return _event("i", "[memory]", "cpu_instant_event", pid, tid, ts, s="t", args=args)


def gpu_trace() -> dict[str, Any]:
    """A tiny torch-format GPU trace: 3 steps, each launching ``_KERNELS`` and one memcpy."""
    cpu, thread, gpu, stream = 4242, 4242, 0, 7
    events: list[dict[str, Any]] = [
        _event("M", "process_name", "", cpu, 0, 0, args={"name": "python3"}),
        _event("M", "thread_name", "", cpu, thread, 0, args={"name": "thread 4242 (python3)"}),
        _event("M", "process_name", "", gpu, 0, 0, args={"name": "CUDA GPU 0"}),
        _event("M", "process_labels", "", gpu, 0, 0, args={"labels": "GPU 0"}),
        _event("M", "thread_name", "", gpu, stream, 0, args={"name": "stream 7 7"}),
    ]
    base, correlation = 1_000_000.0, 100
    #: 1 MiB allocated before the capture started: at the peak, bytes no event explains.
    allocated = 1 << 20
    workspace_bytes = 262144
    for step in range(3):
        start = base + step * 1000.0
        activation = 0x7F0000000000 + step * 0x100000
        workspace = activation + 0x80000
        events.append(
            _event("X", f"ProfilerStep#{step}", "user_annotation", cpu, thread, start, dur=900.0)
        )
        events.append(
            _event(
                "X",
                "enumerate(DataLoader)#_SingleProcessDataLoaderIter.__next__",
                "user_annotation",
                cpu,
                thread,
                start + 10,
                dur=200.0,
            )
        )
        events.append(_event("X", "aten::copy_", "cpu_op", cpu, thread, start + 220, dur=60.0))
        correlation += 1
        events.append(
            _event(
                "X",
                "cudaMemcpyAsync",
                "cuda_runtime",
                cpu,
                thread,
                start + 230,
                dur=30.0,
                args={"correlation": correlation},
            )
        )
        events.append(
            _event(
                "X",
                "Memcpy HtoD (Pageable -> Device)",
                "gpu_memcpy",
                gpu,
                stream,
                start + 250,
                dur=20.0,
                args={
                    "device": 0,
                    "stream": stream,
                    "correlation": correlation,
                    "bytes": 65536,
                    "memory bandwidth (GB/s)": 3.3,
                },
            )
        )
        allocated += 65536
        events.append(_memory(cpu, thread, start + 225, 65536, activation, allocated))
        cursor = start + 300
        events.append(_event("X", "aten::linear", "cpu_op", cpu, thread, cursor, dur=400.0))
        allocated += workspace_bytes
        events.append(_memory(cpu, thread, start + 305, workspace_bytes, workspace, allocated))
        kernel_start = cursor + 50
        for name, duration, grid, block, registers, occupancy in _KERNELS:
            correlation += 1
            if "FillFunctor" in name:  # launched from an op nested in aten::linear
                events.append(
                    _event("X", "aten::fill_", "cpu_op", cpu, thread, cursor + 5, dur=20.0)
                )
            events.append(
                _event(
                    "X",
                    "cudaLaunchKernel",
                    "cuda_runtime",
                    cpu,
                    thread,
                    cursor + 10,
                    dur=8.0,
                    args={"correlation": correlation},
                )
            )
            events.append(
                _event("s", "ac2g", "ac2g", cpu, thread, cursor + 10, id=correlation, bp="e")
            )
            kernel_start = max(kernel_start, cursor + 20)
            events.append(
                _event(
                    "X",
                    name,
                    "kernel",
                    gpu,
                    stream,
                    kernel_start,
                    dur=duration + step,
                    args={
                        "queued": 0,
                        "device": 0,
                        "context": 1,
                        "stream": stream,
                        "correlation": correlation,
                        "registers per thread": registers,
                        "shared memory": 16384,
                        "blocks per SM": 0.4,
                        "warps per SM": 3.2,
                        "grid": grid,
                        "block": block,
                        "est. achieved occupancy %": occupancy,
                    },
                )
            )
            events.append(
                _event("f", "ac2g", "ac2g", gpu, stream, kernel_start, id=correlation, bp="e")
            )
            kernel_start += duration + step + 2
            cursor += 90
        allocated -= workspace_bytes
        events.append(_memory(cpu, thread, start + 690, -workspace_bytes, workspace, allocated))
        allocated -= 65536
        events.append(_memory(cpu, thread, start + 800, -65536, activation, allocated))
    return {
        "schemaVersion": 1,
        "deviceProperties": [
            {
                "id": 0,
                "name": "Tesla V100-SXM2-16GB (synthetic)",
                "totalGlobalMem": 16945512448,
                "computeMajor": 7,
                "computeMinor": 0,
                "maxThreadsPerBlock": 1024,
                "numSms": 80,
                "regsPerBlock": 65536,
                "sharedMemPerBlock": 49152,
            }
        ],
        "record_shapes": 0,
        "profile_memory": 1,
        "traceEvents": events,
        "traceName": "synthetic",
    }


def write_synthetic() -> None:
    target = SYNTHETIC / "gpu_synthetic"
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    payload = json.dumps(gpu_trace(), separators=(",", ":")).encode()
    (target / "worker0.1.pt.trace.json.gz").write_bytes(gzip.compress(payload, mtime=0))


def tf_capture(out: str) -> None:
    """Four steps of a ``tf.function`` fed by a slow ``tf.data`` pipeline, under TF's profiler.

    Each element costs a few milliseconds in a ``py_function`` and nothing prefetches, so the
    loop waits in ``IteratorGetNext``: a real input-bound capture in XSpace form.
    """
    import time

    import tensorflow as tf

    def slow(x: tf.Tensor) -> tf.Tensor:
        time.sleep(0.004)
        return x

    def element(i: tf.Tensor) -> tf.Tensor:
        sample = tf.random.stateless_normal([16, 32], seed=tf.stack([i, tf.constant(0, tf.int64)]))
        return tf.py_function(slow, [sample], tf.float32)

    dataset = tf.data.Dataset.range(64).map(element).batch(1)
    weights = tf.Variable(tf.random.stateless_normal([32, 32], seed=[1, 2]))
    optimizer = tf.keras.optimizers.SGD(0.01)

    @tf.function
    def step(x: tf.Tensor) -> tf.Tensor:
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.tanh(tf.reshape(x, [16, 32]) @ weights) ** 2)
        optimizer.apply_gradients([(tape.gradient(loss, weights), weights)])
        return loss

    batches = iter(dataset)
    step(next(batches))  # trace and compile outside the capture
    tf.profiler.experimental.start(out)
    for index in range(4):
        with tf.profiler.experimental.Trace("train", step_num=index, _r=1):
            step(next(batches))
    tf.profiler.experimental.stop()


def _run_child(kind: str, out: Path) -> bool:
    result = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(out)],
        env={**os.environ, "CUDA_VISIBLE_DEVICES": ""},
        timeout=300,
        check=False,
    )
    return result.returncode == 0


def write_tf() -> None:
    if TF_ROOT.exists():
        shutil.rmtree(TF_ROOT)
    TF_ROOT.mkdir(parents=True)
    if not _run_child("tf", TF_ROOT / "tf_cpu"):
        print("the TensorFlow capture failed; profile_tf/ left out", file=sys.stderr)
        shutil.rmtree(TF_ROOT, ignore_errors=True)


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        captures = {"torch": torch_capture, "jax": jax_capture, "tf": tf_capture}
        captures[sys.argv[2]](sys.argv[3])
        return
    if sys.argv[1:] == ["--synthetic"]:
        write_synthetic()
        return
    if sys.argv[1:] == ["--tf"]:
        write_tf()
        return
    write_synthetic()
    write_tf()
    if ROOT.exists():
        shutil.rmtree(ROOT)
    ROOT.mkdir(parents=True)
    if not _run_child("torch", ROOT / "torch_cpu"):
        raise SystemExit("the torch capture failed")
    if not _run_child("jax", ROOT / "jax_cpu"):
        print("the JAX capture failed; jax_cpu/ left out", file=sys.stderr)
        shutil.rmtree(ROOT / "jax_cpu", ignore_errors=True)
    for path in sorted(ROOT.rglob("*")):
        if path.is_file():
            print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
