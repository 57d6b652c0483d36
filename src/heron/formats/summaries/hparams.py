"""HParams summaries: the experiment, session start and session end records of the hparams plugin.

Each is a value with an empty DT_FLOAT ``[0]`` tensor whose metadata carries a
serialized ``HParamsPluginData`` (version 0). TensorBoard's HParams dashboard
treats a run holding ``_hparams_/session_start_info`` as a *session* with those
hyperparameter values; a metric's value for a session is the last value of
that scalar tag in the session's run (or in a sub-run, for a metric group).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final, Literal

from google.protobuf.struct_pb2 import ListValue, Value

from heron.formats.proto.hparams_api_pb2 import (
    DATA_TYPE_BOOL,
    DATA_TYPE_FLOAT64,
    DATA_TYPE_STRING,
    STATUS_FAILURE,
    STATUS_RUNNING,
    STATUS_SUCCESS,
    STATUS_UNKNOWN,
    Experiment,
    HParamInfo,
    MetricInfo,
    MetricName,
)
from heron.formats.proto.hparams_plugin_pb2 import (
    HParamsPluginData,
    SessionEndInfo,
    SessionStartInfo,
)
from heron.formats.proto.summary_pb2 import DATA_CLASS_TENSOR, Summary
from heron.formats.proto.tensor_pb2 import TensorProto
from heron.formats.proto.types_pb2 import DT_FLOAT
from heron.formats.summaries._metadata import plugin_metadata

__all__ = [
    "EXPERIMENT_TAG",
    "PLUGIN_NAME",
    "SESSION_END_INFO_TAG",
    "SESSION_START_INFO_TAG",
    "HParamValue",
    "experiment",
    "hparam_info",
    "session_end",
    "session_start",
]

PLUGIN_NAME: Final = "hparams"
EXPERIMENT_TAG: Final = "_hparams_/experiment"
SESSION_START_INFO_TAG: Final = "_hparams_/session_start_info"
SESSION_END_INFO_TAG: Final = "_hparams_/session_end_info"

#: What a hyperparameter may be: a bool, a number or a string.
HParamValue = bool | float | str

_STATUS: Final = {
    "unknown": STATUS_UNKNOWN,
    "success": STATUS_SUCCESS,
    "failure": STATUS_FAILURE,
    "running": STATUS_RUNNING,
}


def _value(value: HParamValue) -> Value:
    if isinstance(value, bool):
        return Value(bool_value=value)
    if isinstance(value, str):
        return Value(string_value=value)
    return Value(number_value=float(value))


def hparam_info(
    name: str, example: HParamValue, *, domain: Sequence[HParamValue] | None = None
) -> HParamInfo:
    """Declares a hyperparameter typed like ``example``, with an optional discrete domain."""
    if isinstance(example, bool):
        data_type = DATA_TYPE_BOOL
    elif isinstance(example, str):
        data_type = DATA_TYPE_STRING
    else:
        data_type = DATA_TYPE_FLOAT64
    info = HParamInfo(name=name, type=data_type)
    if domain is not None:
        info.domain_discrete.CopyFrom(ListValue(values=[_value(item) for item in domain]))
    return info


def _summary(tag: str, data: HParamsPluginData) -> Summary.Value:
    empty = TensorProto(dtype=DT_FLOAT)
    empty.tensor_shape.dim.add(size=0)
    return Summary.Value(
        tag=tag,
        tensor=empty,
        metadata=plugin_metadata(PLUGIN_NAME, DATA_CLASS_TENSOR, content=data.SerializeToString()),
    )


def experiment(
    hparams: Sequence[HParamInfo], metric_tags: Sequence[str], *, time_created_secs: float = 0.0
) -> Summary.Value:
    """The experiment: which hyperparameters and which metrics (scalar tags) the dashboard shows."""
    content = Experiment(
        hparam_infos=hparams,
        metric_infos=[MetricInfo(name=MetricName(tag=tag)) for tag in metric_tags],
        time_created_secs=time_created_secs,
    )
    return _summary(EXPERIMENT_TAG, HParamsPluginData(version=0, experiment=content))


def session_start(
    hparams: Mapping[str, HParamValue], *, group_name: str = "", start_time_secs: float = 0.0
) -> Summary.Value:
    """Marks the run as a session with these hyperparameter values."""
    info = SessionStartInfo(group_name=group_name, start_time_secs=start_time_secs)
    for name, value in hparams.items():
        info.hparams[name].CopyFrom(_value(value))
    return _summary(SESSION_START_INFO_TAG, HParamsPluginData(version=0, session_start_info=info))


def session_end(
    status: Literal["unknown", "success", "failure", "running"] = "success",
    *,
    end_time_secs: float = 0.0,
) -> Summary.Value:
    info = SessionEndInfo(status=_STATUS[status], end_time_secs=end_time_secs)
    return _summary(SESSION_END_INFO_TAG, HParamsPluginData(version=0, session_end_info=info))
