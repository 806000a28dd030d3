// THE list of tracking-UI pages the slides show as screenshots, taken in Chromium by
// `npm run slides` from the runs the notebooks just logged (scripts/ui-screenshots.mjs starts our
// server over that store). Change the paths here when the UI's routes change; a notebook's
// markdown cell shows a page through its metadata `"demo": {"screenshot": "<name>"}`.
//
// Each page: name (the PNG's name), path (built from the store: see `store` below), and
// optionally `selector` (shoot that element instead of the viewport), `waitFor` (a selector
// that must be visible before the shot) and `bypassCsp` (see the compare page).
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
    path: async (store) => `/experiments/${await store.experimentId(TRAINER_EXPERIMENT)}?order_by=${encodeURIComponent("attributes.start_time DESC")}`,
    waitFor: "#runs",
  },
  {
    name: "ui-compare",
    path: async (store) => `/compare?runs=${(await store.latestStudyRunIds(TUNING_EXPERIMENT)).join(",")}`,
    selector: "#parallel",
    waitFor: "#parallel .main-svg",
    // The UI's Content-Security-Policy (default-src 'self') forbids the eval that plotly's WebGL
    // parcoords (regl) needs, so in a browser this chart says "WebGL is not supported". Until
    // src/server/ui allows it (reported to the UI's owner), the shot is taken with the CSP bypassed.
    bypassCsp: true,
  },
  {
    name: "ui-registry",
    path: async () => `/models/${encodeURIComponent(REGISTERED_MODEL)}`,
    waitFor: "#versions",
  },
];
