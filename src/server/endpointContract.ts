/**
 * What a REST endpoint is and what it works on, apart from the handler table
 * (`handlers.ts`), so that helpers the handlers use (artifact locations, page access,
 * the logged-model endpoints) can name these types without importing the table.
 */
import type { RegistryStore } from "../tracking/store/registryStore";
import type { TrackingStore } from "../tracking/store/trackingStore";
import type { JsonObject } from "../tracking-rest/wire";
import type { ArtifactStorage } from "./artifactStorageContract";
import type { Params } from "./requestParams";

/** What a handler works on. */
export interface HandlerContext {
  readonly tracking: TrackingStore;
  readonly registry: RegistryStore;
  /** The proxied artifact root, when the server serves artifacts. */
  readonly artifacts: ArtifactStorage | null;
  /** The only root (a local folder or an S3 prefix) whose direct artifact URIs this server reads (listings, UI downloads). */
  readonly directArtifacts: ArtifactStorage | null;
  /** A FileStore backend's own folder, whose runs' `file:` artifact URIs are served too (null for SQL stores). */
  readonly storeArtifacts?: ArtifactStorage | null;
  /** The authenticated user, when auth is on. */
  readonly user: string | null;
  /** Whether the user may read an experiment (always true without auth); searches drop the rest. */
  readonly canRead: (experimentId: string) => boolean;
  /** True when auth is on: listings are filtered by {@link canRead} before they are paged. */
  readonly restricted: boolean;
  /** An admin (or anyone, without auth) may place an experiment's artifacts inside another's. */
  readonly isAdmin: boolean;
  /** The user's permission on an experiment (null: the registry); undefined when auth is off. */
  readonly permissionOf?: (experimentId: string | null) => string;
}

/** Whether an endpoint reads or changes state (auth needs READ or WRITE). */
export type Access = "read" | "write";

/** The `{name}` segments of an endpoint's path, as matched in the request path. */
export type PathParams = Readonly<Record<string, string>>;

/** One REST endpoint. */
export interface Endpoint {
  readonly method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Path under `/api/2.0/mlflow/`, e.g. `runs/create` or `logged-models/{model_id}`. */
  readonly path: string;
  readonly access: Access;
  /** The experiment(s) the request touches (for per-experiment permissions); null for registry-wide or global requests. */
  scope(p: Params, ctx: HandlerContext, path: PathParams): Promise<string | readonly string[] | null>;
  handle(p: Params, ctx: HandlerContext, path: PathParams): Promise<JsonObject>;
}
