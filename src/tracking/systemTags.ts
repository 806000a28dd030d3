/**
 * The system tags MLflow's Python client adds to every run it creates
 * (`mlflow/tracking/context/`): user, source name and type, git commit of the source
 * when it lives in a git checkout. Read from the environment and files only, never by
 * running `git`.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { userInfo } from "node:os";
import type { RunTag } from "./entities";

/** Tag names MLflow reserves (`mlflow/utils/mlflow_tags.py`). */
export const MLFLOW_TAGS = {
  user: "mlflow.user",
  sourceName: "mlflow.source.name",
  sourceType: "mlflow.source.type",
  gitCommit: "mlflow.source.git.commit",
  runName: "mlflow.runName",
  parentRunId: "mlflow.parentRunId",
  logModelHistory: "mlflow.log-model.history",
  note: "mlflow.note.content",
} as const;

/** The user name MLflow records: `$USER`/`$LOGNAME`, else the OS account name. */
export function currentUser(): string {
  const env = process.env.USER ?? process.env.LOGNAME ?? process.env.USERNAME;
  if (env !== undefined && env !== "") return env;
  try {
    return userInfo().username;
  } catch {
    return "unknown";
  }
}

/** The running script (what MLflow records as the source name). */
export function sourceName(): string {
  // With `node -e` / `node -p` there is no script: argv[1] is the first user argument.
  const evaluating = process.execArgv.some((a) => /^(?:-e|-p|--eval|--print)(?:=|$)/.test(a));
  const script = process.argv[1];
  return evaluating || script === undefined || script === "" ? "<console>" : resolve(script);
}

function readRef(gitDir: string, ref: string): string | null {
  const loose = join(gitDir, ref);
  if (existsSync(loose)) return readFileSync(loose, "utf8").trim();
  const packed = join(gitDir, "packed-refs");
  if (!existsSync(packed)) return null;
  for (const line of readFileSync(packed, "utf8").split("\n")) {
    const [sha, name] = line.trim().split(" ");
    if (name === ref && sha !== undefined && /^[0-9a-f]{40}$/.test(sha)) return sha;
  }
  return null;
}

/**
 * The commit checked out in the git repository containing `path` (walking up to its
 * `.git`), or null outside a repository or before the first commit.
 */
export function gitCommitOf(path: string): string | null {
  let dir = resolve(path);
  if (existsSync(dir) && !statSync(dir).isDirectory()) dir = dirname(dir);
  for (;;) {
    const dotGit = join(dir, ".git");
    if (existsSync(dotGit)) {
      let gitDir = dotGit;
      if (statSync(dotGit).isFile()) {
        const m = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, "utf8"));
        if (m === null) return null;
        gitDir = resolve(dir, (m[1] as string).trim());
      }
      const head = readTextOrNull(join(gitDir, "HEAD"));
      if (head === null) return null;
      const ref = /^ref:\s*(.+)$/.exec(head.trim());
      // A linked worktree's git dir keeps HEAD; its branches live in the common dir it names.
      const common = readTextOrNull(join(gitDir, "commondir"));
      const refDir = common === null ? gitDir : resolve(gitDir, common.trim());
      const sha = ref === null ? head.trim() : readRef(gitDir, (ref[1] as string).trim()) ?? readRef(refDir, (ref[1] as string).trim());
      return sha !== null && /^[0-9a-f]{40}$/.test(sha) ? sha : null;
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function readTextOrNull(path: string): string | null {
  return existsSync(path) ? readFileSync(path, "utf8") : null;
}

/** The tags MLflow adds to a new run: user, source name/type (LOCAL) and git commit when known. */
export function defaultRunTags(): RunTag[] {
  const source = sourceName();
  const tags: RunTag[] = [
    { key: MLFLOW_TAGS.user, value: currentUser() },
    { key: MLFLOW_TAGS.sourceName, value: source },
    { key: MLFLOW_TAGS.sourceType, value: "LOCAL" },
  ];
  const commit = gitCommitOf(source === "<console>" ? process.cwd() : source);
  if (commit !== null) tags.push({ key: MLFLOW_TAGS.gitCommit, value: commit });
  return tags;
}
