/**
 * MLflow 3's logged-model filter grammar and page tokens, as its `parse_filter_string` and
 * `SearchLoggedModelsPaginationToken` define them.
 */
import { describe, expect, it } from "vitest";
import { makeLoggedModelsPageToken, parseLoggedModelFilter, searchLoggedModelList } from "../../src/tracking/loggedModelSearch";

describe("logged-model filters", () => {
  it("parses attributes (with aliases), metrics, params and tags joined by AND", () => {
    expect(parseLoggedModelFilter("name = 'model' AND creation_time > 5 AND metrics.rmse <= 0.25 AND params.lr IN ('0.1', '0.2') AND tags.`team` LIKE 'm%'")).toEqual([
      { entity: "attributes", key: "name", op: "=", value: "model" },
      { entity: "attributes", key: "creation_timestamp", op: ">", value: 5 },
      { entity: "metrics", key: "rmse", op: "<=", value: 0.25 },
      { entity: "params", key: "lr", op: "IN", value: ["0.1", "0.2"] },
      { entity: "tags", key: "team", op: "LIKE", value: "m%" },
    ]);
  });

  it("refuses singular entity names, string operators on numbers and unknown attributes, with MLflow's messages", () => {
    expect(() => parseLoggedModelFilter("metric.rmse < 1")).toThrow("Invalid entity type: 'metric'. Expected one of ['attributes', 'metrics', 'params', 'tags'].");
    expect(() => parseLoggedModelFilter("metrics.rmse LIKE '1'")).toThrow("Invalid comparison operator for metrics.rmse: 'LIKE'");
    expect(() => parseLoggedModelFilter("flavor = 'x'")).toThrow("Invalid logged model search key 'flavor'");
    expect(() => parseLoggedModelFilter("name = 'a' OR name = 'b'")).toThrow(/Expected a list of comparisons separated by 'AND'/);
  });

  it("makes the page token MLflow makes (base64 of the query and offset) and refuses it for another query", () => {
    const query = { experimentIds: ["1"], orderBy: [{ fieldName: "name", ascending: true }] };
    const token = makeLoggedModelsPageToken(query, 1);
    // The token the real MLflow 3.6 server answered for this query (recorded from it).
    expect(token).toBe(
      "eyJleHBlcmltZW50X2lkcyI6IFsiMSJdLCAiZmlsdGVyX3N0cmluZyI6IG51bGwsICJvcmRlcl9ieSI6IFt7ImZpZWxkX25hbWUiOiAibmFtZSIsICJhc2NlbmRpbmciOiB0cnVlLCAiZGF0YXNldF9uYW1lIjogbnVsbCwgImRhdGFzZXRfZGlnZXN0IjogbnVsbH1dLCAib2Zmc2V0IjogMX0=",
    );
    expect(() => searchLoggedModelList([], { ...query, experimentIds: ["2"], pageToken: token })).toThrow(/Experiment IDs in the page token do not match/);
    expect(() => searchLoggedModelList([], { ...query, filterString: "name = 'x'", pageToken: token })).toThrow(/Filter string in the page token does not match/);
    expect(searchLoggedModelList([], { ...query, pageToken: token }).items).toEqual([]);
  });
});
