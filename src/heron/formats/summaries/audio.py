"""Audio summaries: a DT_STRING ``[k]`` vector of WAV clips, data class BLOB_SEQUENCE.

TF2's writer stores ``[k, 2]`` (clip, Markdown label) without a data class,
and readers keep the first column; a BLOB_SEQUENCE must be rank 1, so Heron
writes that column directly.
"""

from __future__ import annotations

import io
import wave
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from heron.formats.proto.audio_plugin_pb2 import AudioPluginData
from heron.formats.proto.summary_pb2 import DATA_CLASS_BLOB_SEQUENCE, Summary
from heron.formats.summaries._metadata import plugin_metadata
from heron.formats.tensors import string_tensor

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["PLUGIN_NAME", "audio", "encode_wav"]

PLUGIN_NAME: Final = "audio"


def encode_wav(samples: npt.NDArray[np.int16], sample_rate: int) -> bytes:
    """A 16-bit PCM WAV file of ``[frames]`` (mono) or ``[frames, channels]`` samples."""
    import numpy as np

    pcm = np.ascontiguousarray(samples, dtype="<i2")
    channels = 1 if pcm.ndim == 1 else pcm.shape[1]
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as stream:
        stream.setnchannels(channels)
        stream.setsampwidth(2)
        stream.setframerate(sample_rate)
        stream.writeframes(pcm.tobytes())
    return buffer.getvalue()


def audio(tag: str, clips: Sequence[bytes], *, description: str = "") -> Summary.Value:
    """One step's WAV clips of a tag."""
    content = AudioPluginData(encoding=AudioPluginData.WAV).SerializeToString()
    return Summary.Value(
        tag=tag,
        tensor=string_tensor(list(clips)),
        metadata=plugin_metadata(
            PLUGIN_NAME, DATA_CLASS_BLOB_SEQUENCE, content=content, description=description
        ),
    )
