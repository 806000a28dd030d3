"""Dumps what Python Optuna 3.1's visualisation helpers compute for a stored study (the data
behind each plotly figure; plotly itself is not needed).

usage: viz_info.py sqlite:///path.db study_name
"""
import json
import sys
import warnings

import optuna
from optuna.visualization._contour import _get_contour_info
from optuna.visualization._edf import _get_edf_info
from optuna.visualization._intermediate_values import _get_intermediate_plot_info
from optuna.visualization._optimization_history import _get_optimization_history_info_list
from optuna.visualization._parallel_coordinate import _get_parallel_coordinate_info
from optuna.visualization._slice import _get_slice_plot_info

warnings.filterwarnings("ignore")
optuna.logging.set_verbosity(optuna.logging.ERROR)
study = optuna.load_study(study_name=sys.argv[2], storage=sys.argv[1])

history = _get_optimization_history_info_list(study, None, "Objective Value", False)[0]
edf = _get_edf_info(study)
pc = _get_parallel_coordinate_info(study)
contour = _get_contour_info(study)
slices = _get_slice_plot_info(study, None, None, "Objective Value")


def dim(d):
    return {"label": d.label, "values": list(d.values), "range": list(d.range),
            "tickvals": list(d.tickvals), "ticktext": list(d.ticktext)}


def sub(s):
    return {"x": s.xaxis.indices, "y": s.yaxis.indices,
            "z": [[x, y, v] for (x, y), v in sorted(s.z_values.items())]}


print(json.dumps({
    "history": {"x": history.trial_numbers, "y": history.values_info.values,
                "best": [float(v) for v in history.best_values_info.values]},
    "intermediate": [[t.trial_number, [[s, v] for s, v in t.sorted_intermediate_values]]
                     for t in _get_intermediate_plot_info(study).trial_infos],
    "edf": {"x": [float(v) for v in edf.x_values], "y": [float(v) for v in edf.lines[0].y_values]},
    "parallel": [dim(pc.dim_objective)] + [dim(d) for d in pc.dims_params],
    "contour": [[sub(s) for s in row] for row in contour.sub_plot_infos],
    "slice": [{"param": s.param_name, "x": s.x, "y": s.y} for s in slices.subplots],
}))
