/**
 * Optional auth, which MLflow's server lacks by default: HTTP basic auth and bearer
 * tokens, each user holding READ or WRITE (or MANAGE) permission per experiment id, with
 * `"*"` as the default for every experiment and for the registry. Loaded from a JSON file:
 * `{"users": [{"username": "ana", "password": "...", "token": "...", "permissions": {"*": "READ", "12": "WRITE"}}]}`.
 * Experiment ids are compared in canonical form (see `canonicalIds.ts`); the threat model
 * is in docs/security.md.
 */
import { readFileSync } from "node:fs";
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { HttpError } from "./httpUtil";
import type { Access } from "./endpointContract";
import { canonicalExperimentId } from "./canonicalIds";

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

/** Reads and checks an auth config file (see {@link checkAuthConfig}). */
export function loadAuthConfig(path: string): AuthConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new Error(`Cannot read auth config '${path}': ${(err as Error).message}`);
  }
  return checkAuthConfig(parsed, `Auth config '${path}'`);
}

/**
 * Checks a config and returns it with experiment ids in permission keys canonical (`"01"`
 * means experiment 1, as requests are read). Refuses, naming `source` and the user: no
 * users, a user without a name, without a password or token, with an EMPTY password or
 * token (which would let anyone log in as them), or with an unknown permission.
 */
export function checkAuthConfig(config: unknown, source = "Auth config"): AuthConfig {
  const users = (config as { users?: unknown } | null)?.users;
  if (!Array.isArray(users) || users.length === 0) throw new Error(`${source} must hold a non-empty "users" list.`);
  const seen = new Set<string>();
  return {
    users: users.map((u: unknown, i) => {
      const user = (u ?? {}) as Partial<AuthUser>;
      if (typeof user.username !== "string" || user.username === "") throw new Error(`${source}: users[${i}] needs a "username".`);
      const who = `user '${user.username}'`;
      if (seen.has(user.username)) throw new Error(`${source}: ${who} is listed twice.`);
      seen.add(user.username);
      if (user.password !== undefined && typeof user.password !== "string") throw new Error(`${source}: ${who} has a "password" that is not a string.`);
      if (user.token !== undefined && typeof user.token !== "string") throw new Error(`${source}: ${who} has a "token" that is not a string.`);
      if (user.password === undefined && user.token === undefined) throw new Error(`${source}: ${who} needs a "password" or a "token".`);
      if (user.password === "") throw new Error(`${source}: ${who} has an empty "password"; anyone could log in as them. Set a password or remove the field.`);
      if (user.token !== undefined && user.token.trim() === "") throw new Error(`${source}: ${who} has an empty "token"; set a token or remove the field.`);
      const permissions: Record<string, Permission> = Object.create(null) as Record<string, Permission>;
      for (const [exp, perm] of Object.entries(user.permissions ?? {})) {
        if (typeof perm !== "string" || !Object.hasOwn(LEVEL, perm)) throw new Error(`${source}: ${who} has unknown permission '${String(perm)}' for experiment '${exp}' (use READ, WRITE, MANAGE or NO_PERMISSIONS).`);
        const key = exp === "*" ? exp : canonicalExperimentId(exp);
        if (Object.hasOwn(permissions, key) && permissions[key] !== perm) throw new Error(`${source}: ${who} gives experiment '${key}' two permissions ('${exp}' and another spelling of it).`);
        permissions[key] = perm;
      }
      return { ...user, username: user.username, permissions } as AuthUser;
    }),
  };
}

/** An admin holds MANAGE on `"*"`: may do anything, including sharing artifact folders between experiments. */
export function isAdmin(user: AuthUser): boolean {
  return user.permissions["*"] === "MANAGE";
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
  return LEVEL[permissionOf(user, experimentId)] >= LEVEL.READ;
}

/**
 * The permission `user` holds on an experiment (by its canonical id; null: the registry and
 * global requests), their `"*"` default when none is given for it.
 */
export function permissionOf(user: AuthUser, experimentId: string | null): Permission {
  const key = experimentId === null ? "*" : canonicalExperimentId(experimentId);
  // Own keys only: an id such as "constructor" must not find Object.prototype's members.
  if (Object.hasOwn(user.permissions, key)) return user.permissions[key] as Permission;
  return Object.hasOwn(user.permissions, "*") ? (user.permissions["*"] as Permission) : "NO_PERMISSIONS";
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
  const perm = permissionOf(user, experimentId);
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
