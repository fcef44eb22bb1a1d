// The `narvaro` command line: builds the commander program, runs one command with injectable io,
// and turns every failure into a message and an exit code (0 ok, 1 API, 2 usage, 3 unreachable);
// CLI layer.
import { Command, CommanderError } from 'commander'
import { version } from '../server/version.js'
import { registerAdminCommand } from './accounts/admin-command.js'
import { registerCalendarCommand } from './schedules/calendar-command.js'
import { defaultServer } from './shared/cli-context.js'
import { registerConnectCommand } from './presence/connect-command.js'
import { registerDirectoryCommand } from './directory/directory-command.js'
import { registerContactCommand } from './directory/contact-command.js'
import { exitCodes, formatCliError, toCliError } from './shared/cli-error.js'
import type { CliIo } from './shared/cli-io.js'
import { processIo } from './shared/cli-io.js'
import type { CliRuntime } from './shared/cli-runtime.js'
import { createRuntime } from './shared/cli-runtime.js'
import { registerGatherCommands } from './availability/gather-command.js'
import { registerGroupCommand } from './directory/group-command.js'
import { registerImportCommand } from './directory/import-command.js'
import { registerIntegrationCommand } from './integrations/integration-command.js'
import { registerListCommand } from './directory/list-command.js'
import { registerLoginCommands } from './accounts/login-command.js'
import { registerNotifyCommand } from './availability/notify-command.js'
import { registerPasswordCommand } from './accounts/password-command.js'
import { registerPolicyCommands } from './privacy/policy-command.js'
import { registerPrivacyCommand } from './privacy/privacy-command.js'
import { registerServeCommand } from './server/serve-command.js'
import { registerPeerCommand } from './server/peer-command.js'
import { registerCallCommand } from './availability/call-command.js'
import { registerStatusCommand } from './presence/status-command.js'
import { registerTeamCommands } from './availability/team-command.js'
import { registerTokenCommand } from './accounts/token-command.js'
import { registerUserCommand } from './accounts/user-command.js'
import { registerWatchCommand } from './presence/watch-command.js'
import { registerWatchersCommand } from './privacy/watchers-command.js'
import { registerWebhookCommand } from './integrations/webhook-command.js'
import { registerScheduleCommand } from './schedules/schedule-command.js'
import { registerWhoCommands } from './presence/who-command.js'

/** Every command, in the order `--help` lists them. */
const commandRegistrations: readonly ((program: Command, runtime: CliRuntime) => void)[] = [
  registerServeCommand,
  registerPeerCommand,
  registerCallCommand,
  registerAdminCommand,
  registerLoginCommands,
  registerPasswordCommand,
  registerUserCommand,
  registerStatusCommand,
  registerConnectCommand,
  registerWatchCommand,
  registerWhoCommands,
  registerPrivacyCommand,
  registerWatchersCommand,
  registerGroupCommand,
  registerDirectoryCommand,
  registerListCommand,
  registerImportCommand,
  registerPolicyCommands,
  registerTokenCommand,
  registerNotifyCommand,
  registerTeamCommands,
  registerContactCommand,
  registerGatherCommands,
  registerWebhookCommand,
  registerScheduleCommand,
  registerIntegrationCommand,
  registerCalendarCommand,
]

const buildProgram = (runtime: CliRuntime): Command => {
  const { io } = runtime
  const program = new Command('narvaro')
    .description('Närvaro: a self-hosted presence service (server and client)')
    .version(version, '-V, --version')
    .option('--server <url>', `server URL (NARVARO_URL, the saved sign-in, or ${defaultServer})`)
    .option('--token <token>', 'API token (NARVARO_TOKEN, or the saved sign-in)')
    .option('--json', 'machine-readable output')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(run with --help for usage)')
  for (const register of commandRegistrations) register(program, runtime)
  return program
}

/**
 * Runs the CLI on `argv` (as in `process.argv`: the first two entries are node and the script) and
 * resolves to the exit code. Tests pass their own `io`; nothing here calls `process.exit`.
 */
export const main = async (argv: readonly string[], io: Partial<CliIo> = {}): Promise<number> => {
  const runtime = createRuntime({ ...processIo(), ...io })
  const program = buildProgram(runtime)
  try {
    await program.parseAsync([...argv], { from: 'node' })
    return runtime.exitCode
  } catch (error) {
    if (error instanceof CommanderError) {
      // commander has printed its message already; help and version end with 0
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage
    }
    const cliError = toCliError(error, runtime.server ?? defaultServer)
    runtime.io.stderr.write(formatCliError(cliError))
    return cliError.exitCode
  }
}
