import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "e2e/**/*.test.ts", "bench/**/*.test.ts"],
    globalSetup: ["./vitest.setup.ts"],
    // Generous: opening an embedded database folder takes seconds, and much longer on a loaded machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    reporters: ["default", "./vitest.summary.ts"],
  },
});
