/**
 * Small node:http helpers for the server: bounded body reading, JSON and error replies
 * in MLflow's shape (`{"error_code", "message"}`).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { MlflowError } from "../tracking/errors";

/** An error with an HTTP status and MLflow error code of its own (auth, limits, routing). */
export class HttpError extends Error {
  override name = "HttpError";
  constructor(readonly status: number, readonly errorCode: string, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

/** Reads the whole body, failing with 413 once it passes `limitBytes`. */
export function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer> {
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (Number.isFinite(declared) && declared > limitBytes) {
    req.resume();
    return Promise.reject(tooLarge(limitBytes));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limitBytes) {
        failed = true;
        reject(tooLarge(limitBytes));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on("error", (err) => {
      if (!failed) reject(err);
    });
  });
}

function tooLarge(limitBytes: number): HttpError {
  return new HttpError(413, "REQUEST_LIMIT_EXCEEDED", `Request body exceeds the server's limit of ${limitBytes} bytes.`);
}

/** Sends a JSON reply. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Sends a plain text reply. */
export function sendText(res: ServerResponse, status: number, text: string, contentType = "text/plain; charset=utf-8"): void {
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}

/** Replies with MLflow's error body for any thrown value (unknown errors are 500 INTERNAL_ERROR). */
export function sendError(res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (err instanceof HttpError) {
    sendJson(res, err.status, { error_code: err.errorCode, message: err.message }, err.headers);
  } else if (err instanceof MlflowError) {
    sendJson(res, err.httpStatus, { error_code: err.errorCode, message: err.message });
  } else {
    sendJson(res, 500, { error_code: "INTERNAL_ERROR", message: err instanceof Error ? err.message : String(err) });
  }
}
