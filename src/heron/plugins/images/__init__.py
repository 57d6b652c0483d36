"""The images dashboard's routes, TensorBoard-compatible (reference §5.4)."""

from heron.plugins.images.data import image_bytes, image_tags, images, sniff_image_type
from heron.plugins.images.routes import ImagesPlugin

__all__ = ["ImagesPlugin", "image_bytes", "image_tags", "images", "sniff_image_type"]
