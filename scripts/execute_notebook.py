"""Executes one notebook cell by cell in a fresh kernel with nbclient (what `jupyter nbconvert
--execute` uses) and writes the executed copy, also when a cell fails, so the failing cell's
stderr (where tslab puts its compile and runtime errors) can be reported.

usage: execute_notebook.py NOTEBOOK OUTPUT --kernel tslab --timeout SECONDS [--progress LABEL]
Prints one JSON line on stdout: {"ok": true} or {"ok": false, "cell": i, "source": ..., "error": ...}.
With --progress, stderr shows which code cell of how many is running and the cells' printed
lines as they come (e.g. the tuning's trial lines), each prefixed with LABEL.
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


class ProgressClient(NotebookClient):
    """A NotebookClient that echoes stream output to stderr as it arrives, line by line."""

    progress_label = None

    def output(self, outs, msg, display_id, cell_index):
        if self.progress_label is not None and msg.get("msg_type") == "stream":
            text = msg.get("content", {}).get("text", "")
            for line in text.splitlines():
                sys.stderr.write(f"{self.progress_label}   | {line}\n")
            sys.stderr.flush()
        return super().output(outs, msg, display_id, cell_index)


def first_line(source):
    for line in source.splitlines():
        if line.strip() and not line.strip().startswith("//"):
            return line.strip()[:70]
    return ""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("notebook")
    ap.add_argument("output")
    ap.add_argument("--kernel", default="tslab")
    ap.add_argument("--timeout", type=int, default=600)
    ap.add_argument("--progress", default=None, help="label for progress lines on stderr")
    args = ap.parse_args()
    nb = nbformat.read(args.notebook, as_version=4)
    client = ProgressClient(
        nb,
        timeout=args.timeout,
        # nbclient waits 60 s for a kernel by default; a loaded machine (tests run two files at a time) needs more.
        startup_timeout=300,
        kernel_name=args.kernel,
        resources={"metadata": {"path": os.path.dirname(os.path.abspath(args.notebook))}},
    )
    client.progress_label = args.progress
    code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    result = {"ok": True}
    with client.setup_kernel():
        for n, index in enumerate(code_cells, start=1):
            cell = nb.cells[index]
            if args.progress is not None:
                sys.stderr.write(f"{args.progress} cell {n} of {len(code_cells)}: {first_line(cell.source)}\n")
                sys.stderr.flush()
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
