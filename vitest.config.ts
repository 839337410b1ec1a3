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
    // Four test files at once, on CI's 2 cores too: the tests mostly wait (PGlite, PostgreSQL, child
    // processes, Chromium), so vitest's default of one worker per core less one left the machine idle (load
    // under 1). Measured on this suite: one worker was under half-way after 11 minutes, four ran it all in 9.
    maxWorkers: 4,
    reporters: ["default", "./vitest.summary.ts"],
  },
});
