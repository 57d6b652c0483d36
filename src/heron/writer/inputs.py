"""What users pass to ``add_*``, turned into floats and numpy arrays.

Accepted: Python numbers, numpy arrays and scalars, torch tensors (CPU or any
device), JAX arrays, TensorFlow eager tensors, PIL images, matplotlib figures,
pandas objects, and anything with ``__array__``. Frameworks are recognised by
the module their type comes from, never by importing them: a script that uses
numpy alone never imports torch through Heron.

Arrays are *captured*: the result is a private copy, so the caller may change
its tensor right after the call while the background thread still encodes it.
"""

from __future__ import annotations

import math
import sys
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = [
    "DeferredScalar",
    "check_tag",
    "framework_of",
    "image_array",
    "is_figure",
    "is_pil_image",
    "non_finite",
    "render_figure",
    "scalar",
    "step",
    "to_numpy",
]

_INT64_MIN: Final = -(1 << 63)
_INT64_MAX: Final = (1 << 63) - 1


def framework_of(value: object) -> str:
    """The top-level package of ``value``'s type (``"torch"``, ``"numpy"``, ``"jaxlib"``...)."""
    return type(value).__module__.partition(".")[0]


def _is_torch(value: object) -> bool:
    return framework_of(value) == "torch" or (
        hasattr(value, "detach") and hasattr(value, "numel") and hasattr(value, "device")
    )


def _is_jax(value: object) -> bool:
    return framework_of(value) in ("jax", "jaxlib")


def is_pil_image(value: object) -> bool:
    return framework_of(value) == "PIL" and hasattr(value, "getbands")


def is_figure(value: object) -> bool:
    """A matplotlib ``Figure`` (recognised without importing matplotlib)."""
    return framework_of(value) == "matplotlib" and hasattr(value, "canvas")


class DeferredScalar:
    """A one-element device tensor whose value is read on the background thread.

    Reading a CUDA scalar (``.item()``) waits for every queued kernel; doing it
    on the training thread would stall the GPU pipeline. The caller's thread
    only enqueues an on-device copy (asynchronous) and a CUDA event; the
    background thread waits on the event, then reads. ``float()`` reads it.
    """

    __slots__ = ("_event", "_tensor")

    def __init__(self, tensor: Any, event: Any) -> None:
        self._tensor = tensor
        self._event = event

    def __float__(self) -> float:
        if self._event is not None:
            self._event.synchronize()
        return float(self._tensor.item())


def scalar(value: object) -> float | DeferredScalar:
    """One number from ``value``: a Python number, a one-element array or tensor.

    Raises ``TypeError`` for non-numbers and ``ValueError`` for arrays that hold
    more (or less) than one element. NaN and infinities are kept: a diverging
    loss is worth seeing.
    """
    kind = type(value)
    if kind is float or kind is int or kind is bool:
        return _float(value)
    framework = framework_of(value)
    if framework == "torch" or _is_torch(value):
        return _torch_scalar(value)
    if framework in ("jax", "jaxlib"):
        _check_size(value)
        # JAX arrays are immutable: reading later is reading now, without a device sync here.
        return DeferredScalar(_JaxScalar(value), None)
    if isinstance(value, str | bytes):
        raise TypeError(f"expected a number, got {kind.__name__} {value!r}")
    if framework in ("tensorflow", "keras") and hasattr(value, "numpy"):
        value = value.numpy()
    if hasattr(value, "shape") and hasattr(value, "item"):
        _check_size(value)
        value = value.item()
    return _float(value)


def _float(value: object) -> float:
    try:
        return float(value)  # type: ignore[arg-type]
    except OverflowError as error:
        raise ValueError(f"{value} is too large for a floating-point number") from error
    except (TypeError, ValueError) as error:
        raise TypeError(f"expected a real number, got {type(value).__name__}") from error


class _JaxScalar:
    __slots__ = ("_array",)

    def __init__(self, array: Any) -> None:
        self._array = array

    def item(self) -> float:
        return float(self._array.reshape(()))


def _check_size(array: Any) -> None:
    shape = tuple(array.shape)
    if math.prod(shape) != 1:
        raise ValueError(f"expected a single number, got an array of shape {shape}")


def _torch_scalar(tensor: Any) -> float | DeferredScalar:
    _check_size(tensor)
    if tensor.is_complex():
        raise TypeError("expected a real number, got a complex tensor")
    device = tensor.device.type
    if device == "cpu":
        return float(tensor.item())
    if device == "meta":
        raise ValueError("a tensor on the meta device has no value")
    if device == "cuda":
        torch = sys.modules["torch"]
        copy = tensor.detach().clone()
        event = torch.cuda.Event()
        event.record(torch.cuda.current_stream(tensor.device))
        return DeferredScalar(copy, event)
    return float(tensor.item())


