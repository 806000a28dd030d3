/**
 * Import rules checked by `npm run imports` (part of `npm test`'s pretest, so CI fails on them):
 * no import circles, and the library's direction of imports:
 * util -> data -> preprocess -> models -> evaluation -> tuning; tracking imports no ML code.
 * Type-only imports count: a circle of types is still a circle of modules.
 */
const LAYERS = ["util", "data", "preprocess", "models", "evaluation", "tuning"];

const layerRules = LAYERS.slice(0, -1).map((layer, i) => ({
  name: `${layer}-imports-no-later-layer`,
  comment: `src/${layer} may import ${LAYERS.slice(0, i).join(", ") || "no other layer"} (and errors.ts, estimator.ts), not ${LAYERS.slice(i + 1).join(", ")}.`,
  severity: "error",
  from: { path: `^src/${layer}/` },
  to: { path: `^src/(${LAYERS.slice(i + 1).join("|")})/` },
}));

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      comment: "Break a circle by moving what both sides share to a module that both may import.",
      severity: "error",
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: "tracking-imports-no-ml-code",
      comment: "MLflow tracking (and its REST store) is entered through callbacks in src/integration; it never imports the ML layers.",
      severity: "error",
      from: { path: "^src/(tracking|tracking-rest)/" },
      to: { path: "^src/(data|preprocess|models|evaluation|tuning|integration|experiments|display|server|cli)/" },
    },
    {
      name: "tracking-imports-no-rest-store",
      comment: "tracking-rest builds on tracking: the package entry and the CLI register the REST store.",
      severity: "error",
      from: { path: "^src/tracking/" },
      to: { path: "^src/tracking-rest/" },
    },
  ],
  options: {
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^src/models/boosting/wasm/" },
  },
};
