import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseGovUkFeed } from "../calendar/index.ts";
import type { DatabaseHandle } from "../db/index.ts";
import { testBackends } from "../db/testing.ts";
import { computeDeadline } from "../law/index.ts";
import { createRequest, workQueue } from "../requests/index.ts";
import { addTestUser } from "../users/testing.ts";
import { authorityDefaults, authorityProfile, authoritySettings, updateAuthoritySettings } from "./index.ts";

/** The queue as the system sees it: every request, subject access included. */
const everyone = { userId: null, label: "test", role: "system" as const };

const now = new Date("2030-06-01T09:00:00Z");
const actor = { userId: null, label: "Post room", role: "officer" as const };
const request = (receivedDate: string) => ({
  regime: "foia",
  channel: "post",
  receivedDate,
  body: "How many bins were collected?",
  requester: { name: "Bo", address: "1 High Street" },
});

describe.each(testBackends())("authority settings on $name", (backend) => {
  let handle: DatabaseHandle;
  beforeAll(async () => {
    handle = await backend.open();
  });
  afterAll(async () => handle?.close());

  it("reads every setting as its default until the authority is set up", async () => {
    expect(await authorityProfile(handle.db)).toEqual({ ...authorityDefaults, sarRoles: ["manager"] });
  });

  it("needs a name to set the authority up, then changes only what is given", async () => {
    await expect(updateAuthoritySettings(handle.db, { costLimitPounds: 600 }, now)).rejects.toMatchObject({
      field: "name",
    });
    await updateAuthoritySettings(handle.db, { name: "Borsetshire County Council", unitCode: "BC" }, now);
    const settings = await updateAuthoritySettings(
      handle.db,
      { costLimitPounds: "600", referencePattern: "{regime}/{yyyy}/{seq:4}" },
      now,
    );
    expect(settings).toMatchObject({
      name: "Borsetshire County Council",
      unitCode: "BC",
      costLimitPounds: 600,
    });
    const created = await createRequest(handle.db, request("2030-05-01"), actor, now);
    expect(created.reference).toBe("FOI/2030/0001");
  });

  it("refuses bad settings naming the field, and keeps what was stored", async () => {
    await expect(updateAuthoritySettings(handle.db, { costLimitPounds: 500 }, now)).rejects.toMatchObject({
      field: "costLimitPounds",
    });
    await expect(
      updateAuthoritySettings(handle.db, { referencePattern: "{unit}-{year}" }, now),
    ).rejects.toMatchObject({
      field: "referencePattern",
    });
    expect((await authoritySettings(handle.db)).costLimitPounds).toBe(600);
  });

  it("puts a new request nobody gave a team in the intake team, whatever channel it came by", async () => {
    await expect(
      updateAuthoritySettings(handle.db, { intakeTeam: "Information Rights" }, now),
    ).rejects.toMatchObject({
      code: "invalid",
      field: "intakeTeam",
      message: "There is no team called Information Rights: no member of staff is in a team yet",
    });
    const officer = await addTestUser(
      handle.db,
      { username: "ines", name: "Ines Intake", role: "officer", team: "Information Rights" },
      now,
    );
    const other = await addTestUser(
      handle.db,
      { username: "cass", name: "Cass Complaints", role: "officer", team: "Complaints" },
      now,
    );
    await expect(
      updateAuthoritySettings(handle.db, { intakeTeam: "Informaton Rights" }, now),
    ).rejects.toMatchObject({
      field: "intakeTeam",
      message: "There is no team called Informaton Rights. The teams are: Complaints, Information Rights",
    });
    expect((await authoritySettings(handle.db)).intakeTeam).toBeNull();

    const settings = await updateAuthoritySettings(handle.db, { intakeTeam: "information rights" }, now);
    expect(settings.intakeTeam).toBe("Information Rights");
    const fromWeb = await createRequest(
      handle.db,
      { ...request("2030-05-01"), channel: "web", requester: { name: "Bo", email: "bo@example.org" } },
      { userId: null, label: "Requester (web form)", role: "requester" },
      now,
    );
    const fromEmail = await createRequest(
      handle.db,
      { ...request("2030-05-01"), channel: "email" },
      actor,
      now,
    );
    const chosen = await createRequest(
      handle.db,
      { ...request("2030-05-01"), teamId: other.teamId },
      actor,
      now,
    );
    const teamQueue = await workQueue(handle.db, { teamId: officer.teamId! }, now, everyone);
    const references = teamQueue.rows.map((row) => row.reference);
    expect(references).toEqual(expect.arrayContaining([fromWeb.reference, fromEmail.reference]));
    expect(references).not.toContain(chosen.reference);

    // Cleared: new requests join no team again.
    expect((await updateAuthoritySettings(handle.db, { intakeTeam: "" }, now)).intakeTeam).toBeNull();
    const unplaced = await createRequest(handle.db, request("2030-05-01"), actor, now);
    const after = await workQueue(handle.db, { teamId: officer.teamId! }, now, everyone);
    expect(after.rows.map((row) => row.reference)).not.toContain(unplaced.reference);
  });

  it("moves due dates when a holiday proclaimed after release is imported", async () => {
    const before = await createRequest(handle.db, request("2030-05-01"), actor, now);
    expect(before.dueDate).toBe(computeDeadline({ regime: "foia", received: "2030-05-01" }).dueDate);
    const feed = parseGovUkFeed(
      JSON.stringify({
        "england-and-wales": {
          division: "england-and-wales",
          events: [{ title: "Proclaimed holiday", date: "2030-05-15", notes: "", bunting: true }],
        },
      }),
    );
    await updateAuthoritySettings(handle.db, {}, now, feed);
    const after = await createRequest(handle.db, request("2030-05-01"), actor, now);
    expect(after.dueDate).toBe(
      computeDeadline({ regime: "foia", received: "2030-05-01" }, { extraHolidays: feed }).dueDate,
    );
    expect(after.dueDate! > before.dueDate!).toBe(true);
  });
});
