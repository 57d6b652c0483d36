"""The progress bar: only on a terminal, only for passes that take a while, erased at the end."""

from __future__ import annotations

import io

from heron.ingest.progress import Progress


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_terminal_gets_files_megabytes_rate_and_eta_then_a_clean_line():
    stream = Terminal()
    progress = Progress.for_terminal(
        stream, enabled=None, total_bytes=10_000_000, total_files=4, delay=0.0
    )
    progress.add(bytes_read=5_000_000, points=1000, files=2)
    drawn = stream.getvalue()
    assert "2/4 files" in drawn
    assert "5.0/10.0 MB" in drawn
    assert "points/s" in drawn
    assert "ETA" in drawn
    progress.close()
    assert stream.getvalue().endswith("\r" + " " * len(drawn.strip("\r")) + "\r")


def test_nothing_is_drawn_off_a_terminal_or_for_a_quick_pass():
    pipe = io.StringIO()
    progress = Progress.for_terminal(pipe, enabled=None, total_bytes=10, total_files=1, delay=0.0)
    progress.add(bytes_read=5, files=1)
    progress.close()
    assert pipe.getvalue() == ""
    terminal = Terminal()
    quick = Progress.for_terminal(terminal, enabled=None, total_bytes=10, total_files=1)
    quick.add(bytes_read=10, files=1)
    quick.close()
    assert terminal.getvalue() == ""


def test_it_can_be_forced_on_or_off():
    forced = io.StringIO()
    progress = Progress.for_terminal(forced, enabled=True, total_bytes=10, total_files=1, delay=0.0)
    progress.add(bytes_read=1)
    assert "heron: indexing" in forced.getvalue()
    silent = Terminal()
    Progress.for_terminal(silent, enabled=False, total_bytes=10, total_files=1, delay=0.0).add(
        bytes_read=1
    )
    assert silent.getvalue() == ""
