import { z } from "zod";
import { currentUser } from "../../auth.ts";
import type { RoutePlugin } from "../../types.ts";

export const staffUserSchema = z
  .object({
    id: z.number().int(),
    username: z.string(),
    name: z.string(),
    email: z.string(),
    role: z.enum(["officer", "approver", "manager", "admin"]),
    team: z.string().nullable(),
  })
  .describe("A member of staff");

export const meRoutes: RoutePlugin = async (app) => {
  app.get(
    "/me",
    {
      schema: {
        summary: "The user this API token acts for",
        tags: ["users"],
        response: { 200: staffUserSchema },
      },
    },
    async (request) => {
      const user = currentUser(request);
      return {
        id: user.id,
        username: user.username,
        name: user.name,
        email: user.email,
        role: user.role,
        team: user.teamName,
      };
    },
  );
};
