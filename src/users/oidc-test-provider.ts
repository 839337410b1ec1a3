import { generateKeyPairSync } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

// A real OpenID Connect provider for the tests (the certified `oidc-provider` package), on a loopback port the
// system chooses. Its sign-in page is a plain form: pick who you are. Everything else (discovery, PKCE, ID
// tokens signed with its own key, userinfo, sign-out) is the package's own.

export interface TestAccount {
  name: string;
  email: string;
  preferred_username: string;
  groups: string[];
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The people who can sign in, by subject; tests may change their groups between sign-ins. */
  accounts: Record<string, TestAccount>;
  close(): Promise<void>;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

async function formBody(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.from(chunk));
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

/** Starts the provider for a client whose redirect and post-logout addresses are under `clientBaseUrl`. */
export async function startTestProvider(
  clientBaseUrl: string,
  accounts: Record<string, TestAccount>,
): Promise<TestProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = "foidesk";
  const clientSecret = "a-client-secret-for-the-tests-only";
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  // Loaded here, not at the top: users/testing.ts, which every web test loads, re-exports this file, and
  // oidc-provider takes some 300 ms to load.
  const { default: Provider } = await import("oidc-provider");
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [`${clientBaseUrl}/staff/sign-in/sso/callback`],
        post_logout_redirect_uris: [`${clientBaseUrl}/staff/sign-in?signedOut=1`],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    jwks: {
      keys: [{ ...privateKey.export({ format: "jwk" }), kid: "test", use: "sig", alg: "RS256" }] as never,
    },
    cookies: { keys: ["cookie-key-for-the-tests-only"] },
    pkce: { required: () => true },
    scopes: ["openid", "email", "profile", "groups"],
    claims: {
      openid: ["sub"],
      email: ["email"],
      profile: ["name", "preferred_username"],
      groups: ["groups"],
    },
    features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: async (_ctx, sub) => {
      if (!accounts[sub]) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...accounts[sub] }) };
    },
  });
  const callback = provider.callback();
  server.on("request", async (request, response) => {
    const match = /^\/interaction\/([\w-]+)$/.exec(request.url ?? "");
    if (!match) return callback(request, response);
    try {
      const details = await provider.interactionDetails(request, response);
      if (request.method === "GET") {
        const choices = Object.entries(accounts)
          .map(([sub, account]) => `<option value="${escapeHtml(sub)}">${escapeHtml(account.name)}</option>`)
          .join("");
        response.writeHead(200, { "content-type": "text/html; charset=utf-8" });
        response.end(
          `<!DOCTYPE html><html lang="en"><head><title>Test identity provider</title></head><body>` +
            `<h1>Test identity provider</h1><form method="post" action="/interaction/${match[1]}">` +
            `<label for="login">Who are you?</label><select id="login" name="login">${choices}</select>` +
            `<button type="submit">Sign in</button></form></body></html>`,
        );
        return;
      }
      const accountId = (await formBody(request)).get("login") ?? "";
      const grant = new provider.Grant({ accountId, clientId: String(details.params.client_id) });
      grant.addOIDCScope(String(details.params.scope));
      const grantId = await grant.save();
      await provider.interactionFinished(
        request,
        response,
        { login: { accountId }, consent: { grantId } },
        { mergeWithLastSubmission: false },
      );
    } catch (error) {
      response.writeHead(400, { "content-type": "text/plain" });
      response.end(String(error));
    }
  });
  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * A person's browser at the provider: follows its redirects, keeping its cookies, signs in as `sub`, and
 * stops at the first redirect back to `clientBaseUrl` (returned: the callback address).
 */
export async function signInAtProvider(
  authorizeUrl: string,
  clientBaseUrl: string,
  sub: string,
): Promise<string> {
  const cookies = new Map<string, string>();
  let url = authorizeUrl;
  let body: string | undefined;
  for (let hop = 0; hop < 20; hop++) {
    if (url.startsWith(clientBaseUrl)) return url;
    const response = await fetch(url, {
      method: body ? "POST" : "GET",
      redirect: "manual",
      headers: {
        cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join("; "),
        ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
      ...(body ? { body } : {}),
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(";");
      const at = pair!.indexOf("=");
      cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    const location = response.headers.get("location");
    if (location) {
      url = new URL(location, url).href;
      body = undefined;
      continue;
    }
    if (response.status === 200 && /\/interaction\//.test(url)) {
      await response.text();
      body = new URLSearchParams({ login: sub }).toString();
      continue;
    }
    throw new Error(`the provider answered ${response.status}: ${(await response.text()).slice(0, 500)}`);
  }
  throw new Error("too many redirects at the provider");
}
