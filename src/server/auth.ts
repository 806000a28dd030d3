/**
 * Optional auth, which MLflow's server lacks by default: HTTP basic auth and bearer
 * tokens, each user holding READ or WRITE (or MANAGE) permission per experiment id, with
 * `"*"` as the default for every experiment and for the registry. Loaded from a JSON file:
 * `{"users": [{"username": "ana", "password": "...", "token": "...", "permissions": {"*": "READ", "12": "WRITE"}}]}`.
 */
import { readFileSync } from "node:fs";
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { HttpError } from "./httpUtil";
import type { Access } from "./handlers";

/** A permission level, weakest first. */
export type Permission = "NO_PERMISSIONS" | "READ" | "WRITE" | "MANAGE";

/** One user of the server. */
export interface AuthUser {
  readonly username: string;
  readonly password?: string;
  readonly token?: string;
  /** Experiment id (or `"*"`) to permission. */
  readonly permissions: Readonly<Record<string, Permission>>;
}

/** The server's users. */
export interface AuthConfig {
  readonly users: readonly AuthUser[];
}

const LEVEL: Record<Permission, number> = { NO_PERMISSIONS: 0, READ: 1, WRITE: 2, MANAGE: 3 };

/** Reads and checks an auth config file. */
export function loadAuthConfig(path: string): AuthConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new Error(`Cannot read auth config '${path}': ${(err as Error).message}`);
  }
  const users = (parsed as { users?: unknown }).users;
  if (!Array.isArray(users) || users.length === 0) throw new Error(`Auth config '${path}' must hold a non-empty "users" list.`);
  for (const [i, u] of users.entries()) {
    const user = u as Partial<AuthUser>;
    if (typeof user.username !== "string" || user.username === "") throw new Error(`Auth config '${path}': users[${i}] needs a "username".`);
    if (typeof user.password !== "string" && typeof user.token !== "string") throw new Error(`Auth config '${path}': user '${user.username}' needs a "password" or a "token".`);
    for (const [exp, perm] of Object.entries(user.permissions ?? {})) {
      if (!(perm in LEVEL)) throw new Error(`Auth config '${path}': user '${user.username}' has unknown permission '${String(perm)}' for experiment '${exp}' (use READ, WRITE, MANAGE or NO_PERMISSIONS).`);
    }
  }
  return { users: users.map((u: AuthUser) => ({ ...u, permissions: u.permissions ?? {} })) };
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a, "utf8");
  const y = Buffer.from(b, "utf8");
  return x.length === y.length && timingSafeEqual(x, y);
}

const challenge = { "WWW-Authenticate": 'Basic realm="mlflow"' };

/** The user a request authenticates as; 401 when credentials are missing or wrong. */
export function authenticate(config: AuthConfig, req: IncomingMessage): AuthUser {
  const header = req.headers.authorization ?? "";
  const basic = /^Basic\s+(.+)$/i.exec(header);
  if (basic !== null) {
    const decoded = Buffer.from(basic[1] as string, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const username = colon < 0 ? decoded : decoded.slice(0, colon);
    const password = colon < 0 ? "" : decoded.slice(colon + 1);
    const user = config.users.find((u) => u.username === username);
    if (user !== undefined && user.password !== undefined && same(user.password, password)) return user;
  }
  const bearer = /^Bearer\s+(.+)$/i.exec(header);
  if (bearer !== null) {
    const user = config.users.find((u) => u.token !== undefined && same(u.token, (bearer[1] as string).trim()));
    if (user !== undefined) return user;
  }
  throw new HttpError(401, "UNAUTHENTICATED", "You are not authenticated. Please provide valid credentials (basic auth or a bearer token).", challenge);
}

/** Whether `user` may read experiment `experimentId`. */
export function canRead(user: AuthUser, experimentId: string): boolean {
  const perm = user.permissions[experimentId] ?? user.permissions["*"] ?? "NO_PERMISSIONS";
  return LEVEL[perm] >= LEVEL.READ;
}

/** Checks that `user` may `access` every experiment in `scope` (null: registry or global); 403 otherwise. */
export function authorize(user: AuthUser, access: Access, scope: string | readonly string[] | null): void {
  if (Array.isArray(scope)) {
    for (const experimentId of scope) authorizeOne(user, access, experimentId);
    return;
  }
  authorizeOne(user, access, scope as string | null);
}

function authorizeOne(user: AuthUser, access: Access, experimentId: string | null): void {
  const perm = (experimentId !== null ? user.permissions[experimentId] : undefined) ?? user.permissions["*"] ?? "NO_PERMISSIONS";
  const needed = access === "read" ? LEVEL.READ : LEVEL.WRITE;
  if (LEVEL[perm] < needed) {
    throw new HttpError(
      403,
      "PERMISSION_DENIED",
      `Permission denied: user '${user.username}' has ${perm} on ${experimentId === null ? "the registry" : `experiment ${experimentId}`}, ${access === "read" ? "READ" : "WRITE"} is needed.`,
    );
  }
}

/** True for addresses only this machine can reach. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}
