// Configuration from flags and environment, validated at start with a message that names the bad value;
// composition root.
import { NarvaroError } from '../core/errors.js'
import { isValidDomain } from '../core/model/address.js'
import { OutboundPolicy, defaultOutboundHosts } from '../app/shared/index.js'
import { defaultHashCost, minimumHashCost } from '../app/accounts/index.js'

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = (typeof logLevels)[number]

export interface NarvaroConfig {
  readonly host: string
  readonly port: number
  readonly dataDir: string
  readonly logLevel: LogLevel
  /** Organization domain created on first start. */
  readonly domain: string
  readonly adminPassword?: string
  readonly idleAfterMs: number
  readonly gracePeriodMs: number
  readonly resumeWindowMs: number
  readonly outboundHosts: string
  readonly webhookTimeoutMs: number
  readonly webhookMaxAttempts: number
  readonly webhookDisableAfter: number
  readonly heartbeatMs: number
  readonly maxMessageBytes: number
  readonly bodyLimitBytes: number
  readonly requestsPerMinute: number
  readonly publicationBurst: number
  readonly publicationsPerSecond: number
  readonly defaultTtlMs: number
  readonly maxTtlMs: number
  readonly maxManualMs: number
  readonly maxWatchesPerConnection: number
  readonly subscriptionBurst: number
  readonly auditRetentionMs: number
  readonly loginFreeFailures: number
  readonly loginClientFreeFailures: number
  readonly loginMaxDelayMs: number
  readonly passwordHashConcurrency: number
  readonly passwordHashQueue: number
  /** The argon2id cost of new password hashes: MiB, and passes; never below OWASP's minimum. */
  readonly passwordHashMemoryMib: number
  readonly passwordHashPasses: number
  /** When set, GET /metrics needs `Authorization: Bearer <it>`. */
  readonly metricsToken?: string
  /** The XMPP gateway's STARTTLS port; the gateway is off unless it is set. */
  readonly xmppPort?: number
  /** The SIP gateway's port (UDP and TCP), when set. */
  readonly sipPort?: number
  /** The shortest SIP subscription or publication taken, in seconds. */
  readonly sipMinExpires?: number
  /** SIP over TLS on this port, when set (with the SIP port). */
  readonly sipTlsPort?: number
  /** PEM certificate (chain) and key of SIP over TLS; else a self-signed one in the data directory. */
  readonly sipCertFile?: string
  readonly sipKeyFile?: string
  /** The digest algorithms offered to SIP phones, in order. */
  readonly sipDigest?: readonly ('SHA-256' | 'MD5')[]
  /** A direct-TLS (XEP-0368) port of the XMPP gateway, if any. */
  readonly xmppDirectTlsPort?: number
  /** `required`: PLAIN and everything else only after TLS; `optional`: also on a plain stream. */
  readonly xmppTls: 'required' | 'optional'
  /** How long a new XMPP stream has to send its header before `connection-timeout`. */
  readonly xmppHeaderTimeoutMs: number
  /** PEM certificate (chain) and key of the XMPP gateway; else a self-signed one in the data directory. */
  readonly xmppCertFile?: string
  readonly xmppKeyFile?: string
  /** PostgreSQL instead of the embedded SQLite file (postgres://...); may hold a password. */
  readonly databaseUrl?: string
  /** Redis (redis://...): several nodes share the change channel and presence; may hold a password. */
  readonly redisUrl?: string
  /** How long a node that stopped renewing keeps its sources in a cluster. */
  readonly nodeLeaseMs: number
  /** Node processes `narvaro serve` runs behind one port; one per core by default with Redis. */
  readonly workers?: number
}

interface Field {
  readonly env: string
  readonly flag?: string
  readonly describe: string
  readonly parse: (raw: string) => unknown
}

const integer =
  (min: number, max: number, scale = 1) =>
  (raw: string) => {
    const value = Number(raw)
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new Error(`must be an integer from ${min} to ${max}`)
    }
    return value * scale
  }
/** An integer no lower than a safety floor: the message says why the floor is there. */
const atLeast = (floor: number, max: number, why: string) => (raw: string) => {
  const value = Number(raw)
  if (!Number.isInteger(value) || value > max) throw new Error(`must be an integer up to ${max}`)
  if (value < floor) throw new Error(`must be at least ${floor}: ${why}`)
  return value
}
const owaspFloor = "lower is below OWASP's minimum for argon2id (19 MiB, 2 passes)"
const text = (check?: (v: string) => boolean, rule?: string) => (raw: string) => {
  if (raw.length === 0 || (check && !check(raw))) throw new Error(rule ?? 'must not be empty')
  return raw
}

