// A caller on a peer's direct channel for the serverless tests: connects with mutual TLS (its own
// self-signed key, made once into KEYDIR), says it is INSTANCE, makes a request of KIND and prints
// the answer (or the error) as one JSON line.
//   node link-caller.mjs HOST PORT INSTANCE KIND KEYDIR
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import process from 'node:process'
import { setTimeout } from 'node:timers'
import { connect } from 'node:tls'
import { generate } from 'selfsigned'

const [host, port, instance, kind, keyDir] = process.argv.slice(2)
mkdirSync(keyDir, { recursive: true })
if (!existsSync(join(keyDir, 'key.pem'))) {
  const pems = await generate([{ name: 'commonName', value: instance }], { keySize: 2048 })
  writeFileSync(join(keyDir, 'key.pem'), pems.private)
  writeFileSync(join(keyDir, 'cert.pem'), pems.cert)
}
const socket = connect({
  host,
  port: Number(port),
  key: readFileSync(join(keyDir, 'key.pem')),
  cert: readFileSync(join(keyDir, 'cert.pem')),
  rejectUnauthorized: false,
})
const done = (line) => {
  process.stdout.write(`${line}\n`, () => process.exit(0))
  socket.destroy()
}
let pending = ''
socket.on('secureConnect', () => {
  socket.write(`${JSON.stringify({ type: 'hello', instance })}\n`)
  socket.write(`${JSON.stringify({ type: 'request', id: 'r1', kind })}\n`)
})
socket.on('data', (chunk) => {
  pending += chunk.toString()
  for (const line of pending.split('\n').slice(0, -1)) {
    const message = JSON.parse(line)
    if (message.type === 'answer' || message.type === 'error') return done(line)
  }
  pending = pending.slice(pending.lastIndexOf('\n') + 1)
})
socket.on('error', (error) =>
  done(JSON.stringify({ type: 'error', code: 'socket', message: String(error) })),
)
setTimeout(
  () => done(JSON.stringify({ type: 'error', code: 'timeout', message: 'no answer' })),
  10_000,
)
