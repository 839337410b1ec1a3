import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.ts";
import { databaseConfigFromEnv, defaultPoolSize } from "./connection.ts";

const url = "postgres://foidesk@db.example/foidesk";

describe("connections to a PostgreSQL server", () => {
  it("are twice the cores, shared between the app's processes, at least 2 each", () => {
    expect(defaultPoolSize(1, 2)).toBe(4);
    expect(defaultPoolSize(1, 8)).toBe(16);
    expect(defaultPoolSize(4, 8)).toBe(4);
    expect(defaultPoolSize(8, 2)).toBe(2);
  });

  it("default to that for one process, or for each of several", () => {
    const one = databaseConfigFromEnv({ DATABASE_URL: url });
    expect(one).toMatchObject({ kind: "postgres", poolSize: defaultPoolSize(1) });
    const four = databaseConfigFromEnv({ DATABASE_URL: url }, 4);
    expect(four).toMatchObject({ poolSize: defaultPoolSize(4) });
  });

  it("are what DATABASE_POOL_SIZE says, whatever the processes", () => {
    expect(databaseConfigFromEnv({ DATABASE_URL: url, DATABASE_POOL_SIZE: "25" }, 4)).toMatchObject({
      poolSize: 25,
    });
  });

  it("refuse a DATABASE_POOL_SIZE that is not a number of connections, naming it", () => {
    for (const bad of ["0", "-3", "ten", "1.5", "1001"]) {
      let error: unknown;
      try {
        databaseConfigFromEnv({ DATABASE_URL: url, DATABASE_POOL_SIZE: bad });
      } catch (caught) {
        error = caught;
      }
      expect(error, bad).toBeInstanceOf(DomainError);
      expect((error as DomainError).field).toBe("DATABASE_POOL_SIZE");
      expect((error as DomainError).message).toContain(`"${bad}"`);
    }
  });

  it("are not asked of the embedded database", () => {
    expect(databaseConfigFromEnv({ DATABASE_POOL_SIZE: "ten", FOIDESK_DATA_DIR: "/tmp/x" })).toEqual({
      kind: "pglite",
      dataDir: "/tmp/x",
    });
  });
});
