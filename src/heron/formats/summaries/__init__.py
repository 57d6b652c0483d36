"""Summary payloads, one module per kind: build the ``Summary.Value`` TensorBoard expects.

Every encoder emits the modern form (a tensor plus ``SummaryMetadata`` naming
the plugin and its data class), which both TensorBoard and Heron read without
migration. Heavy imports (numpy, Pillow) happen inside the functions that need them.
"""
