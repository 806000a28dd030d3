// The talk built on the real data (../shared/data/olx_house_price_Q122.csv) and checked as its
// audience sees it, as notebooks.test.ts does on the bundled sample; skipped, visibly, without it.
import { existsSync } from "node:fs";
import { describe } from "vitest";
import { REAL_CSV, talkSuite, talkToolsMissing } from "./talkSuite";

const realMissing = !existsSync(REAL_CSV);
if (realMissing) console.warn(`SKIPPED building the talk on the real data: ${REAL_CSV} is absent`);
if (talkToolsMissing.length > 0) console.warn(`SKIPPED building the talk on the real data: ${talkToolsMissing.join("; ")}`);

describe.skipIf(talkToolsMissing.length > 0 || realMissing)("the talk built on the real data", () => {
  // The PDFs and the presenter view are checked on the sample; here the slides as the real data fills them.
  talkSuite("real", { OLX_CSV: REAL_CSV }, { pdf: false });
});
