"""The text plugin's plain functions, over a real index (rendering over hand-made arrays)."""

from __future__ import annotations

import numpy as np

from heron.plugins.text import markdown_to_safe_html, text_array_to_html, text_tags, texts

TAG = "notes/text_summary"


def test_tags_are_lists_per_run(media_provider):
    assert text_tags(media_provider) == {"words": [TAG]}


def test_text_renders_markdown_and_escapes_html(media_provider):
    entries = texts(media_provider, "words", TAG)
    assert [entry["step"] for entry in entries] == [0, 1]
    assert entries[0]["wall_time"] > 1e9
    # The writer logs a rank-1 tensor of one string, as PyTorch does: a one-cell table.
    first = entries[0]["text"]
    assert first.startswith("<table>")
    assert "<h1>Step 0</h1>" in first
    assert "<script>" not in first
    assert "&lt;script&gt;" in first
    assert "<em>step</em> 1" in entries[1]["text"]


def test_text_without_markdown_is_escaped(media_provider):
    entries = texts(media_provider, "words", TAG, markdown=False)
    assert "<td># Step 0\n&lt;script&gt;alert(1)&lt;/script&gt;</td>" in entries[0]["text"]


def test_unknown_run_or_tag_is_empty_as_in_tensorboard(media_provider):
    assert texts(media_provider, "words", "nope") == []
    assert texts(media_provider, "ghost", TAG) == []
    assert texts(media_provider, "hist", "w") == []


def test_rank_0_is_markdown_without_a_table():
    html = text_array_to_html(np.array(b"**bold** [x](http://a.b)", dtype=object))
    assert html == '<p><strong>bold</strong> <a href="http://a.b">x</a></p>\n'


def test_rank_2_is_a_table_and_markdown_tables_render():
    html = text_array_to_html(np.array([[b"a|b\n-|-\n1|2", b"*y*"]], dtype=object))
    assert html.startswith("<table>\n<tbody>\n<tr>\n<td><table>")
    assert "<th>a</th>" in html
    assert "<td><p><em>y</em></p>\n</td>" in html


def test_higher_ranks_warn_and_show_the_first_slice():
    array = np.array([[[b"first"]], [[b"second"]]], dtype=object)
    html = text_array_to_html(array)
    assert "Warning" in html
    assert "first" in html
    assert "second" not in html


def test_sanitiser_drops_scripts_event_handlers_and_javascript_links():
    html = markdown_to_safe_html("[x](javascript:alert(1)) ![i](http://a/i.png)")
    assert 'href="javascript' not in html  # markdown-it leaves the unsafe link as text
    assert '<img src="http://a/i.png" alt="i">' in html
    assert text_array_to_html(np.array(b"<img src=x onerror=alert(1)>", dtype=object)) == (
        "<p>&lt;img src=x onerror=alert(1)&gt;</p>\n"
    )
