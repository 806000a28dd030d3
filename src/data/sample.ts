import { Random } from "../util/random";
import { Frame } from "./frame";
import { OLX_COLUMNS } from "./olxSchema";
import { POLISH_CITIES } from "./polishCities";
import { toCsv } from "./writeCsv";

/** Options of {@link generateOlxSample}. */
export interface OlxSampleOptions {
  /** Rows before duplicates are added (default 5,000). */
  readonly rows?: number;
  /** Generator seed (default 2022). */
  readonly seed?: number;
}

const BUILDINGS: ReadonlyArray<readonly [string, number, number]> = [
  // [type, share, price factor]
  ["Housing Block", 0.74, 1.0],
  ["Tenement", 0.12, 0.93],
  ["Apartment Building", 0.1, 1.12],
  ["Other", 0.035, 0.9],
  ["Loft", 0.005, 1.2],
];
const MONTHS: ReadonlyArray<readonly [string, number]> = [["January", 0.31], ["February", 0.34], ["March", 0.35]];
const TITLE_PARTS = {
  kind: ["Mieszkanie", "Kawalerka", "Przestronne mieszkanie", "Nowe mieszkanie", "Słoneczne mieszkanie", "Apartament"],
  extra: ["z balkonem", "z ogródkiem", "po remoncie", "do remontu", "blisko centrum", "z garażem podziemnym", "na sprzedaż", "w spokojnej okolicy"],
};

function pick<T>(rnd: Random, items: ReadonlyArray<readonly [T, number, ...unknown[]]>): readonly [T, number, ...unknown[]] {
  let u = rnd.random();
  for (const item of items) {
    u -= item[1];
    if (u < 0) return item;
  }
  return items[items.length - 1] as readonly [T, number, ...unknown[]];
}

/**
 * A synthetic OLX-like data set with the published schema: real Polish cities (facts), and
 * prices driven by area, city size, market, building type and floor, with noise, some
 * outliers, some rows missing floor/area/building type together (as in the real file) and
 * some exact duplicates. Deterministic for a seed.
 */
export function generateOlxSample(options: OlxSampleOptions = {}): Frame {
  const n = options.rows ?? 5000;
  const rnd = new Random(options.seed ?? 2022);
  // Big cities carry most offers, as on OLX.
  const cityWeights = POLISH_CITIES.map((c) => Math.pow(c.population, 0.9));
  const totalWeight = cityWeights.reduce((a, b) => a + b, 0);
  const records: Array<Record<string, string | number | null>> = [];
  for (let i = 0; i < n; i++) {
    let u = rnd.random() * totalWeight;
    let cityIndex = 0;
    while (cityIndex < POLISH_CITIES.length - 1 && (u -= cityWeights[cityIndex] as number) >= 0) cityIndex++;
    const city = POLISH_CITIES[cityIndex] as (typeof POLISH_CITIES)[number];
    const [building, , buildingFactor] = pick(rnd, BUILDINGS) as readonly [string, number, number];
    const market = rnd.random() < 0.12 ? "primary" : "aftermarket";
    const offerType = rnd.random() < 0.73 ? "Private" : "Estate Agency";
    const rooms = Math.max(1, Math.min(6, Math.round(1 + Math.abs(rnd.normal(1.5, 0.9)))));
    let area = Math.round(Math.max(14, rooms * 19 + rnd.normal(8, 9)) * 100) / 100;
    const floor = Math.max(0, Math.min(rnd.random() < 0.08 ? 20 : 10, Math.round(Math.abs(rnd.normal(2.2, 2.4)))));
    const sizeFactor = 0.55 + 0.2 * Math.log10(city.population / 30000);
    const floorFactor = floor === 0 ? 0.97 : floor > 10 ? 1.05 : 1;
    const marketFactor = market === "primary" ? 1.08 : 1;
    let pricePerMeter = 9500 * sizeFactor * buildingFactor * floorFactor * marketFactor * Math.exp(rnd.normal(0, 0.15));
    let price = Math.round((area * pricePerMeter) / 1000) * 1000;
    const outlier = rnd.random();
    if (outlier < 0.01) price = Math.round(price * rnd.uniform(3, 8));
    else if (outlier < 0.02) price = Math.round(price * rnd.uniform(0.05, 0.3));
    if (rnd.random() < 0.002) area = Math.round(rnd.uniform(5000, 90000));
    pricePerMeter = Math.round((price / area) * 100) / 100;
    const missing = rnd.random() < 0.024;
    const title = `${TITLE_PARTS.kind[rnd.int(TITLE_PARTS.kind.length)]} ${rooms}-pok. ${TITLE_PARTS.extra[rnd.int(TITLE_PARTS.extra.length)]}` +
      (rnd.random() < 0.05 ? `, ${city.name}` : "") +
      (rnd.random() < 0.01 ? ' "okazja"' : "") +
      (rnd.random() < 0.005 ? "\nbez pośredników" : "");
    records.push({
      offer_title: title,
      price,
      price_per_meter: pricePerMeter,
      offer_type: offerType,
      floor: missing ? null : floor,
      area: missing ? null : area,
      rooms,
      offer_type_of_building: missing ? null : building,
      market,
      city_name: city.name,
      voivodeship: city.voivodeship,
      month: (pick(rnd, MONTHS) as readonly [string, number])[0],
      year: 2022,
      population: city.population,
      longitude: Math.round((city.longitude + rnd.normal(0, 0.03)) * 1e7) / 1e7,
      latitude: Math.round((city.latitude + rnd.normal(0, 0.02)) * 1e7) / 1e7,
    });
    // OLX re-lists some offers verbatim.
    if (rnd.random() < 0.05) records.push({ ...(records[records.length - 1] as Record<string, string | number | null>) });
  }
  return Frame.fromRecords(records, OLX_COLUMNS);
}

/** Encodes text the way the published file is broken: UTF-8 bytes read as Windows-1250. */
export function doubleEncode(value: string): string {
  return new TextDecoder("windows-1250").decode(Buffer.from(value, "utf8"));
}

/**
 * The sample as the published file looks: UTF-8 with a BOM, CRLF, and double-encoded
 * Polish letters in offer_title and city_name.
 */
export function olxSampleCsv(options: OlxSampleOptions = {}): string {
  return toCsv(generateOlxSample(options), {
    bom: true,
    lineEnd: "\r\n",
    encodeText: (column, value) => (column === "offer_title" || column === "city_name" ? doubleEncode(value) : value),
  });
}
