/**
 * READ checks on what a request links to, beyond the experiment it writes. Registering a
 * run or a logged model as a model version, or recording logged models as a run's inputs
 * or outputs, exposes them where the user may write (their ids, their artifacts as a
 * version's source, the model's source run) and tags the model: a user with
 * NO_PERMISSIONS on a model's (or run's) experiment must not reach it this way.
 */
import { HttpError } from "./httpUtil";
import type { HandlerContext } from "./endpointContract";

function requireReadable(ctx: HandlerContext, experimentId: string, what: string, purpose: string): void {
  if (!ctx.canRead(experimentId)) {
    throw new HttpError(403, "PERMISSION_DENIED", `Permission denied: READ on experiment ${experimentId} (of ${what}) is needed to ${purpose}.`);
  }
}

/** Refuses (403) unless the user may read the run's experiment; nothing to check without auth. */
export async function requireReadableRun(ctx: HandlerContext, runId: string, purpose: string): Promise<void> {
  if (!ctx.restricted) return;
  requireReadable(ctx, (await ctx.tracking.getRun(runId)).info.experimentId, `run ${runId}`, purpose);
}

/** Refuses (403) unless the user may read every logged model's experiment; an unknown model is a 404. */
export async function requireReadableModels(ctx: HandlerContext, modelIds: readonly string[], purpose: string): Promise<void> {
  if (!ctx.restricted) return;
  for (const modelId of new Set(modelIds)) {
    requireReadable(ctx, (await ctx.tracking.getLoggedModel(modelId)).experimentId, `logged model ${modelId}`, purpose);
  }
}
