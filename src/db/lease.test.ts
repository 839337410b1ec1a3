import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "./index.ts";
import { giveBackLease, takeLease } from "./lease.ts";
import { testBackends } from "./testing.ts";

describe.each(testBackends())("leases on $name", (backend) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await backend.open();
  });
  afterAll(async () => handle?.close());

  it("one holder at a time; the lease passes on when given back or when it runs out", async () => {
    const at = new Date("2026-11-26T09:00:00Z");
    const later = (ms: number) => new Date(at.getTime() + ms);
    expect(await takeLease(handle.db, "job", "a", at, 60_000)).toBe(true);
    expect(await takeLease(handle.db, "job", "b", later(1_000), 60_000)).toBe(false);
    expect(await takeLease(handle.db, "other-job", "b", later(1_000), 60_000)).toBe(true);
    // The holder may take it again (a longer run); nobody else until it runs out.
    expect(await takeLease(handle.db, "job", "a", later(2_000), 60_000)).toBe(true);
    expect(await takeLease(handle.db, "job", "b", later(61_000), 60_000)).toBe(false);
    expect(await takeLease(handle.db, "job", "b", later(62_000), 60_000)).toBe(true);
    // Giving back what one does not hold changes nothing.
    await giveBackLease(handle.db, "job", "a");
    expect(await takeLease(handle.db, "job", "c", later(63_000), 60_000)).toBe(false);
    await giveBackLease(handle.db, "job", "b");
    expect(await takeLease(handle.db, "job", "c", later(63_000), 60_000)).toBe(true);
  });

  it("two takers at the same moment: exactly one has it", async () => {
    const at = new Date("2026-11-26T10:00:00Z");
    const taken = await Promise.all(
      ["p1", "p2", "p3", "p4"].map((holder) => takeLease(handle.db, "race", holder, at, 60_000)),
    );
    expect(taken.filter(Boolean)).toHaveLength(1);
  });
});
