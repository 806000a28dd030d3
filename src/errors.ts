/**
 * Errors shared across the library, named after their Python originals
 * (scikit-learn, Optuna, MLflow) so that users of those libraries recognise them.
 */

/** A value, shape or parameter is wrong. The message names the culprit. */
export class ValueError extends Error {
  override name = "ValueError";
}

/** `transform` or `predict` was called on an estimator that has not been fitted. */
export class NotFittedError extends Error {
  override name = "NotFittedError";
}

/**
 * Input data could not be read: the message names the file and, where known,
 * the row (1-based, counting the header as row 1) and the column.
 */
export class DataError extends Error {
  override name = "DataError";
  /** The file being read, when there is one. */
  readonly file?: string;
  /** 1-based line in the file (header is line 1), when known. */
  readonly row?: number;
  /** Column name, when known. */
  readonly column?: string;

  constructor(message: string, where: { file?: string; row?: number; column?: string } = {}) {
    const parts: string[] = [];
    if (where.file !== undefined) parts.push(where.file);
    if (where.row !== undefined) parts.push(`row ${where.row}`);
    if (where.column !== undefined) parts.push(`column "${where.column}"`);
    super(parts.length > 0 ? `${parts.join(", ")}: ${message}` : message);
    this.file = where.file;
    this.row = where.row;
    this.column = where.column;
  }
}
