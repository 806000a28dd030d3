/**
 * Storage from an Optuna-style URL: undefined -> in memory, "sqlite:///relative.db" or
 * "sqlite:////absolute.db" -> SQLite RDB storage, "postgresql://user@host:port/db" -> PostgreSQL.
 */
import { ValueError } from "../../errors";
import { Storage } from "./base";
import { InMemoryStorage } from "./inMemory";
import { RDBStorage, RDBStorageOptions } from "./rdb/storage";

/** Opens the storage an URL names (a Storage passes through); `options` apply to an RDB storage. */
export async function getStorage(storage: Storage | string | undefined, options: RDBStorageOptions = {}): Promise<Storage> {
  if (storage === undefined) return new InMemoryStorage();
  if (typeof storage !== "string") return storage;
  if (storage.startsWith("sqlite:") || /^postgres(ql)?(\+\w+)?:\/\//.test(storage)) return RDBStorage.open(storage, options);
  throw new ValueError(`storage: unsupported URL "${storage}" (expected sqlite:///path.db or postgresql://user@host:port/db)`);
}
