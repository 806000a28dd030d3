/**
 * A loopback HTTP proxy in front of s3rver for the tests: it records each request line
 * (so a test can see multipart uploads and paginated listings on the wire) and answers
 * S3's own 403 AccessDenied for keys under a denied prefix, as a bucket policy would;
 * s3rver itself has no policies.
 */
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A running front. */
export interface S3Front {
  readonly endpoint: string;
  /** `METHOD path?query` of every request so far. */
  readonly requests: string[];
  close(): Promise<void>;
}

const ACCESS_DENIED = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied</Message><RequestId>front</RequestId></Error>`;

/**
 * Starts a front for `target` (s3rver's endpoint) that denies every key starting with
 * `deniedKeyPrefix` in any bucket; `onRequest` sees each request line as it arrives.
 */
export function startS3Front(target: string, deniedKeyPrefix: string, onRequest: (line: string) => void = () => undefined): Promise<S3Front> {
  const upstream = new URL(target);
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    onRequest(`${req.method} ${req.url}`);
    const path = decodeURIComponent((req.url ?? "/").split("?")[0] as string);
    const key = path.split("/").slice(2).join("/"); // path style: /bucket/key
    if (key.startsWith(deniedKeyPrefix)) {
      req.resume();
      res.writeHead(403, { "Content-Type": "application/xml", "Content-Length": Buffer.byteLength(ACCESS_DENIED) });
      res.end(ACCESS_DENIED);
      return;
    }
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on("error", () => res.destroy());
    req.pipe(forward);
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        endpoint: `http://127.0.0.1:${port}`,
        requests,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
