"""add_image(s), add_image_with_boxes, add_figure, add_video, add_audio."""

import io
import wave

import numpy as np
import pytest
from PIL import Image

from heron.formats.proto.audio_plugin_pb2 import AudioPluginData
from heron.formats.tensors import make_ndarray


def only_value(values_of, logdir, tag):
    writer_values = values_of(logdir)[tag]
    assert len(writer_values) == 1
    return writer_values[0][1]


def decoded_image(values_of, logdir, tag):
    value = only_value(values_of, logdir, tag)
    assert value.metadata.plugin_data.plugin_name == "images"
    width, height, blob = make_ndarray(value.tensor).tolist()
    image = Image.open(io.BytesIO(blob))
    assert (int(width), int(height)) == image.size
    return np.asarray(image)


@pytest.mark.parametrize(
    ("layout", "shape"),
    [("CHW", (3, 5, 7)), ("HWC", (5, 7, 3)), ("chw", (3, 5, 7)), ("HW", (5, 7)), ("WH", (7, 5))],
)
def test_layouts_give_the_same_rgb_picture(writer, logdir, values_of, layout, shape):
    rgb = np.random.default_rng(0).integers(0, 256, (5, 7, 3), dtype=np.uint8)
    gray = rgb[..., 0]
    source = {
        "CHW": rgb.transpose(2, 0, 1),
        "HWC": rgb,
        "HW": gray,
        "WH": gray.T,
    }[layout.upper()]
    assert source.shape == shape
    writer.add_image("img", source, 1, dataformats=layout)
    writer.flush()
    expected = rgb if layout.upper() in ("CHW", "HWC") else np.stack([gray] * 3, axis=2)
    np.testing.assert_array_equal(decoded_image(values_of, logdir, "img"), expected)


def test_float_pixels_are_scaled_clipped_and_truncated(writer, logdir, values_of):
    pixels = np.array([[[0.0, 0.5, 1.0, 2.0, -1.0, 0.999]]], dtype=np.float64)  # 1 × 1 × 6
    writer.add_image("f", pixels, 1, dataformats="CHW")
    writer.flush()
    decoded = decoded_image(values_of, logdir, "f")[..., 0]
    np.testing.assert_array_equal(decoded, [[0, 127, 255, 255, 0, 254]])


def test_one_channel_becomes_rgb_and_four_stay_rgba(writer, logdir, values_of):
    writer.add_image("gray", np.full((1, 2, 2), 0.5), 1)
    writer.add_image("rgba", np.full((2, 2, 4), 200, np.uint8), 1, dataformats="HWC")
    writer.flush()
    assert decoded_image(values_of, logdir, "gray").shape == (2, 2, 3)
    assert decoded_image(values_of, logdir, "rgba").shape == (2, 2, 4)


def test_a_pil_image_carries_its_own_layout(writer, logdir, values_of):
    image = Image.new("RGB", (4, 3), (10, 20, 30))
    writer.add_image("pil", image, 1)  # default dataformats="CHW" does not apply
    writer.add_image("pil_l", Image.new("L", (4, 3), 99), 1)
    writer.add_image("pil_p", Image.new("P", (4, 3), 1), 1)
    writer.flush()
    assert decoded_image(values_of, logdir, "pil")[0, 0].tolist() == [10, 20, 30]
    assert decoded_image(values_of, logdir, "pil_l")[0, 0].tolist() == [99, 99, 99]
    assert decoded_image(values_of, logdir, "pil_p").shape == (3, 4, 3)


def test_torch_images_are_copied_at_call_time(writer, logdir, values_of):
    torch = pytest.importorskip("torch")
    pixels = torch.zeros(3, 2, 2)
    writer.add_image("t", pixels, 1)
    pixels += 1  # changed right after the call: the logged image must not change
    writer.flush()
    assert decoded_image(values_of, logdir, "t").max() == 0


def test_a_batch_is_a_grid_eight_wide(writer, logdir, values_of):
    batch = np.zeros((10, 1, 2, 3), dtype=np.uint8)
    for index in range(10):
        batch[index] = index * 10
    writer.add_images("grid", batch, 1)
    writer.flush()
    grid = decoded_image(values_of, logdir, "grid")[..., 0]
    assert grid.shape == (4, 24)
    assert grid[0, 0] == 0
    assert grid[0, 21] == 70
    assert grid[2, 0] == 80
    assert grid[2, 3] == 90
    assert grid[2, 6] == 0  # empty cells are black


def test_nhwc_batches_and_rgba_grids(writer, logdir, values_of):
    writer.add_images("nhwc", np.ones((2, 2, 2, 4), dtype=np.uint8), 1, dataformats="NHWC")
    writer.flush()
    assert decoded_image(values_of, logdir, "nhwc").shape == (2, 4, 4)


