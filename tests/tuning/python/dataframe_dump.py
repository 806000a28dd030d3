"""Prints Python Optuna's trials_dataframe() of a stored study as JSON records (NaN -> null).

usage: dataframe_dump.py sqlite:///path.db study_name
"""
import json
import sys
import warnings

import optuna

warnings.filterwarnings("ignore")
optuna.logging.set_verbosity(optuna.logging.ERROR)
df = optuna.load_study(study_name=sys.argv[2], storage=sys.argv[1]).trials_dataframe()
df = df.drop(columns=["datetime_start", "datetime_complete", "duration"])
records = df.astype(object).where(df.notna(), None).to_dict(orient="records")
print(json.dumps({"columns": list(df.columns), "records": records}, default=lambda v: v.item() if hasattr(v, "item") else str(v)))
