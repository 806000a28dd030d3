// THE list of tracking-UI pages the slides show as screenshots, taken in Chromium by
// `npm run slides` from the runs the notebooks just logged (scripts/ui-screenshots.mjs starts our
// server over that store). Change the paths here when the UI's routes change; a notebook's
// markdown cell shows a page through its metadata `"demo": {"screenshot": "<name>"}`.
//
// Each page: name (the PNG's name), path (built from the store: see `store` below), and
// optionally `selector` (shoot that element instead of the viewport), `waitFor` (a selector
// that must be visible before the shot) and `localStorage` (store -> {key: value} set before the
// page loads: the UI keeps a table's columns and order there, as MLflow's does) and `prepare`
// (page -> what a presenter does on the page before the shot), `viewport` (CSS pixels, when the
// default of scripts/ui-screenshots.mjs cuts the page). The UI is a Preact app that draws each page from the
// REST API (src/server/ui/client): wait for what the page draws last (a grid row, a chart's
// data-ready, the champion alias), never for the page shell.
//   store.experimentId(name)        -> id of the experiment named `name`
//   store.latestStudyRunIds(name)   -> ids of the trial runs of the latest tuning study logged in
//                                      experiment `name` (the runs from the last run named "0" on)

/** The experiments and model the notebooks log to (see src/evaluation/simpleTrainer.ts, src/experiments/hyperOpt.ts). */
export const TRAINER_EXPERIMENT = "godel_cozy_ds-simple_trainer";
export const TUNING_EXPERIMENT = "godel_cozy_ds-hyper_opt";
export const REGISTERED_MODEL = "house_pricing_xgboost_model";

export const UI_PAGES = [
  {
    name: "ui-runs",
    path: async () => `/experiments?name=${encodeURIComponent(TRAINER_EXPERIMENT)}`,
    waitFor: "#runs-grid .ag-row",
    // The table as a presenter sets it up before the talk (Columns: pin the key metric): the
    // cross-validated RMSE next to the model's name instead of the creation date and the
    // artifact's path. Newest first, the page's default, so that a store the notebooks have
    // written several times still shows the last run of each model on top.
    localStorage: async (store) => ({
      [`mlflow-ui:runs:${await store.experimentId(TRAINER_EXPERIMENT)}`]: JSON.stringify({
        hidden: ["attributes.Source", "attributes.User", "attributes.Created", "attributes.Models"],
        pinned: "mean_test_rmse",
        groupBy: null,
        order: null,
      }),
    }),
    // ...and widens that column by its header's handle so its name shows in full.
    prepare: async (page) => {
      const handle = page.locator("#runs-grid .ag-header-cell[col-id='metrics.mean_test_rmse'] .ag-header-cell-resize").first();
      const box = await handle.boundingBox();
      if (box === null) throw new Error("the runs table has no mean_test_rmse column to widen");
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2 + 50, box.y + box.height / 2, { steps: 5 });
      await page.mouse.up();
    },
  },
  {
    name: "ui-compare",
    path: async (store) => `/compare?runs=${(await store.latestStudyRunIds(TUNING_EXPERIMENT)).join(",")}`,
    selector: "#parallel",
    waitFor: "#parallel[data-ready=true]",
  },
  {
    name: "ui-registry",
    path: async () => `/models/${encodeURIComponent(REGISTERED_MODEL)}`,
    waitFor: "#aliases li[data-alias=champion]",
    // Taller than the others: the versions table sits under the description, aliases and tags
    // (560 shows a fresh store's one version whole; the slide shrinks taller shots further).
    viewport: { width: 1024, height: 560 },
  },
];