/** Every setting: its environment variable, flag, meaning and parser. The README table mirrors it. */
export const configFields: Readonly<Record<keyof NarvaroConfig, Field>> = {
  host: { env: 'NARVARO_HOST', flag: 'host', describe: 'address to listen on', parse: text() },
  port: {
    env: 'NARVARO_PORT',
    flag: 'port',
    describe: 'TCP port (0: any free port)',
    parse: integer(0, 65535),
  },
  dataDir: {
    env: 'NARVARO_DATA_DIR',
    flag: 'data-dir',
    describe: 'directory of the SQLite database',
    parse: text(),
  },
  logLevel: {
    env: 'NARVARO_LOG_LEVEL',
    flag: 'log-level',
    describe: logLevels.join(', '),
    parse: text(
      (v) => (logLevels as readonly string[]).includes(v),
      `must be one of ${logLevels.join(', ')}`,
    ),
  },
  domain: {
    env: 'NARVARO_DOMAIN',
    flag: 'domain',
    describe: 'domain of the organization created on first start',
    parse: text(isValidDomain, 'must be a domain name such as example.com'),
  },
  adminPassword: {
    env: 'NARVARO_ADMIN_PASSWORD',
    describe: "first admin's password (else one is generated and shown once)",
    parse: text((v) => v.length >= 12, 'must be at least 12 characters'),
  },
  idleAfterMs: {
    env: 'NARVARO_IDLE_AFTER',
    describe: 'seconds without activity until away',
    parse: integer(10, 86_400, 1000),
  },
  gracePeriodMs: {
    env: 'NARVARO_GRACE_PERIOD',
    describe: 'seconds a dropped connection keeps its publication',
    parse: integer(0, 3600, 1000),
  },
  resumeWindowMs: {
    env: 'NARVARO_RESUME_WINDOW',
    describe: 'seconds a change stays resumable after a reconnect (older cursors get snapshots)',
    parse: integer(10, 86_400, 1000),
  },
  heartbeatMs: {
    env: 'NARVARO_HEARTBEAT',
    describe: 'seconds between WebSocket pings',
    parse: integer(1, 3600, 1000),
  },
  maxMessageBytes: {
    env: 'NARVARO_MAX_MESSAGE_BYTES',
    describe: 'largest WebSocket message',
    parse: integer(1024, 16_777_216),
  },
  bodyLimitBytes: {
    env: 'NARVARO_BODY_LIMIT',
    describe: 'largest HTTP request body, bytes',
    parse: integer(1024, 16_777_216),
  },
  requestsPerMinute: {
    env: 'NARVARO_REQUESTS_PER_MINUTE',
    describe: 'REST requests per token per minute',
    parse: integer(1, 1_000_000),
  },
  publicationBurst: {
    env: 'NARVARO_PUBLICATION_BURST',
    describe: 'publications a source may make at once',
    parse: integer(1, 10_000),
  },
  publicationsPerSecond: {
    env: 'NARVARO_PUBLICATIONS_PER_SECOND',
    describe: 'publications regained per source per second',
    parse: integer(1, 10_000),
  },
  defaultTtlMs: {
    env: 'NARVARO_DEFAULT_TTL',
    describe: 'seconds a REST device publication lives by default',
    parse: integer(1, 86_400, 1000),
  },
  maxTtlMs: {
    env: 'NARVARO_MAX_TTL',
    describe: 'longest ttl of a device publication, seconds',
    parse: integer(1, 604_800, 1000),
  },
  maxManualMs: {
    env: 'NARVARO_MAX_MANUAL',
    describe: 'longest a manual choice or a note lasts, seconds',
    parse: integer(60, 31_622_400, 1000),
  },
  maxWatchesPerConnection: {
    env: 'NARVARO_MAX_WATCHES',
    describe: 'presentities one connection may watch',
    parse: integer(1, 1_000_000),
  },
  subscriptionBurst: {
    env: 'NARVARO_SUBSCRIPTION_BURST',
    describe: 'new subscriptions a watcher may make at once (then 5 a second)',
    parse: integer(1, 1_000_000),
  },
  webhookTimeoutMs: {
    env: 'NARVARO_WEBHOOK_TIMEOUT',
    describe: 'seconds a webhook receiver has to answer a delivery',
    parse: integer(1, 300, 1000),
  },
  webhookMaxAttempts: {
    env: 'NARVARO_WEBHOOK_MAX_ATTEMPTS',
    describe: 'attempts of one webhook message before it is given up',
    parse: integer(1, 100),
  },
  webhookDisableAfter: {
    env: 'NARVARO_WEBHOOK_DISABLE_AFTER',
    describe: 'consecutive failed webhook attempts after which the endpoint is disabled',
    parse: integer(1, 10_000),
  },
  outboundHosts: {
    env: 'NARVARO_OUTBOUND_HOSTS',
    describe:
      'where calendar URLs and webhooks may connect: public, *, names, *.domains, addresses, ranges',
    parse: (raw: string) => new OutboundPolicy(raw).text,
  },
  metricsToken: {
    env: 'NARVARO_METRICS_TOKEN',
    describe: 'bearer token that GET /metrics requires (open to anyone who can connect when unset)',
    parse: text(
      (v) => v.length >= 16 && !/\s/.test(v),
      'must be at least 16 characters, no spaces',
    ),
  },
  auditRetentionMs: {
    env: 'NARVARO_AUDIT_RETENTION_DAYS',
    describe: 'days audit events (policy changes, disclosures) are kept',
    parse: integer(1, 3650, 86_400_000),
  },
  loginFreeFailures: {
    env: 'NARVARO_LOGIN_FREE_FAILURES',
    describe: 'failed sign-ins per address before each further one waits twice as long (from 1 s)',
    parse: integer(1, 1000),
  },
  loginClientFreeFailures: {
    env: 'NARVARO_LOGIN_CLIENT_FREE_FAILURES',
    describe: 'failed sign-ins per client IP address before its back-off starts',
    parse: integer(1, 1_000_000),
  },
  loginMaxDelayMs: {
    env: 'NARVARO_LOGIN_MAX_DELAY',
    describe: 'longest sign-in back-off, seconds (failures are forgotten after twice this)',
    parse: integer(1, 86_400, 1000),
  },
  passwordHashConcurrency: {
    env: 'NARVARO_PASSWORD_HASH_CONCURRENCY',
    describe: 'password checks (argon2) computed at once',
    parse: integer(1, 64),
  },
  passwordHashQueue: {
    env: 'NARVARO_PASSWORD_HASH_QUEUE',
    describe: 'password checks waiting at most; more are refused at once (503 NRV_BUSY)',
    parse: integer(0, 100_000),
  },
  passwordHashMemoryMib: {
    env: 'NARVARO_PASSWORD_HASH_MEMORY',
    describe: `memory of each new password hash (argon2id), MiB (at least ${minimumHashCost.memoryMib})`,
    parse: atLeast(minimumHashCost.memoryMib, 4096, owaspFloor),
  },
  passwordHashPasses: {
    env: 'NARVARO_PASSWORD_HASH_PASSES',
    describe: `passes of each new password hash over its memory (argon2id time cost; at least ${minimumHashCost.passes})`,
    parse: atLeast(minimumHashCost.passes, 100, owaspFloor),
  },
  xmppPort: {
    env: 'NARVARO_XMPP_PORT',
    flag: 'xmpp-port',
    describe: 'XMPP client port with STARTTLS, usually 5222 (unset: no XMPP; 0: any free port)',
    parse: integer(0, 65535),
  },
  sipPort: {
    env: 'NARVARO_SIP_PORT',
    flag: 'sip-port',
    describe: 'SIP port, UDP and TCP, usually 5060 (unset: no SIP; 0: any free port)',
    parse: integer(0, 65535),
  },
  sipMinExpires: {
    env: 'NARVARO_SIP_MIN_EXPIRES',
    describe: 'shortest SIP subscription or publication taken, in seconds (default 60; 423 below)',
    parse: integer(1, 3600),
  },
  sipTlsPort: {
    env: 'NARVARO_SIP_TLS_PORT',
    describe:
      'SIP over TLS port, usually 5061, with NARVARO_SIP_PORT (unset: no TLS; 0: any free port)',
    parse: integer(0, 65535),
  },
  sipCertFile: {
    env: 'NARVARO_SIP_CERT_FILE',
    describe: 'PEM certificate chain for SIP over TLS (unset: a self-signed one is generated)',
    parse: text(),
  },
  sipKeyFile: {
    env: 'NARVARO_SIP_KEY_FILE',
    describe: 'PEM private key of that certificate',
    parse: text(),
  },
  sipDigest: {
    env: 'NARVARO_SIP_DIGEST',
    describe:
      'digest algorithms SIP phones are offered, in order (default SHA-256,MD5; MD5 first or alone for phones that take only the first)',
    parse: (raw: string) => {
      const list = raw.split(',').map((a) => a.trim().toUpperCase())
      if (
        list.length === 0 ||
        list.some((a) => a !== 'SHA-256' && a !== 'MD5') ||
        new Set(list).size !== list.length
      )
        throw new Error('must be SHA-256 and/or MD5, comma-separated')
      return list as ('SHA-256' | 'MD5')[]
    },
  },
  xmppDirectTlsPort: {
    env: 'NARVARO_XMPP_DIRECT_TLS_PORT',
    describe: 'XMPP client port with direct TLS (XEP-0368), usually 5223 (unset: none)',
    parse: integer(0, 65535),
  },
  xmppTls: {
    env: 'NARVARO_XMPP_TLS',
    describe:
      'required: sign-in only after STARTTLS; optional: also on a plain stream (loopback tools)',
    parse: (raw: string) => {
      if (raw !== 'required' && raw !== 'optional') throw new Error('must be required or optional')
      return raw
    },
  },
  xmppHeaderTimeoutMs: {
    env: 'NARVARO_XMPP_HEADER_TIMEOUT',
    describe:
      'seconds a new XMPP connection has to send its stream header (then connection-timeout)',
    parse: integer(1, 300, 1000),
  },
  xmppCertFile: {
    env: 'NARVARO_XMPP_CERT_FILE',
    describe: 'PEM certificate chain of the XMPP domain (unset: a self-signed one is generated)',
    parse: text(),
  },
  xmppKeyFile: {
    env: 'NARVARO_XMPP_KEY_FILE',
    describe: 'PEM private key of that certificate',
    parse: text(),
  },
  databaseUrl: {
    env: 'NARVARO_DATABASE_URL',
    describe: 'postgres://user:password@host:5432/database: PostgreSQL instead of the SQLite file',
    parse: text(
      (v) => /^postgres(ql)?:\/\/[^\s]+$/.test(v),
      'must be a postgres:// or postgresql:// URL',
    ),
  },
  redisUrl: {
    env: 'NARVARO_REDIS_URL',
    describe: 'redis://[:password@]host:6379: run as one node of a cluster sharing this Redis',
    parse: text((v) => /^rediss?:\/\/[^\s]+$/.test(v), 'must be a redis:// or rediss:// URL'),
  },
  workers: {
    env: 'NARVARO_WORKERS',
    flag: 'workers',
    describe: 'node processes behind one port (needs NARVARO_REDIS_URL and NARVARO_DATABASE_URL)',
    parse: integer(1, 256),
  },
  nodeLeaseMs: {
    env: 'NARVARO_NODE_LEASE',
    describe: 'seconds until the sources of a cluster node that stopped renewing end elsewhere',
    parse: integer(1, 3600, 1000),
  },
}

