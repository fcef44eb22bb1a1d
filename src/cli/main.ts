// The `narvaro` command line: builds the commander program, runs one command with injectable io,
// and turns every failure into a message and an exit code (0 ok, 1 API, 2 usage, 3 unreachable);
// CLI layer.
import { Command, CommanderError } from 'commander'
import { version } from '../server/version.js'
import { registerAdminCommand } from './admin-command.js'
import { registerCalendarCommand } from './calendar-command.js'
import { defaultServer } from './cli-context.js'
import { registerConnectCommand } from './connect-command.js'
import { registerDirectoryCommand } from './directory-command.js'
import { registerContactCommand } from './contact-command.js'
import { exitCodes, formatCliError, toCliError } from './cli-error.js'
import type { CliIo } from './cli-io.js'
import { processIo } from './cli-io.js'
import type { CliRuntime } from './cli-runtime.js'
import { createRuntime } from './cli-runtime.js'
import { registerGatherCommands } from './gather-command.js'
import { registerGroupCommand } from './group-command.js'
import { registerImportCommand } from './import-command.js'
import { registerIntegrationCommand } from './integration-command.js'
import { registerListCommand } from './list-command.js'
import { registerLoginCommands } from './login-command.js'
import { registerNotifyCommand } from './notify-command.js'
import { registerPasswordCommand } from './password-command.js'
import { registerPolicyCommands } from './policy-command.js'
import { registerPrivacyCommand } from './privacy-command.js'
import { registerServeCommand } from './serve-command.js'
import { registerStatusCommand } from './status-command.js'
import { registerTeamCommands } from './team-command.js'
import { registerTokenCommand } from './token-command.js'
import { registerUserCommand } from './user-command.js'
import { registerWatchCommand } from './watch-command.js'
import { registerWatchersCommand } from './watchers-command.js'
import { registerWebhookCommand } from './webhook-command.js'
import { registerScheduleCommand } from './schedule-command.js'
import { registerWhoCommands } from './who-command.js'

/** Every command, in the order `--help` lists them. */
const commandRegistrations: readonly ((program: Command, runtime: CliRuntime) => void)[] = [
  registerServeCommand,
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
    const cliError = toCliError(error)
    runtime.io.stderr.write(formatCliError(cliError))
    return cliError.exitCode
  }
}
