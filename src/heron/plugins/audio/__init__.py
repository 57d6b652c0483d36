"""The audio dashboard's routes, TensorBoard-compatible (reference §5.5)."""

from heron.plugins.audio.data import audio_bytes, audio_clips, audio_tags, content_type
from heron.plugins.audio.routes import AudioPlugin

__all__ = ["AudioPlugin", "audio_bytes", "audio_clips", "audio_tags", "content_type"]
