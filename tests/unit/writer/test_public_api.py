"""The public names: ``heron.SummaryWriter`` (reached lazily) and ``heron.writer``'s ``__all__``."""

import heron
import heron.writer


def test_heron_exports_the_writer_lazily():
    assert {"SummaryWriter", "__version__"} <= set(heron.__all__)
    assert "SummaryWriter" in dir(heron)
    assert heron.SummaryWriter.__name__ == "SummaryWriter"


def test_heron_summary_writer_is_the_writer_packages():
    assert heron.SummaryWriter is heron.writer.SummaryWriter


def test_the_writer_package_exports_exactly_its_public_names():
    public = {name for name in vars(heron.writer) if not name.startswith("_")}
    exported = set(heron.writer.__all__)
    assert exported <= public
    assert exported == {"SummaryEncodingError", "SummaryWriter", "TableImage", "WriterError"}


def test_writer_errors_are_heron_errors():
    from heron.errors import HeronError

    assert issubclass(heron.writer.WriterError, HeronError)
    assert issubclass(heron.writer.WriterError, OSError)
    assert issubclass(heron.writer.SummaryEncodingError, ValueError)
