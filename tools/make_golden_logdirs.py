"""Write the golden logdirs of tests/compat with the REAL writers, and what each was asked to write.

Heron promises to read every logdir TensorBoard reads. The golden logdirs pin
that promise without needing the writers installed: each one is written by a
real third-party writer, committed, and read back by
``tests/compat/test_golden_logdirs.py``, both by Heron and by TensorBoard's own
loader. Next to each logdir, ``expected.json`` records what this script *asked*
the writer to write (tags, steps, wall times, scalar values, histogram inputs,
image pixels, audio samples, text, hparams, graph ops...), so the tests check
values against the intent, not against another reader.

Layout (``<tool>`` is one of ``tensorboardx``, ``torch``, ``tf2``, ``tf1``)::

    tests/compat/golden/<tool>/logdir/...       event files, as the writer named them
    tests/compat/golden/<tool>/expected.json    {"tool", "package", "version",
                                                 "skipped_kinds", "records"}

Each record is one summary value the writer should have produced::

    {"run": ".", "tag": "loss", "step": 3, "kind": "scalar",
     "plugin": "scalars", "data_class": "SCALAR", "value": 0.125, "wall_time": ...}

``kind`` says which other fields a record has, and (``KIND_CLASSES``) which
plugin and data class TensorBoard gives the series on read;
``tests/compat/_expectations.py`` is the one place that interprets records.
Non-summary events (``session_log``, ``meta_graph_def``) are records too, with
``"tag": null``. ``skipped_kinds`` lists recipes whose optional dependency was
missing (tensorboardX's audio needs ``soundfile``).

Inputs are deterministic (fixed seeds, fixed wall times where the writer
accepts one); file names still carry the writer's timestamp, host and pid, and
TF writers stamp real wall times, so the tests find files by name pattern and
never compare bytes. Images are 4x3 pixels and audio clips 64 frames, which
keeps the whole folder well under 300 KB.

The recipes live in the ``golden`` package next to this script (``records``,
``inputs``, ``pytorch_style``, ``tf2``, ``tf1``, ``driver``) and are importable:
``tests/compat/test_live_writers.py`` runs them one kind at a time against the
installed writers, and fails when a committed expected.json no longer matches
its recipe (then run ``make golden``).

    python tools/make_golden_logdirs.py                 # rewrite every golden logdir
    python tools/make_golden_logdirs.py torch tf2       # only some tools
    python tools/make_golden_logdirs.py --out /tmp/g    # somewhere else
"""

from __future__ import annotations

import sys

# Run as a script, this file's folder (tools/) is first on sys.path: ``golden`` imports.
from golden.driver import main

if __name__ == "__main__":
    sys.exit(main(description=__doc__.splitlines()[0]))
