// Types of scripts/remote-stack.mjs, for the TypeScript tests that import it.
import type { ChildProcess } from "node:child_process";

export const ROOT: string;
export const CLI: string;
export const S3RVER_KEY: string;
export function freePort(): Promise<number>;
export function stackUnavailable(): string | null;
export function stopChild(child: ChildProcess, graceMs?: number): Promise<void>;
export function withoutS3Credentials(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv;

/** A running s3rver. */
export interface S3Service {
  readonly endpoint: string;
  readonly process: ChildProcess;
  /** What an S3 client needs: MLFLOW_S3_ENDPOINT_URL, s3rver's key, a region, IMDS off. */
  readonly env: Record<string, string>;
}

/** A running PostgreSQL cluster. */
export interface PostgresService {
  readonly port: number;
  /** Its temporary folder (owned by 'postgres' when run as root). */
  readonly dir: string;
  uri(db: string): string;
  createDatabase(name: string): string;
}

/** A running tracking server. */
export interface TrackingServerProcess {
  readonly url: string;
  readonly process: ChildProcess;
  output(): string;
}

export class Stack {
  constructor(options?: { log?: ((line: string) => void) | null });
  /** The stack's temporary folder. */
  readonly dir: string;
  defer(name: string, stop: () => unknown): void;
  stop(): Promise<void>;
  postgres(): Promise<PostgresService>;
  s3(buckets?: string[], options?: { tls?: { key: string; cert: string } | null }): Promise<S3Service>;
  authConfig(): { path: string; users: Record<"admin" | "tuner", { username: string; password: string }> };
  trackingServer(args: string[], options?: { env?: NodeJS.ProcessEnv; port?: number }): Promise<TrackingServerProcess>;
  runCli(args: string[], options?: { env?: NodeJS.ProcessEnv; prefix?: string }): Promise<{ code: number | null; signal: string | null; output: string }>;
}
