import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "e2e/**/*.test.ts", "bench/**/*.test.ts"],
    globalSetup: ["./vitest.setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ["default", "./vitest.summary.ts"],
  },
});
