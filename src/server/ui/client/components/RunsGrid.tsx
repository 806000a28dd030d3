/**
 * The runs table: AG Grid Community (virtual scrolling, pinned columns, resizing) over the
 * rows `arrange` laid out. Sorting is MLflow's, on the server: a header click asks the
 * page for a new `order_by`, and the grid keeps the server's order. Cells are built as
 * DOM nodes with text (never HTML); numbers are rounded with the full value on hover.
 */
import {
  CellStyleModule,
  ClientSideRowModelModule,
  ColumnApiModule,
  ColumnAutoSizeModule,
  EventApiModule,
  ModuleRegistry,
  RowApiModule,
  RowSelectionModule,
  RowStyleModule,
  ScrollApiModule,
  createGrid,
  type ColDef,
  type GridApi,
  type ICellRendererParams,
} from "ag-grid-community";
import { useEffect, useRef } from "preact/hooks";
import { dateTime, duration, fullNumber, roundNumber, ago } from "../lib/format";
import { href } from "../lib/router";
import { cellValue, columnId, type ColumnKey, type DisplayRow } from "../lib/runRows";

ModuleRegistry.registerModules([
  ClientSideRowModelModule,
  RowSelectionModule,
  ColumnAutoSizeModule,
  CellStyleModule,
  RowStyleModule,
  RowApiModule,
  ColumnApiModule,
  ScrollApiModule,
  EventApiModule,
]);

/** Props of {@link RunsGrid}. */
export interface RunsGridProps {
  readonly rows: readonly DisplayRow[];
  readonly columns: readonly ColumnKey[];
  /** Column ids pinned to the left after the run name (the key metric). */
  readonly pinned: readonly string[];
  /** The current sort, as a column id and direction. */
  readonly sort: { readonly colId: string; readonly ascending: boolean } | null;
  /** Columns the server can sort by. */
  readonly sortable: (c: ColumnKey) => boolean;
  readonly onSort: (c: ColumnKey, ascending: boolean) => void;
  readonly onToggle: (id: string) => void;
  readonly onSelection: (runIds: string[]) => void;
}

function el(tag: string, cls: string, text = ""): HTMLElement {
  const e = document.createElement(tag);
  if (cls !== "") e.className = cls;
  e.textContent = text;
  return e;
}

function toggleButton(expanded: boolean, label: string, onClick: () => void): HTMLElement {
  const b = el("button", "expander", expanded ? "▾" : "▸");
  b.setAttribute("aria-expanded", String(expanded));
  b.setAttribute("aria-label", `${expanded ? "Collapse" : "Expand"} ${label}`);
  b.addEventListener("click", (ev) => {
    ev.stopPropagation();
    onClick();
  });
  return b;
}

function nameCell(p: ICellRendererParams<DisplayRow>, onToggle: (id: string) => void): HTMLElement {
  const d = p.data as DisplayRow;
  const box = el("span", "name-cell");
  if (d.kind === "group") {
    box.append(toggleButton(d.expanded, d.label, () => onToggle(d.id)), el("span", "group-label", d.label), el("span", "count", ` (${d.count})`));
    return box;
  }
  box.classList.add(`depth-${Math.min(d.depth, 4)}`);
  if (d.childCount > 0) box.append(toggleButton(d.expanded, `children of ${d.row.name}`, () => onToggle(d.id)));
  else box.append(el("span", "expander-space"));
  const a = el("a", "run-link", d.row.name) as HTMLAnchorElement;
  a.href = href({ page: "run", runId: d.row.runId });
  a.title = d.row.runId;
  box.append(a);
  if (d.childCount > 0) box.append(el("span", "count", ` ${d.childCount} child run${d.childCount === 1 ? "" : "s"}`));
  return box;
}

const STATUS_CLASS: Record<string, string> = { FINISHED: "ok", RUNNING: "running", SCHEDULED: "running", FAILED: "bad", FAIL: "bad", KILLED: "bad", PRUNED: "pruned" };

function valueCell(d: DisplayRow, c: ColumnKey): HTMLElement | string {
  if (d.kind === "group") {
    return "";
  }
  const v = cellValue(d.row, c);
  if (v === null) return "";
  if (c.type === "attribute") {
    if (c.key === "Created") {
      const s = el("span", "", ago(v as number));
      s.title = dateTime(v as number);
      return s;
    }
    if (c.key === "Duration") return duration(v as number);
    if (c.key === "Status") return el("span", `status ${STATUS_CLASS[String(v)] ?? ""}`, String(v));
    const s = el("span", "", String(v));
    s.title = String(v);
    return s;
  }
  if (typeof v === "number") {
    const s = el("span", "num", roundNumber(v));
    s.title = fullNumber(v);
    return s;
  }
  const s = el("span", "", v);
  s.title = v;
  return s;
}

