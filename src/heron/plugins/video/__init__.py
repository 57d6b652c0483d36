"""Heron's video dashboard (MP4 / WebM from ``add_video``): its routes and plain functions."""

from heron.plugins.video.data import sniff_video_type, video_bytes, video_tags, videos
from heron.plugins.video.routes import VideoPlugin

__all__ = ["VideoPlugin", "sniff_video_type", "video_bytes", "video_tags", "videos"]
