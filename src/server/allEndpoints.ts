/**
 * Every REST endpoint the server answers: MLflow 2's tracking and registry API
 * (`handlers.ts`) and MLflow 3's logged models (`loggedModelHandlers.ts`).
 */
import type { Endpoint } from "./endpointContract";
import { ENDPOINTS } from "./handlers";
import { LOGGED_MODEL_ENDPOINTS } from "./loggedModelHandlers";

/** The endpoints looked up by the request handler. */
export const ALL_ENDPOINTS: readonly Endpoint[] = [...ENDPOINTS, ...LOGGED_MODEL_ENDPOINTS];