function cellSignature(d: DisplayRow | undefined, c: ColumnKey): string {
  if (d === undefined) return "";
  if (d.kind === "group") return `${d.label}|${d.count}|${d.expanded}|${d.best}`;
  const v = cellValue(d.row, c);
  return c.type === "attribute" && c.key === "Run Name" ? `${v}|${d.depth}|${d.childCount}|${d.expanded}` : String(v);
}

function groupBestCell(d: DisplayRow): HTMLElement | string {
  if (d.kind !== "group" || d.best === null) return "";
  const s = el("span", "num best", `best ${roundNumber(d.best)}`);
  s.title = fullNumber(d.best);
  return s;
}

/** The grid. */
export function RunsGrid(props: RunsGridProps) {
  const host = useRef<HTMLDivElement>(null);
  const api = useRef<GridApi<DisplayRow> | null>(null);
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    if (host.current === null) return;
    api.current = createGrid<DisplayRow>(host.current, {
      theme: "legacy",
      rowData: [],
      getRowId: (p) => p.data.id,
      rowHeight: 32,
      headerHeight: 36,
      suppressCellFocus: false,
      animateRows: false,
      rowSelection: { mode: "multiRow", checkboxes: true, headerCheckbox: false, enableClickSelection: false, isRowSelectable: (n) => n.data?.kind === "run" },
      selectionColumnDef: { pinned: "left", width: 44 },
      getRowClass: (p) => (p.data?.kind === "group" ? "group-row" : p.data?.kind === "run" && p.data.depth > 0 ? "child-row" : undefined),
      onSortChanged: (e) => {
        if (e.source !== "uiColumnSorted") return;
        const state = e.api.getColumnState().find((s) => s.sort !== null && s.sort !== undefined);
        const col = latest.current.columns.find((c) => columnId(c) === state?.colId);
        if (col !== undefined && state !== undefined) latest.current.onSort(col, state.sort === "asc");
      },
      onSelectionChanged: (e) => latest.current.onSelection(e.api.getSelectedRows().flatMap((r) => (r.kind === "run" ? [r.row.runId] : []))),
    });
    return () => {
      api.current?.destroy();
      api.current = null;
    };
  }, []);

  const columnsKey = JSON.stringify([props.columns, props.pinned]);
  useEffect(() => {
    const grid = api.current;
    if (grid === null) return;
    const defs: ColDef<DisplayRow>[] = props.columns.map((c) => {
      const id = columnId(c);
      const isName = c.type === "attribute" && c.key === "Run Name";
      return {
        colId: id,
        headerName: c.type === "attribute" ? c.key : c.key,
        headerClass: `col-${c.type}`,
        pinned: isName || props.pinned.includes(id) ? "left" : null,
        width: isName ? 260 : c.type === "attribute" && c.key === "Created" ? 150 : c.type === "attribute" && c.key === "Duration" ? 100 : c.type === "metric" ? 130 : 120,
        minWidth: 70,
        resizable: true,
        sortable: latest.current.sortable(c),
        comparator: () => 0, // the server sorted
        sortingOrder: ["desc", "asc"],
        cellClass: c.type === "metric" ? "metric-cell" : c.type === "param" ? "param-cell" : undefined,
        // What a cell shows, so the grid redraws exactly the cells whose content changed (live updates).
        valueGetter: (p) => cellSignature(p.data, c),
        cellRenderer: isName
          ? (p: ICellRendererParams<DisplayRow>) => nameCell(p, (id2) => latest.current.onToggle(id2))
          : props.pinned.includes(id)
            ? (p: ICellRendererParams<DisplayRow>) => (p.data?.kind === "group" ? groupBestCell(p.data) : valueCell(p.data as DisplayRow, c))
            : (p: ICellRendererParams<DisplayRow>) => valueCell(p.data as DisplayRow, c),
      };
    });
    grid.setGridOption("columnDefs", defs);
  }, [columnsKey]);

  useEffect(() => {
    const grid = api.current;
    if (grid === null) return;
    grid.applyColumnState({
      state: props.sort === null ? [] : [{ colId: props.sort.colId, sort: props.sort.ascending ? "asc" : "desc" }],
      defaultState: { sort: null },
    });
  }, [columnsKey, props.sort?.colId, props.sort?.ascending]);

  useEffect(() => {
    api.current?.setGridOption("rowData", props.rows as DisplayRow[]);
  }, [props.rows, columnsKey]);

  return <div ref={host} class="ag-theme-quartz runs-grid" id="runs-grid" role="presentation" />;
}
