/** The OLX "Poland house price Q1 2022" columns, in the published order. */
export const OLX_COLUMNS = [
  "offer_title",
  "price",
  "price_per_meter",
  "offer_type",
  "floor",
  "area",
  "rooms",
  "offer_type_of_building",
  "market",
  "city_name",
  "voivodeship",
  "month",
  "year",
  "population",
  "longitude",
  "latitude",
] as const;

/** One of the OLX column names. */
export type OlxColumn = (typeof OLX_COLUMNS)[number];

/** Columns read as numbers (an empty cell is NaN; anything else non-numeric is an error). */
export const OLX_NUMERIC_COLUMNS: readonly OlxColumn[] = [
  "price",
  "price_per_meter",
  "floor",
  "area",
  "rooms",
  "year",
  "population",
  "longitude",
  "latitude",
];

/** Text columns whose double-encoded Polish letters are repaired by default. */
export const OLX_REPAIRED_TEXT_COLUMNS: readonly OlxColumn[] = ["offer_title", "city_name"];

/** The regression target. */
export const OLX_TARGET = "price";

/** The original Python project's numeric features (IterativeImputer then StandardScaler). */
export const OLX_NUMERIC_FEATURES: readonly OlxColumn[] = ["floor", "area", "rooms", "longitude", "latitude"];

/** The original Python project's categorical features (constant imputer then one-hot encoder). */
export const OLX_CATEGORICAL_FEATURES: readonly OlxColumn[] = [
  "offer_type",
  "offer_type_of_building",
  "market",
  "voivodeship",
  "month",
];
