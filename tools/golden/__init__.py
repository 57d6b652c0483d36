"""The golden-logdir recipes: real writers, and a record of what each was asked to write.

``tools/make_golden_logdirs.py`` is the command line and documents the format;
``driver.TOOLS`` and ``driver.write_logdir`` are what tests/compat reuses.
"""
