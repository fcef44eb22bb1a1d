// Structured logs (pino) with secrets redacted: tokens, passwords and authorization headers never
// reach a log line; composition root.
import { pino, type Logger } from 'pino'
import type { LogLevel } from './config.js'
import { LogDestination } from './log-destination.js'

export const redactedPaths = [
  'password',
  'token',
  'secret',
  '*.password',
  '*.token',
  '*.secret',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
]

/** A logger on `destination`, else on stdout through a LogDestination (it never blocks the loop). */
export const createLogger = (level: LogLevel, destination?: pino.DestinationStream): Logger =>
  pino(
    {
      level,
      base: { service: 'narvaro' },
      redact: { paths: redactedPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination ?? new LogDestination(),
  )
