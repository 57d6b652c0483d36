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

Each capture runs in its own process: on some machines a process that
imported TensorFlow crashes when it later imports ``torch._dynamo``, and the
profilers keep global state.

Run: ``.venv/bin/python tools/make_profile_fixtures.py``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "profile"


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


def _run_child(kind: str, out: Path) -> bool:
    result = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(out)],
        env={**os.environ, "CUDA_VISIBLE_DEVICES": ""},
        timeout=300,
        check=False,
    )
    return result.returncode == 0


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        {"torch": torch_capture, "jax": jax_capture}[sys.argv[2]](sys.argv[3])
        return
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
