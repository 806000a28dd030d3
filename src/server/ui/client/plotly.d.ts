/** plotly's strict bundle ships no types; the UI uses the few calls typed in components/Plot.tsx. */
declare module "plotly.js-strict-dist-min" {
  const Plotly: unknown;
  export default Plotly;
}
