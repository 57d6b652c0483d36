"""Framework integrations: log to Heron from Keras, PyTorch, Lightning, Transformers, XGBoost.

Each submodule belongs to one framework and imports it only when that submodule
is imported (or, for plain helpers, when a function is called), so that
``import heron`` and ``import heron.integrations`` stay light in a training
script that uses none of them. Everything here writes through
``heron.SummaryWriter``; the files are ordinary TensorBoard event files.

* ``heron.integrations.keras.HeronCallback`` — Keras 3, any backend;
* ``heron.integrations.torch.watch`` — weight and gradient histograms of a module;
* ``heron.integrations.lightning.HeronLogger`` — PyTorch Lightning;
* ``heron.integrations.transformers.HeronCallback`` — Hugging Face ``Trainer``;
* ``heron.integrations.xgboost.HeronCallback`` — XGBoost's training callbacks;
* ``heron.integrations.system.log_system_metrics`` — CPU, memory and GPU use, sampled.
"""
