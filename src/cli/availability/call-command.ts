// `narvaro call ADDRESS [--kind voice]`: from a serverless peer, ask someone on the link directly
// for a call or chat; their own peer answers at once: accepted, busy (the busy signal), or
// unavailable with their note and another way (exit 1 unless accepted); CLI layer.
import type { Command } from 'commander'
import { contactKinds } from '../../core/model/presence-model.js'
import { dataOf } from '../shared/cli-context.js'
import { addressArgument, contactKindOption } from '../shared/cli-input.js'
import type { CliRuntime } from '../shared/cli-runtime.js'
import { printJson, writeLine } from '../shared/output.js'

const call = async (runtime: CliRuntime, command: Command, raw: string, kindRaw: string) => {
  const kind = contactKindOption(kindRaw, '--kind')
  const context = runtime.context(command)
  const body = { address: addressArgument(raw), kind }
  const answer = await dataOf(context.client().api.POST('/v1/link/requests', { body }))
  if (context.json) return printJson(runtime.io.stdout, answer)
  const note = answer.note ? ` — “${answer.note}”` : ''
  const other = answer.alternative
    ? `; try ${answer.alternative.kind} ${answer.alternative.address}`
    : ''
  writeLine(runtime.io.stdout, `${answer.outcome}: ${answer.text}${note}${other}`)
  if (answer.outcome !== 'accepted') runtime.exitCode = 1
}

export const registerCallCommand = (program: Command, runtime: CliRuntime): void => {
  program
    .command('call')
    .description(
      'serverless peer: ask someone on the link directly for a call or chat (busy or unavailable: exit 1)',
    )
    .argument('<address>', "the person's address (as `narvaro who` shows it)")
    .option('--kind <kind>', contactKinds.join(', '), 'voice')
    .action((address: string, options: { kind: string }, cmd: Command) =>
      call(runtime, cmd, address, options.kind),
    )
}
