// A stored message read back for the back office: its main headers and its plain-text part, decoded. Only
// what the outbox writes (nodemailer's output) needs to be understood; the HTML part is never rendered.

export interface ReadableMessage {
  headers: { from: string; to: string; subject: string; date: string; messageId: string };
  text: string;
}

function splitHead(raw: string): { head: string; body: string } {
  const match = /\r?\n\r?\n/.exec(raw);
  if (!match) return { head: raw, body: "" };
  return { head: raw.slice(0, match.index), body: raw.slice(match.index + match[0].length) };
}

function parseHeaders(head: string): Map<string, string> {
  const headers = new Map<string, string>();
  // Folded lines continue with whitespace (RFC 5322 s.2.2.3).
  for (const line of head.replace(/\r?\n[ \t]+/g, " ").split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return headers;
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  const soft = text.replace(/=\r?\n/g, "");
  for (let i = 0; i < soft.length; i++) {
    const char = soft[i]!;
    const hex = soft.slice(i + 1, i + 3);
    if (char === "=" && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(char, "utf8"));
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

function decodeBody(body: string, encoding: string | undefined): string {
  switch ((encoding ?? "7bit").toLowerCase()) {
    case "quoted-printable":
      return decodeQuotedPrintable(body);
    case "base64":
      return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
    default:
      return body;
  }
}

/** RFC 2047 encoded words (`=?UTF-8?Q?…?=`, `=?UTF-8?B?…?=`) in a header. */
export function decodeHeader(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, "$1")
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_match, _charset: string, kind: string, data: string) =>
      kind.toUpperCase() === "B"
        ? Buffer.from(data, "base64").toString("utf8")
        : decodeQuotedPrintable(data.replace(/_/g, " ")),
    );
}

function textPart(headers: Map<string, string>, body: string): string | null {
  const type = headers.get("content-type") ?? "text/plain";
  if (/^text\/plain/i.test(type)) return decodeBody(body, headers.get("content-transfer-encoding"));
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!/^multipart\//i.test(type) || !boundary) return null;
  for (const part of body.split(`--${boundary}`).slice(1)) {
    if (part.startsWith("--")) break;
    const { head, body: partBody } = splitHead(part.replace(/^\r?\n/, ""));
    const found = textPart(parseHeaders(head), partBody.replace(/\r?\n$/, ""));
    if (found !== null) return found;
  }
  return null;
}

export function readMessage(raw: Uint8Array): ReadableMessage {
  const { head, body } = splitHead(Buffer.from(raw).toString("utf8"));
  const headers = parseHeaders(head);
  const header = (name: string) => decodeHeader(headers.get(name) ?? "");
  return {
    headers: {
      from: header("from"),
      to: header("to"),
      subject: header("subject"),
      date: header("date"),
      messageId: header("message-id"),
    },
    text: (textPart(headers, body) ?? "").replace(/\r\n/g, "\n"),
  };
}
