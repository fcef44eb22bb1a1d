// Builds dist/ once before the suite, for the tests that run the server as a real child process.
import { execFileSync } from 'node:child_process'

export const setup = (): void => {
  if (process.env['NARVARO_TEST_SKIP_BUILD'] === '1') return
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
    stdio: 'inherit',
  })
}