@pytest.mark.parametrize(
    ("pixels", "layout", "error", "match"),
    [
        (np.zeros((3, 4)), "CHW", ValueError, "axes"),
        (np.zeros((5, 4, 4)), "CHW", ValueError, "1 to 4 channels"),
        (np.zeros((3, 0, 4)), "CHW", ValueError, "empty"),
        (np.full((3, 2, 2), np.nan), "CHW", ValueError, "NaN"),
        (np.zeros((3, 2, 2)), "CHX", ValueError, "arrangement"),
        (np.zeros((3, 2, 2)), "CCH", ValueError, "arrangement"),
        (np.zeros((0, 3, 2, 2)), "NCHW", ValueError, "empty"),
        (np.zeros((2, 2, 2, 2)), "NCHW", ValueError, "1, 3 or 4 channels"),
        (np.array([["a"]]), "HW", TypeError, "numbers"),
        ("pixels", "HW", TypeError, "array"),
    ],
)
def test_bad_images_raise_on_the_callers_thread(writer, pixels, layout, error, match):
    with pytest.raises(error, match=match):
        writer.add_image("bad", pixels, 1, dataformats=layout)


def test_boxes_are_drawn_red_with_labels(writer, logdir, values_of):
    writer.add_image_with_boxes(
        "boxes", np.zeros((3, 40, 60)), np.array([[5, 5, 50, 35]]), 1, labels=["cat"]
    )
    writer.add_image_with_boxes("plain", np.zeros((3, 40, 60)), np.array([[5, 5, 50, 35]]), 1)
    writer.flush()
    image = decoded_image(values_of, logdir, "boxes")
    assert image[5, 20].tolist() == [255, 0, 0]  # top edge
    assert image[20, 50].tolist() == [255, 0, 0]  # right edge
    assert image[20, 25].tolist() == [0, 0, 0]  # inside
    plain = decoded_image(values_of, logdir, "plain")
    assert (image != plain).any()  # the label was drawn


def test_box_labels_of_the_wrong_count_are_ignored_with_a_warning(writer, logdir, values_of):
    with pytest.warns(UserWarning, match="labels ignored"):
        writer.add_image_with_boxes("b", np.zeros((3, 9, 9)), np.zeros((2, 4)), 1, labels=["a"])


@pytest.mark.parametrize(
    "boxes", [np.zeros((2, 3)), np.array([[0, 0, np.nan, 1]]), np.zeros(5)], ids=str
)
def test_bad_boxes_raise(writer, boxes):
    with pytest.raises(ValueError, match="boxes"):
        writer.add_image_with_boxes("b", np.zeros((3, 9, 9)), boxes, 1)


def test_rescale_resizes_the_picture(writer, logdir, values_of):
    writer.add_image_with_boxes("r", np.zeros((3, 10, 20)), np.zeros((0, 4)), 1, rescale=0.5)
    writer.flush()
    assert decoded_image(values_of, logdir, "r").shape == (5, 10, 3)
    with pytest.raises(ValueError, match="rescale"):
        writer.add_image_with_boxes("r", np.zeros((3, 10, 20)), np.zeros((0, 4)), 1, rescale=0)


def test_figures_are_rendered_and_closed(writer, logdir, values_of):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure = plt.figure(figsize=(2, 1), dpi=50)
    canvas = figure.canvas
    writer.add_figure("fig", figure, 1, close=False)
    assert figure.canvas is canvas  # the figure keeps its own canvas
    assert plt.fignum_exists(figure.number)
    writer.add_figure("figs", [figure, figure], 2)
    assert not plt.fignum_exists(figure.number)
    writer.flush()
    assert decoded_image(values_of, logdir, "fig").shape == (50, 100, 3)
    assert decoded_image(values_of, logdir, "figs").shape == (50, 200, 3)
    with pytest.raises(TypeError, match="Figure"):
        writer.add_figure("x", np.zeros((3, 3)))


def gif_frames(blob):
    image = Image.open(io.BytesIO(blob))
    frames = []
    for index in range(image.n_frames):
        image.seek(index)
        frames.append(np.asarray(image.convert("RGB")))
    return np.stack(frames)


def test_a_video_batch_is_an_animated_gif_grid(writer, logdir, values_of):
    rng = np.random.default_rng(1)
    video = (rng.integers(0, 4, (3, 5, 3, 6, 8)) * 80).astype(np.uint8)  # N=3 → padded to 4
    writer.add_video("vid", video, 1, fps=10)
    writer.flush()
    value = only_value(values_of, logdir, "vid")
    width, height, blob = make_ndarray(value.tensor).tolist()
    frames = gif_frames(blob)
    assert (int(width), int(height)) == (32, 6)
    assert frames.shape == (5, 6, 32, 3)  # one row of 4 clips
    for clip in range(3):
        np.testing.assert_array_equal(
            frames[:, :, clip * 8 : (clip + 1) * 8], video[clip].transpose(0, 2, 3, 1)
        )
    assert (frames[:, :, 24:] == 0).all()
    assert Image.open(io.BytesIO(blob)).info["duration"] == 100


