import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import type { FastifyReply } from "fastify";

/**
 * How long a connection closed after a refusal goes on reading what the client still sends: until the client
 * closes its side, this long with nothing arriving, or LINGER_MAX_MS in all (nginx's lingering_timeout and
 * lingering_time, the same figures).
 */
export const LINGER_IDLE_MS = 5_000;
export const LINGER_MAX_MS = 30_000;

/**
 * Node's HTTP server ends a connection whose answer said `close` with destroySoon (end, then destroy as soon as
 * our side is written): this one ends, and destroys when the client has ended too (the socket does that itself
 * once both sides are done) or the lingering is over.
 */
function lingeringClose(this: Socket): void {
  if (this.writable) this.end();
  const close = () => this.destroy();
  const cap = setTimeout(close, LINGER_MAX_MS);
  this.setTimeout(LINGER_IDLE_MS);
  this.once("timeout", close);
  this.once("close", () => clearTimeout(cap));
}

/**
 * A refusal sent before the request's body was read whole (a body or an upload over the limit, 413; a form
 * refused on its headers) closes the connection: the rest of the body is not worth reading, and left unread it
 * stalls the connection until the keep-alive timeout. The close is staged (RFC 9112 s.9.6): the answer, then our
 * FIN, and what the client still sends is read and dropped until it closes its side (or LINGER_IDLE_MS /
 * LINGER_MAX_MS), because a socket closed with data still arriving is reset, and a reset can reach the client
 * before it has read the answer.
 */
export function closeAfterAnswer(request: IncomingMessage, reply: FastifyReply): void {
  if (request.complete) return;
  reply.header("connection", "close");
  // A body parser that stopped part-way left the request piped to it and paused: read the rest and drop it.
  request.unpipe();
  request.resume();
  request.socket.destroySoon = lingeringClose;
}