def step(value: object) -> int:
    """A global step as an int64; ``None`` means 0 (which event files leave out).

    Like PyTorch's writer this is ``int(value)``: a float step is truncated.
    """
    if value is None:
        return 0
    if type(value) is not int:
        if isinstance(value, str | bytes):
            raise TypeError(f"global_step must be an integer, got {type(value).__name__}")
        if hasattr(value, "shape") and hasattr(value, "item"):
            _check_size(value)
            value = value.item()
        try:
            value = int(value)  # type: ignore[call-overload]
        except (TypeError, ValueError, OverflowError) as error:
            raise ValueError(f"global_step must be an integer, got {value!r}") from error
    if not _INT64_MIN <= value <= _INT64_MAX:  # type: ignore[operator]
        raise ValueError(f"global_step {value} does not fit in an int64")
    return value  # type: ignore[return-value]


def wall_time(value: object) -> float:
    """Seconds since the epoch; ``None`` is the caller's job (it means now)."""
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as error:
        raise TypeError(f"walltime must be a number, got {type(value).__name__}") from error


def to_numpy(value: object) -> npt.NDArray[Any]:
    """A private numpy copy of ``value`` (see the module docstring for what is accepted).

    PIL images become ``[H, W]`` or ``[H, W, C]`` uint8 arrays; matplotlib
    figures are rendered to ``[H, W, 3]`` uint8. bfloat16 and float8 tensors
    are widened to float32 (numpy has no such types).
    """
    import numpy as np

    framework = framework_of(value)
    if framework == "numpy" and isinstance(value, np.ndarray):
        return np.array(value, copy=True)
    if framework == "torch" or _is_torch(value):
        return _torch_to_numpy(value)
    if is_pil_image(value):
        return _pil_to_numpy(value)
    if is_figure(value):
        return render_figure(value)
    if framework in ("jax", "jaxlib"):
        return np.array(value, copy=True)
    if hasattr(value, "numpy") and framework in ("tensorflow", "keras"):
        return np.array(value.numpy(), copy=True)
    if framework == "pandas" and hasattr(value, "to_numpy"):
        return np.array(value.to_numpy(), copy=True)
    if isinstance(value, str | bytes):
        raise TypeError(f"expected an array, got {type(value).__name__}")
    try:
        array = np.array(value, copy=True)
    except (TypeError, ValueError) as error:
        raise TypeError(f"cannot make an array of a {type(value).__name__}: {error}") from error
    if array.dtype == object:
        raise TypeError(f"cannot make a numeric array of a {type(value).__name__}")
    return array


def _torch_to_numpy(tensor: Any) -> npt.NDArray[Any]:
    import numpy as np

    torch = sys.modules.get("torch")
    if tensor.device.type == "meta":
        raise ValueError("a tensor on the meta device has no values")
    detached = tensor.detach()
    if torch is not None and detached.is_floating_point() and detached.element_size() < 2:
        detached = detached.float()  # float8: numpy has no such dtype
    elif torch is not None and detached.dtype == torch.bfloat16:
        detached = detached.float()
    return np.array(detached.numpy(force=True), copy=True)


def _pil_to_numpy(image: Any) -> npt.NDArray[Any]:
    """``L``, ``LA``, ``RGB``, ``RGBA`` (and 16/32-bit gray) as they are; other modes as RGB(A)."""
    import numpy as np

    mode = image.mode
    if mode in ("1", "P", "PA", "CMYK", "YCbCr", "LAB", "HSV"):
        keeps_alpha = mode == "PA" or "transparency" in image.info
        image = image.convert("RGBA" if keeps_alpha else "RGB")
    return np.array(image, copy=True)


def image_array(value: object, dataformats: str) -> tuple[npt.NDArray[Any], str]:
    """A private copy of an image and its layout: ``dataformats``, unless the input has its own.

    PIL images and matplotlib figures know their layout (``HW`` or ``HWC``), so
    ``dataformats`` does not apply to them.
    """
    array = to_numpy(value)
    if is_pil_image(value) or is_figure(value):
        return array, "HW" if array.ndim == 2 else "HWC"
    return array, dataformats


def render_figure(figure: Any) -> npt.NDArray[np.uint8]:
    """``[H, W, 3]`` uint8 pixels of a matplotlib figure, drawn by Agg.

    The figure's own canvas is put back afterwards, so an interactive figure
    stays interactive (``FigureCanvasAgg(figure)`` alone would replace it).
    """
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    original = figure.canvas
    try:
        canvas: Any = FigureCanvasAgg(figure)
        canvas.draw()
        pixels = np.asarray(canvas.buffer_rgba())[:, :, :3].copy()
    finally:
        figure.set_canvas(original)
    return pixels


def close_figure(figure: Any) -> None:
    """Release a figure that pyplot manages (figures made without pyplot need nothing)."""
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None:
        pyplot.close(figure)


def check_tag(tag: object) -> None:
    """Raise ``TypeError`` unless ``tag`` is a ``str``."""
    if not isinstance(tag, str):
        raise TypeError(f"tag must be a str, got {type(tag).__name__}")


def non_finite(array: npt.NDArray[Any]) -> int:
    """How many values of a numeric array are NaN or infinite (0 for integer arrays)."""
    import numpy as np

    if array.dtype.kind not in "fc":
        return 0
    return int(array.size - np.count_nonzero(np.isfinite(array)))
