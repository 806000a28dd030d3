/**
 * What the signed-in user may do, so write actions only appear where they may write.
 * With auth off the page shell names no user and everything is writable; with auth on,
 * the shell names the user and the UI asks MLflow's permission endpoints
 * (`experiments/permissions/get`, `registered-models/permissions/get`) about that user.
 * The server checks every write anyway: this only hides what would be refused.
 */
import { useEffect, useState } from "preact/hooks";
import { get } from "./api";

/** The signed-in user, or null when the server runs without auth. */
export function currentUser(): string | null {
  const meta = document.querySelector('meta[name="mlflow-user"]');
  const name = meta?.getAttribute("content") ?? "";
  return name === "" ? null : name;
}

const WRITE = new Set(["EDIT", "WRITE", "MANAGE"]);
const cache = new Map<string, Promise<boolean>>();

function ask(key: string, load: () => Promise<string>): Promise<boolean> {
  let p = cache.get(key);
  if (p === undefined) {
    p = load().then((perm) => WRITE.has(perm), () => false);
    cache.set(key, p);
  }
  return p;
}

/** Whether the user may write to an experiment (null: the registry). */
export function canWrite(experimentId: string | null): Promise<boolean> {
  const user = currentUser();
  if (user === null) return Promise.resolve(true);
  if (experimentId === null) {
    return ask("registry", async () => (await get<{ registered_model_permission: { permission: string } }>("registered-models/permissions/get", { name: "*", username: user })).registered_model_permission.permission);
  }
  return ask(`experiment:${experimentId}`, async () => (await get<{ experiment_permission: { permission: string } }>("experiments/permissions/get", { experiment_id: experimentId, username: user })).experiment_permission.permission);
}

/** {@link canWrite} as a hook: false until known. */
export function useCanWrite(experimentId: string | null | undefined): boolean {
  const [ok, setOk] = useState(currentUser() === null);
  useEffect(() => {
    if (experimentId === undefined) return;
    let live = true;
    void canWrite(experimentId).then((v) => live && setOk(v));
    return () => {
      live = false;
    };
  }, [experimentId]);
  return ok;
}
