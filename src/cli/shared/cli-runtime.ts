// What each command file gets from `main`: the injected terminal, the global options resolved
// into a context, and a way to set the exit code; CLI layer.
import type { Command } from 'commander'
import type { CliContext, GlobalOptions } from './cli-context.js'
import { resolveContext } from './cli-context.js'
import type { CliIo } from './cli-io.js'

export interface CliRuntime {
  readonly io: CliIo
  /** The context of a command: server, token and `--json`, from its global options. */
  context(command: Command): CliContext
  /** Whether `--json` was given. */
  json(command: Command): boolean
  /** The exit code of a command that ends without throwing (0 unless set). */
  exitCode: number
  /** The server of the last context made: where an unanswered request went. */
  server?: string
}

export const createRuntime = (io: CliIo): CliRuntime => {
  const runtime: CliRuntime = {
    io,
    context: (command) => {
      const context = resolveContext(io, command.optsWithGlobals<GlobalOptions>())
      runtime.server = context.server
      return context
    },
    json: (command) => command.optsWithGlobals<GlobalOptions>().json === true,
    exitCode: 0,
  }
  return runtime
}

/** A commander action that receives the command's context first, then its own arguments. */
export const withContext =
  <A extends unknown[]>(
    runtime: CliRuntime,
    work: (ctx: ReturnType<CliRuntime['context']>, ...args: A) => Promise<void>,
  ) =>
  (...args: [...A, Command]) => {
    const command = args[args.length - 1] as Command
    return work(runtime.context(command), ...(args.slice(0, -1) as A))
  }
