import { it } from 'vitest'
import { adminPassword, envOf, loginAs, runCli, startCli, startTestServer } from './cli-harness.js'
it('scratch', async () => {
  const s = await startTestServer({ env: { NARVARO_GRACE_PERIOD: '1' } })
  await loginAs(s, 'admin', adminPassword)
  for (const n of ['alice', 'bob']) {
    const r = await runCli(['user', 'add', n, '--name', n === 'alice' ? 'Alice Andersson' : 'Bob Berg'], { env: envOf(s, 'admin') })
    console.log(r.stdout)
    const pw = /one-time password: (\S+)/.exec(r.stdout)![1]!
    await loginAs(s, n, pw)
  }
  const e = (n: string) => envOf(s, n)
  const show = async (args: string[], n: string) => {
    const r = await runCli(args, { env: e(n) })
    console.log(`$ narvaro ${args.join(' ')}   [${n}] -> ${r.code}\n${r.stdout}${r.stderr ? '[stderr]\n' + r.stderr : ''}`)
  }
  const connect = startCli(['connect'], { env: e('alice') })
  await connect.stdout.waitFor(/online/)
  const watch = startCli(['watch', 'alice@acme.example'], { env: e('bob') })
  await watch.stdout.waitFor(/available/)
  await show(['status', 'set', 'busy', '--activity', 'in-a-meeting', '--until', '30m', '--note', 'Budget review'], 'alice')
  await watch.stdout.waitFor(/busy/)
  await show(['status', 'get'], 'alice')
  await show(['status', 'set', '--clear'], 'alice')
  await watch.stdout.waitFor(/available "Budget/)
  await show(['privacy', 'preview', 'bob@acme.example'], 'alice')
  await show(['privacy', 'preview', 'x@partner.example'], 'alice')
  await show(['watchers'], 'alice')
  connect.signals.emit('SIGINT')
  await connect.exit
  await watch.stdout.waitFor(/offline.*\n/)
  watch.signals.emit('SIGINT')
  await watch.exit
  console.log('CONNECT\n' + connect.stdout.text + connect.stderr.text + 'WATCH\n' + watch.stdout.text + watch.stderr.text)
  await s.stop()
})
