import type { FastifyRequest } from "fastify";
import { DomainError } from "../../errors.ts";
import { userForApiToken } from "../../users/index.ts";

/** onRequest for /api/v1: the Bearer token's user, or 401. */
export async function authenticateBearer(request: FastifyRequest): Promise<void> {
  const header = request.headers.authorization ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  const user = match ? await userForApiToken(request.server.db, match[1]!, request.server.now()) : null;
  if (!user) {
    throw new DomainError(
      "unauthenticated",
      "Send a valid API token in the Authorization header: Authorization: Bearer <token>",
    );
  }
  request.user = user;
}
