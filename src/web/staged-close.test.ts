import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testBackends } from "../db/testing.ts";
import { addStaff, Browser, openTestApp, type TestApp } from "./testing.ts";

// A refusal sent before the request's body was read whole (a body over the limit: 413) closes the connection,
// staged (RFC 9112 s.9.6): the server sends its answer and its FIN, reads and drops what the client still sends,
// and closes when the client does. Found timing the suite: an upload refused part-way was left unread, so the
// connection stalled until the keep-alive timeout (73 s) and held up the server's shutdown; a connection closed
// at once instead reset a client still sending before it could read the 413 (write EPIPE, once in a clean-clone
// run).

const [pglite] = testBackends();
// Far ahead of the wall clock, which the test browser's cookie jar reads (src/web/testing.ts).
const now = new Date("2030-11-18T10:00:00Z");
const MAX_UPLOAD = 256 * 1024;

interface Seen {
  answer: string;
  answeredAt: number;
  finAt: number;
  closedAt: number;
  error: Error | null;
  sent: number;
}

/**
 * A client sending a body far over the limit: the head, then a 64 kB chunk every 2 ms, until it has read the
 * answer (a browser) or for 2 s whatever comes back, the server's FIN included (a client that does not look);
 * then it ends its side.
 */
async function sendTooMuch(port: number, head: string, chunked: boolean, stopWhenAnswered: boolean) {
  const socket: Socket = connect({ port, host: "127.0.0.1", allowHalfOpen: !stopWhenAnswered });
  await once(socket, "connect");
  socket.write(head);
  const seen: Seen = { answer: "", answeredAt: 0, finAt: 0, closedAt: 0, error: null, sent: 0 };
  const data = Buffer.alloc(64 * 1024, 0x41);
  const chunk = chunked
    ? Buffer.concat([Buffer.from(`${data.length.toString(16)}\r\n`), data, Buffer.from("\r\n")])
    : data;
  const started = performance.now();
  const pump = setInterval(() => {
    if ((stopWhenAnswered && seen.answeredAt) || performance.now() - started > 2_000) {
      clearInterval(pump);
      if (!socket.destroyed) socket.end();
    } else if (socket.writable) {
      socket.write(chunk);
      seen.sent += data.length;
    }
  }, 2);
  socket.on("data", (bytes) => {
    seen.answer += bytes.toString("latin1");
    if (!seen.answeredAt && seen.answer.includes("</html>")) seen.answeredAt = performance.now();
  });
  socket.on("end", () => {
    seen.finAt = performance.now();
  });
  socket.on("error", (error) => {
    seen.error = error;
  });
  await once(socket, "close");
  clearInterval(pump);
  seen.closedAt = performance.now();
  return seen;
}

describe("a refusal before the body is read closes the connection, staged", () => {
  let t: TestApp;
  let port: number;
  let cookie: string;
  let csrf: string;

  beforeAll(async () => {
    t = await openTestApp(pglite!, { now: () => now, config: { maxUploadBytes: MAX_UPLOAD } });
    await addStaff(t.handle, { username: "olivia", name: "Olivia Officer", role: "officer" });
    const officer = new Browser(t.app);
    expect((await officer.signIn("olivia")).statusCode).toBe(303);
    csrf = await officer.csrfToken();
    cookie = officer.cookieHeader().cookie ?? "";
    await t.app.listen({ port: 0, host: "127.0.0.1" });
    port = (t.app.server.address() as AddressInfo).port;
  }, 60_000);
  afterAll(async () => t?.close());

  const boundary = "----foidesk-too-much";
  const refusals = {
    // Refused on its Content-Length, before a byte of the body is read (the form's body limit).
    "a form declared too large": {
      chunked: false,
      head: () =>
        `POST /feedback HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${200 * 1024 * 1024}\r\n\r\n`,
    },
    // Refused part-way: a file found over the limit as it arrives (chunked, so no length to check first).
    "an upload found too large as it arrives": {
      chunked: true,
      head: () => {
        const opening = `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${csrf}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.pdf"\r\nContent-Type: application/pdf\r\n\r\n`;
        return `POST /staff/requests/1/documents HTTP/1.1\r\nHost: localhost\r\nCookie: ${cookie}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nTransfer-Encoding: chunked\r\n\r\n${Buffer.byteLength(opening).toString(16)}\r\n${opening}\r\n`;
      },
    },
  };

  describe.each(Object.entries(refusals))("%s", (_kind, { head, chunked }) => {
    it("is answered 413 with Connection: close, and closed as soon as the client stops sending", async () => {
      const seen = await sendTooMuch(port, head(), chunked, true);
      expect(seen.error).toBeNull();
      expect(seen.answer).toMatch(/^HTTP\/1\.1 413 /);
      expect(seen.answer).toMatch(/\r\nconnection: close\r\n/i);
      expect(seen.answer).toContain("govuk-template");
      // The server's FIN comes with its answer, not after a timeout.
      expect(seen.finAt).toBeGreaterThan(0);
      expect(seen.finAt - seen.answeredAt).toBeLessThan(1_000);
      expect(seen.closedAt - seen.answeredAt).toBeLessThan(2_000);
    });

    it("keeps reading what a client still sends after the answer, so that client is not reset", async () => {
      const seen = await sendTooMuch(port, head(), chunked, false);
      expect(seen.error).toBeNull();
      expect(seen.answer).toMatch(/^HTTP\/1\.1 413 /);
      // It went on sending for about 2 s after the answer, all of it read and dropped.
      expect(seen.closedAt - seen.answeredAt).toBeGreaterThan(1_000);
      expect(seen.sent).toBeGreaterThan(100 * 64 * 1024);
    });
  });

  it("keeps the connection of a refusal whose body was read whole, for the client's next request", async () => {
    const socket = connect({ port, host: "127.0.0.1" });
    await once(socket, "connect");
    let received = "";
    socket.on("data", (bytes) => {
      received += bytes.toString("latin1");
    });
    const until = async (done: () => boolean) => {
      while (!done()) await once(socket, "data");
    };
    const form = "comments=";
    socket.write(
      `POST /feedback HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${form.length}\r\n\r\n${form}`,
    );
    await until(() => received.includes("</html>"));
    expect(received).toMatch(/^HTTP\/1\.1 4\d\d /);
    expect(received).not.toMatch(/\r\nconnection: close\r\n/i);
    received = "";
    socket.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
    await until(() => received.includes("\r\n\r\n"));
    expect(received).toMatch(/^HTTP\/1\.1 200 /);
    socket.destroy();
  });

  it("does not hold up the server's shutdown", async () => {
    const seen = await sendTooMuch(
      port,
      refusals["an upload found too large as it arrives"].head(),
      true,
      true,
    );
    expect(seen.answer).toMatch(/^HTTP\/1\.1 413 /);
    const started = performance.now();
    await t.app.close();
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
