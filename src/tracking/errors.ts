/**
 * MLflow's error type: every failure carries one of MLflow's error codes, so that a
 * REST server can answer with the same code and HTTP status as MLflow does.
 */

/** The MLflow error codes this library raises (names as in MLflow's `databricks_pb2`). */
export type MlflowErrorCode =
  | "INVALID_PARAMETER_VALUE"
  | "RESOURCE_DOES_NOT_EXIST"
  | "RESOURCE_ALREADY_EXISTS"
  | "INVALID_STATE"
  | "BAD_REQUEST"
  | "INTERNAL_ERROR";

const HTTP_STATUS: Record<MlflowErrorCode, number> = {
  INVALID_PARAMETER_VALUE: 400,
  RESOURCE_DOES_NOT_EXIST: 404,
  RESOURCE_ALREADY_EXISTS: 400,
  INVALID_STATE: 400,
  BAD_REQUEST: 400,
  INTERNAL_ERROR: 500,
};

/** An MLflow error (`MlflowException` in Python): the message says what was wrong. */
export class MlflowError extends Error {
  override name = "MlflowError";
  /** MLflow's error code, e.g. `RESOURCE_DOES_NOT_EXIST`. */
  readonly errorCode: MlflowErrorCode;

  constructor(message: string, errorCode: MlflowErrorCode = "INTERNAL_ERROR") {
    super(message);
    this.errorCode = errorCode;
  }

  /** The HTTP status MLflow's server answers with for this error code. */
  get httpStatus(): number {
    return HTTP_STATUS[this.errorCode];
  }

  /** Shorthand for an `INVALID_PARAMETER_VALUE` error. */
  static invalidParameterValue(message: string): MlflowError {
    return new MlflowError(message, "INVALID_PARAMETER_VALUE");
  }

  /** Shorthand for a `RESOURCE_DOES_NOT_EXIST` error. */
  static notFound(message: string): MlflowError {
    return new MlflowError(message, "RESOURCE_DOES_NOT_EXIST");
  }

  /** Shorthand for a `RESOURCE_ALREADY_EXISTS` error. */
  static alreadyExists(message: string): MlflowError {
    return new MlflowError(message, "RESOURCE_ALREADY_EXISTS");
  }
}