export const defaultConfig: NarvaroConfig = {
  host: '127.0.0.1',
  port: 7450,
  dataDir: './data',
  logLevel: 'info',
  domain: 'example.com',
  idleAfterMs: 300_000,
  gracePeriodMs: 15_000,
  resumeWindowMs: 600_000,
  heartbeatMs: 30_000,
  maxMessageBytes: 65_536,
  bodyLimitBytes: 262_144,
  requestsPerMinute: 1200,
  publicationBurst: 20,
  publicationsPerSecond: 2,
  defaultTtlMs: 300_000,
  maxTtlMs: 86_400_000,
  maxManualMs: 2_592_000_000,
  maxWatchesPerConnection: 10_000,
  subscriptionBurst: 500,
  auditRetentionMs: 90 * 86_400_000,
  outboundHosts: defaultOutboundHosts,
  webhookTimeoutMs: 10_000,
  webhookMaxAttempts: 10,
  webhookDisableAfter: 20,
  loginFreeFailures: 5,
  loginClientFreeFailures: 20,
  loginMaxDelayMs: 900_000,
  passwordHashConcurrency: 2,
  passwordHashQueue: 16,
  passwordHashMemoryMib: defaultHashCost.memoryMib,
  passwordHashPasses: defaultHashCost.passes,
  xmppTls: 'required',
  xmppHeaderTimeoutMs: 10_000,
  nodeLeaseMs: 10_000,
}

