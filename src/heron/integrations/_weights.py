"""Weight arrays as pictures: one layout rule shared by the framework callbacks.

A weight is squeezed, then drawn as Keras's TensorBoard callback lays it out —
a bias as a one-pixel-high strip, a dense kernel as a matrix (transposed to be
wider than tall), a 3-D kernel as one tile per output channel — but scaled
from its own min..max to 0..1, because raw weights are mostly outside [0, 1]
and would come out black and white.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["weight_image"]


def weight_image(
    weight: npt.NDArray[Any], *, channels_last: bool = True
) -> npt.NDArray[Any] | None:
    """An ``NHWC`` float batch in [0, 1] picturing ``weight``, or None if it has no 2-D picture."""
    import numpy as np

    image = np.squeeze(np.asarray(weight, dtype=np.float32))
    if image.ndim == 1:
        image = image.reshape(1, 1, -1, 1)
    elif image.ndim == 2:
        if image.shape[0] > image.shape[1]:
            image = image.T
        image = image.reshape(1, *image.shape, 1)
    elif image.ndim == 3:
        if channels_last:
            image = np.transpose(image, (2, 0, 1))
        image = image[..., np.newaxis]
    else:
        return None
    if image.size == 0 or not np.all(np.isfinite(image)):
        return None
    low, high = float(image.min()), float(image.max())
    scaled: npt.NDArray[Any] = (image - low) / (high - low) if high > low else np.zeros_like(image)
    return scaled