def test_many_colours_are_quantised_and_float_videos_scaled(writer, logdir, values_of):
    video = np.random.default_rng(2).random((1, 3, 3, 20, 20))
    writer.add_video("vid", video, 1, dataformats="NTCHW")
    writer.add_video("tchw", video[0], 1, dataformats="TCHW")
    writer.flush()
    frames = gif_frames(make_ndarray(only_value(values_of, logdir, "vid").tensor)[2])
    expected = (video[0].transpose(0, 2, 3, 1) * 255).astype(np.uint8)
    assert frames.shape == expected.shape
    assert np.abs(frames.astype(int) - expected).mean() < 20


@pytest.mark.parametrize("container", ["mp4", "webm"])
def test_mp4_and_webm_go_to_herons_video_plugin(writer, logdir, values_of, container):
    av = pytest.importorskip("av")
    video = np.zeros((1, 4, 3, 16, 16), dtype=np.uint8)
    video[0, :, 0] = 200  # red
    writer.add_video("vid", video, 1, fps=8, format=container)
    writer.flush()
    value = only_value(values_of, logdir, "vid")
    assert value.metadata.plugin_data.plugin_name == "heron_video"
    assert f'"video/{container}"' in value.metadata.plugin_data.content.decode()
    with av.open(io.BytesIO(make_ndarray(value.tensor)[2])) as stream:
        frames = [frame.to_ndarray(format="rgb24") for frame in stream.decode(video=0)]
    assert len(frames) == 4
    assert abs(int(frames[0][8, 8, 0]) - 200) < 20
    assert frames[0][8, 8, 1] < 30


@pytest.mark.parametrize(
    ("video", "kwargs", "error", "match"),
    [
        (np.zeros((1, 2, 3, 4)), {}, ValueError, "axes"),
        (np.zeros((1, 2, 2, 4, 4)), {}, ValueError, "channels"),
        (np.zeros((1, 0, 3, 4, 4)), {}, ValueError, "empty"),
        (np.full((1, 2, 3, 4, 4), np.inf), {}, ValueError, "NaN or infinite"),
        (np.zeros((1, 2, 3, 4, 4)), {"format": "avi"}, ValueError, "format"),
        (np.zeros((1, 2, 3, 4, 4)), {"fps": 0}, ValueError, "fps"),
        (np.zeros((1, 2, 3, 4, 4)), {"dataformats": "NTCHX"}, ValueError, "arrangement"),
    ],
)
def test_bad_videos_raise(writer, video, kwargs, error, match):
    with pytest.raises(error, match=match):
        writer.add_video("v", video, 1, **kwargs)


def test_a_missing_encoder_is_reported_at_the_call(writer, monkeypatch):
    import heron.writer.media as media

    monkeypatch.setattr(media, "available_codec", lambda container: None)
    with pytest.raises(RuntimeError, match="PyAV"):
        writer.add_video("v", np.zeros((1, 2, 3, 4, 4)), 1, format="mp4")


def read_wav(value):
    assert value.metadata.plugin_data.plugin_name == "audio"
    plugin = AudioPluginData.FromString(value.metadata.plugin_data.content)
    assert plugin.encoding == AudioPluginData.WAV
    clips = make_ndarray(value.tensor)
    assert clips.shape == (1,)
    with wave.open(io.BytesIO(clips[0])) as stream:
        frames = stream.readframes(stream.getnframes())
        return stream.getframerate(), stream.getnchannels(), np.frombuffer(frames, "<i2")


def test_audio_is_16_bit_mono_wav(writer, logdir, values_of):
    samples = np.array([[0.0, 0.5, -0.5, 1.0, -1.0]], dtype=np.float32)
    writer.add_audio("snd", samples, 1, sample_rate=8000)
    writer.flush()
    rate, channels, pcm = read_wav(only_value(values_of, logdir, "snd"))
    assert (rate, channels) == (8000, 1)
    assert pcm.tolist() == [0, 16383, -16383, 32767, -32767]


def test_loud_audio_is_clipped_with_a_warning(writer, logdir, values_of):
    with pytest.warns(UserWarning, match="clipped"):
        writer.add_audio("loud", np.array([2.0, -3.0, 0.0]), 1)
    writer.flush()
    assert read_wav(only_value(values_of, logdir, "loud"))[2].tolist() == [32767, -32767, 0]


@pytest.mark.parametrize(
    ("samples", "kwargs", "error", "match"),
    [
        (np.zeros((2, 10)), {}, ValueError, "one channel"),
        (np.zeros(0), {}, ValueError, "no samples"),
        (np.array([0.0, np.nan]), {}, ValueError, "NaN"),
        (np.zeros(4), {"sample_rate": 0}, ValueError, "sample_rate"),
        (np.zeros(4), {"sample_rate": 44.1}, ValueError, "sample_rate"),
    ],
)
def test_bad_audio_raises(writer, samples, kwargs, error, match):
    with pytest.raises(error, match=match):
        writer.add_audio("a", samples, 1, **kwargs)
