import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "e2e/**/*.test.ts", "bench/**/*.test.ts"],
    globalSetup: ["./vitest.setup.ts"],
    // The deployment key that seals authenticator secrets and the single sign-on cookie (src/sealed.ts): fixed
    // for tests, so no test makes a key file in ./data.
    env: { FOIDESK_SECRET_KEY: "dGVzdHMtb25seS1zZWNyZXQta2V5LTMyLWJ5dGVzISE=" },
    // Generous: opening an embedded database folder takes seconds, and much longer on a loaded machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ["default", "./vitest.summary.ts"],
  },
});
