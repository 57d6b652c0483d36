"""The graphs dashboard's routes: TensorBoard's (reference §5.11) and Heron's JSON form."""

from heron.plugins.graphs.data import graph_info, graph_text, run_metadata_text
from heron.plugins.graphs.graph_json import graph_json
from heron.plugins.graphs.graphdefs import merge_graph_defs
from heron.plugins.graphs.keras import keras_model_to_graph_def
from heron.plugins.graphs.routes import GraphsPlugin

__all__ = [
    "GraphsPlugin",
    "graph_info",
    "graph_json",
    "graph_text",
    "keras_model_to_graph_def",
    "merge_graph_defs",
    "run_metadata_text",
]
