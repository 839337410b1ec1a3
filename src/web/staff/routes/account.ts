import { z } from "zod";
import {
  confirmEnrolment,
  recoveryCodesLeft,
  replaceRecoveryCodesFor,
  secondFactorRequired,
} from "../../../users/index.ts";
import { currentUser } from "../../auth.ts";
import { formText } from "../../schemas.ts";
import type { RoutePlugin } from "../../types.ts";
import { enrolmentView } from "./sign-in.ts";

const codeForm = z.object({ code: formText("Enter the code from your authenticator app", { max: 100 }) });

/** Your account: how you sign in, your authenticator app and recovery codes. */
export const accountRoutes: RoutePlugin = async (app) => {
  app.get("/account", async (request, reply) => {
    const user = currentUser(request);
    return reply.render("staff/account.njk", {
      person: user,
      method: request.staffSession?.method ?? "password",
      secondFactorRequired: secondFactorRequired(user.role, app.config.secondFactorFor),
      recoveryCodesLeft: user.secondFactor ? await recoveryCodesLeft(app.db, user.id) : 0,
    });
  });

  const view = async (request: Parameters<typeof currentUser>[0]) => ({
    ...(await enrolmentView(app, currentUser(request))),
    action: "/staff/account/authenticator",
  });

  app.get("/account/authenticator", async (request, reply) =>
    reply.header("cache-control", "no-store").render("staff/authenticator.njk", await view(request)),
  );

  app.post(
    "/account/authenticator",
    { schema: { body: codeForm }, config: { form: { template: "staff/authenticator.njk", context: view } } },
    async (request, reply) => {
      const user = currentUser(request);
      const recoveryCodes = await confirmEnrolment(
        app.db,
        user.id,
        request.body.code,
        { userId: user.id, label: "themselves" },
        app.now(),
      );
      return reply
        .header("cache-control", "no-store")
        .render("staff/recovery-codes.njk", { recoveryCodes, continueTo: "/staff/account" });
    },
  );

  app.post("/account/recovery-codes", async (request, reply) => {
    const user = currentUser(request);
    const recoveryCodes = await replaceRecoveryCodesFor(
      app.db,
      user.id,
      { userId: user.id, label: "themselves" },
      app.now(),
    );
    return reply
      .header("cache-control", "no-store")
      .render("staff/recovery-codes.njk", { recoveryCodes, continueTo: "/staff/account" });
  });
};
