"""TensorBoard's file formats: bytes ⇄ protobuf ⇄ summaries.

The bottom layer of Heron, usable on its own: ``tfrecord`` (framing and
checksums), ``events`` (event files), ``compat`` (legacy → modern summaries),
``tensors`` (TensorProto ⇄ numpy), ``summaries`` (one encoder per kind) and
``proto`` (the messages). It imports nothing of Heron but ``heron.errors``.
"""
