import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Compiles src/ once into .test-cli/, which the tests that start the CLI run (tests/helpers/cli.ts).
    globalSetup: ['tests/helpers/build-cli.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
  },
});
