"""Executes one notebook cell by cell in a fresh kernel with nbclient (what `jupyter nbconvert
--execute` uses) and writes the executed copy, also when a cell fails, so the failing cell's
stderr (where tslab puts its compile and runtime errors) can be reported.

usage: execute_notebook.py NOTEBOOK OUTPUT --kernel tslab --timeout SECONDS
Prints one JSON line: {"ok": true} or {"ok": false, "cell": i, "source": ..., "error": ...}.
"""
import argparse
import json
import os
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError


def stderr_of(cell):
    parts = []
    for o in cell.get("outputs", []):
        if o.get("output_type") == "stream" and o.get("name") == "stderr":
            parts.append(o.get("text", ""))
        elif o.get("output_type") == "error":
            parts.append(f"{o.get('ename')}: {o.get('evalue')}\n" + "\n".join(o.get("traceback", [])))
    return "".join(parts)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("notebook")
    ap.add_argument("output")
    ap.add_argument("--kernel", default="tslab")
    ap.add_argument("--timeout", type=int, default=600)
    args = ap.parse_args()
    nb = nbformat.read(args.notebook, as_version=4)
    client = NotebookClient(
        nb,
        timeout=args.timeout,
        kernel_name=args.kernel,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(args.notebook))}},
    )
    result = {"ok": True}
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            try:
                client.execute_cell(cell, index)
            except (CellExecutionError, CellTimeoutError) as e:
                result = {"ok": False, "cell": index, "source": cell.source, "error": stderr_of(cell) or str(e)}
                break
    nbformat.write(nb, args.output)
    print(json.dumps(result))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
