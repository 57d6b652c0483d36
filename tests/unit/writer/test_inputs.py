"""Input conversion: frameworks recognised by module name, arrays captured as private copies."""

import numpy as np
import pytest
from PIL import Image

from heron.writer import inputs


def test_frameworks_are_recognised_by_the_module_of_the_type():
    assert inputs.framework_of(np.zeros(1)) == "numpy"
    assert inputs.framework_of(Image.new("L", (1, 1))) == "PIL"
    assert inputs.framework_of(1.0) == "builtins"


def test_numpy_arrays_are_copied():
    source = np.zeros(3)
    captured = inputs.to_numpy(source)
    source[:] = 1
    assert captured.tolist() == [0, 0, 0]


def test_torch_tensors_are_copied_detached_and_widened():
    torch = pytest.importorskip("torch")
    source = torch.zeros(3, requires_grad=True)
    captured = inputs.to_numpy(source)
    with torch.no_grad():
        source += 1
    assert captured.tolist() == [0, 0, 0]
    assert inputs.to_numpy(torch.ones(2, dtype=torch.bfloat16)).dtype == np.float32
    with pytest.raises(ValueError, match="meta"):
        inputs.to_numpy(torch.zeros(2, device="meta"))


def test_lists_scalars_and_array_likes():
    class ArrayLike:
        def __array__(self, dtype=None, copy=None):
            return np.arange(3)

    assert inputs.to_numpy([[1, 2], [3, 4]]).shape == (2, 2)
    assert inputs.to_numpy(ArrayLike()).tolist() == [0, 1, 2]
    assert inputs.to_numpy(2.5).shape == ()
    with pytest.raises(TypeError, match="array"):
        inputs.to_numpy("text")
    with pytest.raises(TypeError, match="numeric array"):
        inputs.to_numpy([object()])


def test_tensorflow_and_jax_values_without_importing_them():
    class EagerTensor:
        __module__ = "tensorflow.python.framework.ops"

        def numpy(self):
            return np.arange(4)

    class ArrayImpl:
        __module__ = "jaxlib.xla_extension"

        def __array__(self, dtype=None, copy=None):
            return np.ones(2)

    assert inputs.to_numpy(EagerTensor()).tolist() == [0, 1, 2, 3]
    assert inputs.to_numpy(ArrayImpl()).tolist() == [1, 1]


@pytest.mark.parametrize(
    ("mode", "shape"),
    [
        ("L", (2, 3)),
        ("RGB", (2, 3, 3)),
        ("RGBA", (2, 3, 4)),
        ("P", (2, 3, 3)),
        ("1", (2, 3, 3)),
        ("LA", (2, 3, 2)),
    ],
)
def test_pil_images_become_hw_or_hwc_arrays(mode, shape):
    array, layout = inputs.image_array(Image.new(mode, (3, 2)), "CHW")
    assert array.shape == shape
    assert layout == ("HW" if len(shape) == 2 else "HWC")


def test_figures_render_without_replacing_their_canvas():
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(1, 1), dpi=10)
    canvas = figure.canvas
    pixels = inputs.render_figure(figure)
    assert pixels.shape == (10, 10, 3)
    assert pixels.dtype == np.uint8
    assert figure.canvas is canvas
    inputs.close_figure(figure)  # a figure pyplot does not manage: nothing to do


def test_pandas_objects():
    pandas = pytest.importorskip("pandas")
    assert inputs.to_numpy(pandas.Series([1, 2])).tolist() == [1, 2]
