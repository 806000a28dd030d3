// Types of scripts/ui-pages.mjs, for the TypeScript tests that import it.

/** What a page's path may ask of the tracking store. */
export interface UiStore {
  experimentId(name: string): Promise<string>;
  latestStudyRunIds(name: string): Promise<string[]>;
}

/** One page of the tracking UI shown on the slides. */
export interface UiPage {
  name: string;
  path: (store: UiStore) => Promise<string>;
  selector?: string;
  waitFor?: string;
  bypassCsp?: boolean;
}

export const TRAINER_EXPERIMENT: string;
export const TUNING_EXPERIMENT: string;
export const REGISTERED_MODEL: string;
export const UI_PAGES: UiPage[];
