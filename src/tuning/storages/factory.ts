/**
 * Storage from an Optuna-style URL: undefined -> in memory, "sqlite:///relative.db" or
 * "sqlite:////absolute.db" -> SQLite RDB storage, "postgresql://user@host:port/db" -> PostgreSQL.
 */
import { ValueError } from "../../errors";
import { Storage } from "./base";
import { InMemoryStorage } from "./inMemory";
import { RDBStorage } from "./rdb/storage";

/** Opens the storage an URL names (a Storage passes through). */
export async function getStorage(storage: Storage | string | undefined): Promise<Storage> {
  if (storage === undefined) return new InMemoryStorage();
  if (typeof storage !== "string") return storage;
  if (storage.startsWith("sqlite:") || /^postgres(ql)?(\+\w+)?:\/\//.test(storage)) return RDBStorage.open(storage);
  throw new ValueError(`storage: unsupported URL "${storage}" (expected sqlite:///path.db or postgresql://user@host:port/db)`);
}
