/**
 * The s3:// artifact repository against a real S3-protocol server on the loopback
 * (s3rver in its own process), seen through a recording front that also denies one key
 * prefix as a bucket policy would: uploads (one PUT, multipart above the part size,
 * streamed), paginated listings, file and folder downloads, deletes, and each failure a
 * user can meet, with nothing half-written left listed.
 */
import { createHash, randomBytes } from "node:crypto";
import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { S3ArtifactRepository } from "../../src/tracking/artifacts/s3ArtifactRepository";
import { getArtifactRepository } from "../../src/tracking/artifacts/artifactRepository";
import { S3ArtifactError } from "../../src/tracking/artifacts/s3Errors";
import { S3ObjectStore } from "../../src/tracking/artifacts/s3ObjectStore";
import { s3SettingsFromEnv, type S3Settings } from "../../src/tracking/artifacts/s3Settings";
import { freePort, ROOT, Stack, type S3Service } from "../../scripts/remote-stack.mjs";
import { startS3Front, type S3Front } from "./s3Front";
import { sha, treeSums, writeTree } from "./files";

const MiB = 1024 * 1024;
const execFileAsync = promisify(execFile);

let stack: Stack;
let s3: S3Service;
let front: S3Front;
let settings: S3Settings;
let work: string;
let firstPartAt: number | null = null;
let produced = 0;

beforeAll(async () => {
  stack = new Stack({ log: null });
  s3 = await stack.s3(["artifacts", "other"]);
  front = await startS3Front(s3.endpoint, "private/", (line) => {
    if (firstPartAt === null && /partNumber=1&/.test(line)) firstPartAt = produced;
  });
  Object.assign(process.env, s3.env, { MLFLOW_S3_ENDPOINT_URL: front.endpoint });
  settings = s3SettingsFromEnv();
  work = mkdtempSync(join(tmpdir(), "s3-repo-test-"));
});

