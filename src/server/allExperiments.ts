/** Every experiment a search matches, read page by page (for filtering before paging, and overlap checks). */
import type { Experiment } from "../tracking/entities";
import type { SearchExperimentsOptions, TrackingStore } from "../tracking/store/trackingStore";

/** All matches of `query` (its `maxResults` and `pageToken` are ignored). */
export async function allExperiments(tracking: TrackingStore, query: SearchExperimentsOptions): Promise<Experiment[]> {
  const out: Experiment[] = [];
  let token: string | null = null;
  do {
    const page: { items: Experiment[]; nextPageToken: string | null } = await tracking.searchExperiments({ ...query, maxResults: 50_000, pageToken: token });
    out.push(...page.items);
    token = page.nextPageToken;
  } while (token !== null);
  return out;
}
