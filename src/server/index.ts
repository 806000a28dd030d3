/**
 * The tracking server: MLflow's REST API 2.0 over SQL (SQLite, PostgreSQL) or FileStore
 * backends, the artifact proxy, auth, the web UI and model serving.
 */
export { startTrackingServer, createRequestHandler, MLFLOW_COMPAT_VERSION } from "./app";
export type { PageHandler, RunningServer, TrackingServerOptions } from "./app";
export { openServerStores } from "./openServerStores";
export type { ServerStores } from "./openServerStores";
export { loadAuthConfig, authenticate, authorize, canRead, isLoopback } from "./auth";
export type { AuthConfig, AuthUser, Permission } from "./auth";
export { ServerArtifactStore, decodeArtifactPath, safeSegments } from "./artifactStore";
export { LocalArtifactStorage, openArtifactStorage } from "./artifactStorage";
export type { ArtifactDownload, ArtifactStorage } from "./artifactStorage";
export { S3ArtifactStorage } from "./s3ArtifactStorage";
export { checkArtifactLocations } from "./checkArtifactLocations";
export type { ArtifactLocations } from "./checkArtifactLocations";
export { ENDPOINTS, findEndpoint } from "./handlers";
export type { Access, Endpoint, HandlerContext, PathParams } from "./endpointContract";
export { LOGGED_MODEL_ENDPOINTS, openLoggedModelArtifact } from "./loggedModelHandlers";
export { ALL_ENDPOINTS } from "./allEndpoints";
export { SqlLoggedModels } from "./sql/sqlLoggedModelStore";
export { createUiPages } from "./ui/pages";
export { openSqlStores, openSqlDriver, sqlitePathOfUri } from "./sql/openSqlStores";
export type { SqlStores } from "./sql/openSqlStores";
export { SqlTrackingStore } from "./sql/sqlTrackingStore";
export type { SqlStoreOptions } from "./sql/sqlTrackingStore";
export { GroupCommitQueue } from "./sql/groupCommit";
export type { GroupCommitOptions, GroupCommitStats, GroupWriter } from "./sql/groupCommit";
export { SqlRegistryStore } from "./sql/sqlRegistryStore";
export { MIGRATIONS, SCHEMA_VERSION, migrate, currentSchemaVersion } from "./sql/migrations";
export type { Migration } from "./sql/migrations";
export { SqliteDriver } from "./sql/sqliteDriver";
export { PostgresDriver } from "./sql/postgresDriver";
export { MissingDependencyError } from "../util/optionalDependency";
export type { SqlDialect, SqlDriver, SqlRow, SqlTx, SqlValue } from "./sql/driver";
export { startScoringServer, parseScoringInput, score } from "./serving/scoringServer";