afterAll(async () => {
  await front?.close();
  await stack?.stop();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe("S3 artifact repository on s3rver", () => {
  test("s3:// URIs open the S3 repository (SDK loaded on first use), with MLflow's keys", async () => {
    const repo = getArtifactRepository("s3://artifacts/exp/1/run/artifacts");
    expect(repo).toBeInstanceOf(S3ArtifactRepository);
    const file = join(work, "hello.txt");
    writeFileSync(file, "hello s3\n");
    await repo.logArtifact(file, "notes");
    await repo.logArtifact(file);
    const store = new S3ObjectStore("artifacts", settings);
    const keys = (await store.list("exp", true)).files.map((f) => f.key).sort();
    expect(keys).toEqual(["exp/1/run/artifacts/hello.txt", "exp/1/run/artifacts/notes/hello.txt"]);
    expect(await repo.listArtifacts()).toEqual([
      { path: "hello.txt", isDir: false, fileSize: 9 },
      { path: "notes", isDir: true, fileSize: null },
    ]);
    expect(await repo.listArtifacts("notes")).toEqual([{ path: "notes/hello.txt", isDir: false, fileSize: 9 }]);
    const dst = await repo.downloadArtifacts("notes/hello.txt", join(work, "dl1"));
    expect(readFileSync(dst, "utf8")).toBe("hello s3\n");
  });

  test("a file above the part size goes up in parts, streamed (never read whole before the first part is sent)", async () => {
    const total = 20 * MiB;
    const chunk = randomBytes(MiB);
    const hash = createHash("sha256");
    const body = new Readable({
      highWaterMark: MiB,
      read() {
        if (produced >= total) return void this.push(null);
        produced += chunk.length;
        hash.update(chunk);
        this.push(chunk);
      },
    });
    const store = new S3ObjectStore("artifacts", settings, { partSize: 5 * MiB, queueSize: 1 });
    const before = front.requests.length;
    await store.upload("streamed/big.bin", body);
    const wire = front.requests.slice(before);
    expect(wire.some((l) => /^POST .*big\.bin\?uploads/.test(l))).toBe(true);
    expect(wire.filter((l) => /^PUT .*partNumber=\d+/.test(l))).toHaveLength(4);
    expect(firstPartAt).not.toBeNull();
    expect(firstPartAt as number).toBeLessThanOrEqual(12 * MiB); // one part in flight, one being read: not 20 MiB
    const { stream, size } = await store.download("streamed/big.bin");
    const back = createHash("sha256");
    for await (const c of stream) back.update(c as Buffer);
    expect(size).toBe(total);
    expect(back.digest("hex")).toBe(hash.digest("hex"));
  });

  test("folders: logArtifacts, paginated listings, whole and partial downloads, and deletes that spare look-alike prefixes", async () => {
    const src = join(work, "tree");
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 5; i++) files[`f${i}.txt`] = randomBytes(100 + i);
    files["sub/a.bin"] = randomBytes(6 * MiB); // multipart with the 5 MiB part size below
    files["sub/deeper/b.txt"] = Buffer.from("b");
    files["sub2/c.txt"] = Buffer.from("c");
    writeTree(src, files);
    const repo = new S3ArtifactRepository("s3://artifacts/runs/r2/artifacts", { settings, partSize: 5 * MiB, pageSize: 2 });
    await repo.logArtifacts(src, "model");
    const before = front.requests.length;
    const listed = await repo.listArtifacts("model");
    const pages = front.requests.slice(before).filter((l) => l.includes("list-type=2"));
    expect(pages.length).toBeGreaterThan(1); // 7 entries, at most 2 per page
    expect(pages.slice(1).every((l) => l.includes("continuation-token="))).toBe(true);
    expect(listed.map((f) => f.path)).toEqual(["model/f0.txt", "model/f1.txt", "model/f2.txt", "model/f3.txt", "model/f4.txt", "model/sub", "model/sub2"]);

    const all = await repo.downloadArtifacts("", join(work, "dl-all"));
    expect(treeSums(join(all, "model"))).toEqual(Object.fromEntries(Object.entries(files).map(([k, v]) => [k, sha(v)])));
    const sub = await repo.downloadArtifacts("model/sub", join(work, "dl-sub"));
    expect(sub).toBe(join(work, "dl-sub", "model", "sub"));
    expect(treeSums(sub)).toEqual({ "a.bin": sha(files["sub/a.bin"] as Buffer), "deeper/b.txt": sha(Buffer.from("b")) });
    await expect(repo.downloadArtifacts("model/none", join(work, "dl-none"))).rejects.toThrow(/Artifact 'model\/none' does not exist under s3:\/\/artifacts\/runs\/r2\/artifacts/);

    await repo.deleteArtifacts("model/sub");
    expect((await repo.listArtifacts("model")).map((f) => f.path)).toContain("model/sub2");
    expect((await repo.listArtifacts("model")).map((f) => f.path)).not.toContain("model/sub");
    await repo.deleteArtifacts();
    expect(await repo.listArtifacts()).toEqual([]);
    await expect(new S3ArtifactRepository("s3://artifacts", { settings }).deleteArtifacts()).rejects.toThrow(/Refusing to delete every object of bucket 'artifacts'/);
  });

  test("a source that breaks off mid-upload leaves nothing listed, with one PUT or with parts", async () => {
    const store = new S3ObjectStore("artifacts", settings, { partSize: 5 * MiB });
    for (const [name, size] of [["small.bin", MiB], ["large.bin", 12 * MiB]] as const) {
      let sent = 0;
      const body = new Readable({
        read() {
          if (sent >= size - MiB / 2) return void this.destroy(new Error("client hung up"));
          sent += 256 * 1024;
          this.push(randomBytes(256 * 1024));
        },
      });
      const err = await store.upload(`broken/${name}`, body, size).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(S3ArtifactError);
      expect((err as S3ArtifactError).kind).toBe("interrupted");
      expect((err as Error).message).toMatch(new RegExp(`s3://artifacts/broken/${name.replace(".", "\\.")} abandoned: its source failed \\(client hung up\\)`));
    }
    expect((await store.list("broken", true)).files).toEqual([]);
  });
});

const upload = async (uri: string, s: S3Settings = settings): Promise<Error> => {
  const file = join(work, "payload.txt");
  writeFileSync(file, "payload");
  const err = await new S3ArtifactRepository(uri, { settings: s }).logArtifact(file, "dir").then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(S3ArtifactError);
  return err as Error;
};

describe("S3 failures name the bucket and key and what to check", () => {
  test("missing bucket", async () => {
    const err = await upload("s3://no-such-bucket/exp/run");
    expect((err as S3ArtifactError).kind).toBe("no-bucket");
    expect(err.message).toContain("S3 bucket 'no-such-bucket' does not exist");
    expect(err.message).toContain("uploading s3://no-such-bucket/exp/run/dir/payload.txt");
    expect(err.message).toContain("No object was completed under that key.");
  });

  test("a key denied by policy: AccessDenied names the key; nothing appears", async () => {
    const err = await upload("s3://artifacts/private/run");
    expect((err as S3ArtifactError).kind).toBe("denied");
    expect(err.message).toContain("Access denied uploading s3://artifacts/private/run/dir/payload.txt");
    expect(err.message).toContain("bucket 'artifacts', key 'private/run/dir/payload.txt'");
    const keys = (await new S3ObjectStore("artifacts", { ...settings, endpoint: s3.endpoint }).list("private", true)).files;
    expect(keys).toEqual([]);
  });

  test("wrong credentials", async () => {
    const saved = process.env.AWS_ACCESS_KEY_ID;
    process.env.AWS_ACCESS_KEY_ID = "AKIAWRONGWRONGWRONG0";
    try {
      const err = await upload("s3://artifacts/creds/run");
      expect((err as S3ArtifactError).kind).toBe("credentials");
      expect(err.message).toContain(`S3 at ${front.endpoint} rejected the AWS credentials while uploading s3://artifacts/creds/run/dir/payload.txt (InvalidAccessKeyId`);
      expect(err.message).toContain("AWS_ACCESS_KEY_ID");
    } finally {
      process.env.AWS_ACCESS_KEY_ID = saved;
    }
  });

  test("no credentials anywhere (environment, files, instance metadata off)", () => {
    // A child process, so the SDK's provider chain starts from a clean environment.
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: work, AWS_EC2_METADATA_DISABLED: "true", AWS_CONFIG_FILE: join(work, "none"), AWS_SHARED_CREDENTIALS_FILE: join(work, "none"), MLFLOW_S3_ENDPOINT_URL: front.endpoint, AWS_REGION: "us-east-1" };
    const script = `new (require("./dist").S3ObjectStore)("artifacts").list("x").then(() => console.log("listed"), (e) => console.log(e.message))`;
    const r = spawnSync(process.execPath, ["-e", script], { env, encoding: "utf8", cwd: ROOT });
    expect(r.stdout).toContain("No AWS credentials found for listing s3://artifacts/x/");
    expect(r.stdout).toContain("AWS_PROFILE");
  });

  test("no network: the endpoint refuses connections", async () => {
    const port = await freePort();
    const err = await upload("s3://artifacts/offline/run", { ...settings, endpoint: `http://127.0.0.1:${port}` });
    expect((err as S3ArtifactError).kind).toBe("network");
    expect(err.message).toContain(`Cannot reach S3 at http://127.0.0.1:${port} while uploading s3://artifacts/offline/run/dir/payload.txt (ECONNREFUSED)`);
    expect(err.message).toContain("MLFLOW_S3_ENDPOINT_URL");
  });

  test("a download into a folder that cannot be made (under /proc) fails at once, naming the folder", async () => {
    const repo = getArtifactRepository("s3://artifacts/proc/run/artifacts");
    const file = join(work, "proc.txt");
    writeFileSync(file, "proc\n");
    await repo.logArtifact(file, "sub");
    // Node's recursive mkdir spins forever there: run in a child process with a time limit.
    const nowhere = `/proc/mlflow-demo-ts-${process.pid}`;
    const script = `(async () => {
      const repo = require("./dist").getArtifactRepository("s3://artifacts/proc/run/artifacts");
      for (const [path, dst] of [["sub", "folder"], ["sub/proc.txt", "file"]]) console.log(await repo.downloadArtifacts(path, ${JSON.stringify(nowhere)} + "/" + dst).then(() => "downloaded", (e) => e.message));
    })()`;
    const r = await execFileAsync(process.execPath, ["-e", script], {
      cwd: ROOT,
      env: { ...process.env, MLFLOW_S3_ENDPOINT_URL: s3.endpoint },
      timeout: 60_000,
      killSignal: "SIGKILL",
    });
    expect(r.stdout.trim().split("\n")).toEqual([
      // A folder: the repository makes the target; a file: the object store makes its folder.
      `cannot create the folder ${nowhere}/folder/sub: mkdir ${nowhere} failed with ENOENT although its parent exists (a virtual file system such as /proc cannot hold it)`,
      `cannot create the folder ${nowhere}/file/sub: mkdir ${nowhere} failed with ENOENT although its parent exists (a virtual file system such as /proc cannot hold it)`,
    ]);
  }, 70_000);

  test("a missing key reads as not found", async () => {
    const err = await new S3ObjectStore("artifacts", settings).download("nothing/here").then(() => null, (e: unknown) => e);
    expect((err as S3ArtifactError).kind).toBe("no-key");
    expect((err as Error).message).toContain("No S3 object s3://artifacts/nothing/here");
  });
});