/** Settings whose values an error message never shows. */
const secretSettings: ReadonlySet<string> = new Set([
  'adminPassword',
  'metricsToken',
  'databaseUrl',
  'redisUrl',
])

/**
 * Builds the configuration: defaults, then the environment, then flags (strings, by flag name).
 * Throws `NRV_CONFIG_INVALID` naming the variable or flag and the bad value.
 */
export const loadConfig = (
  env: Readonly<Record<string, string | undefined>>,
  flags: Readonly<Record<string, string | undefined>> = {},
): NarvaroConfig => {
  const config: Record<string, unknown> = { ...defaultConfig }
  for (const [key, field] of Object.entries(configFields)) {
    const fromFlag = field.flag ? flags[field.flag] : undefined
    const raw = fromFlag ?? env[field.env]
    if (raw === undefined) continue
    const name = fromFlag !== undefined ? `--${field.flag}` : field.env
    try {
      config[key] = field.parse(raw.trim())
    } catch (error) {
      const shown = secretSettings.has(key) ? '(hidden)' : JSON.stringify(raw)
      throw new NarvaroError(
        'NRV_CONFIG_INVALID',
        `${name}=${shown}: ${(error as Error).message}`,
        {
          details: { setting: name },
        },
      )
    }
  }
  return config as unknown as NarvaroConfig
}
