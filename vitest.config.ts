// Test runner configuration: every suite under test/, run in forked workers that keep their modules.
import { defineConfig } from 'vitest/config'

export const testConfig = defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    pool: 'forks',
    // A worker keeps its imported modules from one file to the next: each file no longer imports the
    // whole server again (seconds a file). Files keep their state in their own hooks.
    isolate: false,
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
})

export default testConfig