describe("settings from the environment, as MLflow reads them", () => {
  test("endpoint, TLS flag, region and addressing style", () => {
    expect(s3SettingsFromEnv({})).toEqual({ endpoint: null, ignoreTls: false, region: null, forcePathStyle: false, uploadExtraArgs: {} });
    expect(s3SettingsFromEnv({ MLFLOW_S3_ENDPOINT_URL: "http://minio:9000", MLFLOW_S3_IGNORE_TLS: "TRUE", AWS_DEFAULT_REGION: "eu-west-1" })).toEqual({
      endpoint: "http://minio:9000",
      ignoreTls: true,
      region: "eu-west-1",
      forcePathStyle: true,
      uploadExtraArgs: {},
    });
    expect(s3SettingsFromEnv({ AWS_REGION: "eu-central-1", AWS_DEFAULT_REGION: "eu-west-1", MLFLOW_S3_IGNORE_TLS: "0" }).region).toBe("eu-central-1");
    expect(s3SettingsFromEnv({ MLFLOW_S3_ENDPOINT_URL: "http://minio:9000", MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE: "virtual" }).forcePathStyle).toBe(false);
    expect(() => s3SettingsFromEnv({ MLFLOW_S3_IGNORE_TLS: "yes" })).toThrow(/MLFLOW_S3_IGNORE_TLS value must be one of \['true', 'false', '1', '0'\]/);
    expect(() => s3SettingsFromEnv({ MLFLOW_S3_ENDPOINT_URL: "minio:9000" })).toThrow(/MLFLOW_S3_ENDPOINT_URL must be an http:\/\/ or https:\/\/ URL/);
    expect(() => new S3ArtifactRepository("s3:///prefix")).toThrow(/Invalid S3 URI 's3:\/\/\/prefix'/);
  });

  test("MLFLOW_S3_IGNORE_TLS: a self-signed endpoint is refused with a hint, then accepted", async () => {
    const key = join(work, "tls.key");
    const cert = join(work, "tls.crt");
    const made = spawnSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=127.0.0.1"], { encoding: "utf8" });
    expect(made.status, made.stderr).toBe(0);
    const tlsStack = new Stack({ log: null });
    try {
      const secure = await tlsStack.s3(["secure"], { tls: { key, cert } });
      const strict = { ...settings, endpoint: secure.endpoint };
      const err = await upload("s3://secure/run", strict);
      expect((err as S3ArtifactError).kind).toBe("tls");
      expect(err.message).toContain("set MLFLOW_S3_IGNORE_TLS=true");
      const relaxed = new S3ArtifactRepository("s3://secure/run", { settings: { ...strict, ignoreTls: true } });
      const file = join(work, "tls.txt");
      writeFileSync(file, "over https");
      await relaxed.logArtifact(file);
      expect(await relaxed.listArtifacts()).toEqual([{ path: "tls.txt", isDir: false, fileSize: 10 }]);
    } finally {
      await tlsStack.stop();
    }
  });

  test("without the SDK installed (either package), the error names the missing package and the install line of both", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { peerDependencies: Record<string, string> };
    const installLine = `npm install @aws-sdk/client-s3@${pkg.peerDependencies["@aws-sdk/client-s3"]} @aws-sdk/lib-storage@${pkg.peerDependencies["@aws-sdk/lib-storage"]}`;
    expect(existsSync(join(ROOT, "dist", "index.js"))).toBe(true);
    for (const hidden of ["@aws-sdk/", "@aws-sdk/lib-storage"]) {
      // Hide the package(s) from module resolution in a child process, as on an install without them.
      const hide = join(work, "hide-aws-sdk.cjs");
      writeFileSync(
        hide,
        `const M = require("module"); const orig = M._resolveFilename; M._resolveFilename = function (req, ...rest) { if (req.startsWith(${JSON.stringify(hidden)})) { const e = new Error("Cannot find module '" + req + "'"); e.code = "MODULE_NOT_FOUND"; throw e; } return orig.call(this, req, ...rest); };`,
      );
      const script = `const lib = require("./dist"); lib.getArtifactRepository("s3://artifacts/x").listArtifacts().then(() => console.log("listed"), (e) => console.log(JSON.stringify({ missing: e instanceof lib.MissingDependencyError, packageName: e.packageName, installCommand: e.installCommand, message: e.message })))`;
      const r = spawnSync(process.execPath, ["-r", hide, "-e", script], { cwd: ROOT, encoding: "utf8", env: { ...process.env } });
      const packageName = hidden === "@aws-sdk/" ? "@aws-sdk/client-s3" : "@aws-sdk/lib-storage";
      expect(JSON.parse(r.stdout)).toEqual({
        missing: true,
        packageName,
        installCommand: installLine,
        message: `An s3:// artifact location (the AWS SDK for JavaScript v3) needs the npm package "${packageName}", which is not installed; add it with \`${installLine}\``,
      });
    }
  });
});
