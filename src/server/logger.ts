// Structured logs (pino) with secrets redacted: tokens, passwords and authorization headers never
// reach a log line; composition root.
import { pino, type Logger } from 'pino'
import type { LogLevel } from './config.js'

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

export const createLogger = (level: LogLevel, destination?: pino.DestinationStream): Logger =>
  pino(
    {
      level,
      base: { service: 'narvaro' },
      redact: { paths: redactedPaths, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  )
