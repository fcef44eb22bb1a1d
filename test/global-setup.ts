// Builds dist/ (and the SDK's packages/sdk/dist) once before the suite, for the tests that run the
// server or the CLI as a real child process, and the web app (web/dist) when it is missing, for the
// browser tests.
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'

export const setup = (): void => {
  if (process.env['NARVARO_TEST_SKIP_BUILD'] !== '1') {
    // The SDK first: the CLI imports it by its package name, which resolves to packages/sdk/dist.
    for (const project of ['packages/sdk/tsconfig.json', 'tsconfig.build.json']) {
      execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', project], {
        stdio: 'inherit',
      })
    }
  }
  if (!existsSync('web/dist/index.html')) {
    execFileSync(
      process.execPath,
      [
        'node_modules/vite/bin/vite.js',
        'build',
        '--config',
        'web/vite.config.ts',
        '--logLevel',
        'warn',
      ],
      { stdio: 'inherit' },
    )
  }
}
