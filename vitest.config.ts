// Test runner configuration: every suite under test/, run in forked workers.
import { defineConfig } from 'vitest/config'

export const testConfig = defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
})

export default testConfig
