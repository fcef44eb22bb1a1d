// A logger whose lines a test can read: the server's pino logger on an in-memory stream.
import { Writable } from 'node:stream'
import type { Logger } from 'pino'
import type { LogLevel } from '../../src/server/config.js'
import { createLogger } from '../../src/server/logger.js'

export type LogLine = Record<string, unknown> & { level: number; msg?: string }

/** pino's numbers for the levels tests look for. */
export const levels = { debug: 20, info: 30, warn: 40, error: 50 } as const

export const captureLog = (level: LogLevel = 'debug'): { logger: Logger; lines: LogLine[] } => {
  const lines: LogLine[] = []
  const sink = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      for (const text of chunk
        .toString()
        .split('\n')
        .filter((t) => t !== '')) {
        lines.push(JSON.parse(text) as LogLine)
      }
      done()
    },
  })
  return { logger: createLogger(level, sink), lines }
}
