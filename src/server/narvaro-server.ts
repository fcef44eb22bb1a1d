// The composition root: picks the adapters (SQLite store, in-process bus, system clock), builds the app
// services and the transports, restores durable state, listens, and shuts down gracefully.
import { join } from 'node:path'
import type { Logger } from 'pino'
import { defaultExpander } from '../app/calendar/index.js'
import { createServices, restoreDurableState, stopServices } from '../app/services.js'
import type { NarvaroServices } from '../app/services.js'
import { InProcessChangeBus } from '../adapters/bus/in-process/in-process-bus.js'
import { SystemClock } from '../adapters/clock/system-clock.js'
import { openSqliteStore } from '../adapters/store/sqlite/sqlite-store.js'
import type { Clock } from '../ports/clock.js'
import type { NarvaroStore } from '../ports/narvaro-store.js'
import { createRestApp } from '../transports/rest/rest-app.js'
import type { RestApp } from '../transports/rest/rest-app.js'
import { registerSseRoutes } from '../transports/sse/sse-routes.js'
import { registerWsRoutes } from '../transports/ws/ws-routes.js'
import type { NarvaroConfig } from './config.js'
import { lockDataDir } from './data-dir-lock.js'
import type { DataDirLock } from './data-dir-lock.js'
import { warnWideModes } from './data-dir-modes.js'
import { createLogger } from './logger.js'
import { signInLogger } from './sign-in-log.js'
import { version } from './version.js'

/** Connections waiting to be accepted; the kernel caps it at net.core.somaxconn (4096 by default). */
const listenBacklog = 65_535

export interface NarvaroServerOptions {
  readonly config: NarvaroConfig
  readonly clock?: Clock
  readonly store?: NarvaroStore
  readonly logger?: Logger
}

export interface FirstStart {
  readonly domain: string
  readonly adminAddress: string
  /** Shown once on the terminal by the caller; never logged. */
  readonly generatedPassword?: string
}

export interface NarvaroServer {
  readonly app: RestApp
  readonly services: NarvaroServices
  readonly url: string
  readonly firstStart?: FirstStart
  close(): Promise<void>
}

export const openDefaultStore = async (dataDir: string): Promise<NarvaroStore> => {
  const store = await openSqliteStore({ file: join(dataDir, 'narvaro.db') })
  await store.migrate()
  return store
}

/** Creates the first organization and admin when the store has no user at all. */
const initializeOnFirstStart = async (
  services: NarvaroServices,
  config: NarvaroConfig,
): Promise<FirstStart | undefined> => {
  if ((await services.store.countUsers()) > 0) return undefined
  const result = await services.auth.initialize({
    domain: config.domain,
    ...(config.adminPassword ? { adminPassword: config.adminPassword } : {}),
  })
  return {
    domain: result.organization.domain,
    adminAddress: result.admin.address,
    ...(result.generatedPassword ? { generatedPassword: result.generatedPassword } : {}),
  }
}

export const startServer = async (options: NarvaroServerOptions): Promise<NarvaroServer> => {
  const { config } = options
  const logger = options.logger ?? createLogger(config.logLevel)
  const clock = options.clock ?? new SystemClock()
  // Held while the server runs on its data directory, so offline commands refuse meanwhile.
  const lock: DataDirLock | undefined = options.store
    ? undefined
    : lockDataDir(config.dataDir, { now: Date.now(), sameProcess: 'share' })
  const store =
    options.store ??
    (await openDefaultStore(config.dataDir).catch((error: unknown) => {
      lock?.release()
      throw error
    }))
  if (!options.store) warnWideModes(config.dataDir, logger)
  const onError = (error: unknown) => logger.error({ err: error }, 'background task failed')
  const calendarExpander = defaultExpander()
  const services = createServices({
    store,
    bus: new InProcessChangeBus(onError),
    clock,
    settings: config,
    onError,
    expandCalendar: calendarExpander.expand,
    onSignIn: signInLogger(logger),
  })
  const firstStart = await initializeOnFirstStart(services, config)
  const restored = await restoreDurableState(services)
  services.audit.startPruning()
  services.integrations.startPruning()
  let draining = false
  const app = await createRestApp({
    services,
    logger,
    bodyLimitBytes: config.bodyLimitBytes,
    draining: () => draining,
    version,
    ...(config.metricsToken ? { metricsToken: config.metricsToken } : {}),
  })
  await registerWsRoutes(app, services)
  registerSseRoutes(app, services)
  let url: string
  try {
    // A deep accept queue: after a restart every client reconnects at once, and a SYN dropped from a
    // full queue costs that client a one-second retransmission.
    url = await app.listen({ host: config.host, port: config.port, backlog: listenBacklog })
  } catch (error) {
    // Nothing may keep running when the server cannot listen (a port in use, say).
    await stopServices(services)
    await calendarExpander.close()
    await app.close()
    await store.close()
    lock?.release()
    throw error
  }
  logger.info(
    { url, dataDir: config.dataDir, restoredPublications: restored },
    'Närvaro is listening',
  )
  let closing: Promise<void> | undefined
  const close = () =>
    (closing ??= (async () => {
      draining = true
      await app.close()
      await stopServices(services)
      await calendarExpander.close()
      await store.close()
      lock?.release()
      logger.info('Närvaro stopped')
    })())
  return { app, services, url, ...(firstStart ? { firstStart } : {}), close }
}
