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

/** The store, and the lock on its data directory when the server opens the default store itself. */
const openStore = async (
  options: NarvaroServerOptions,
  logger: Logger,
): Promise<{ store: NarvaroStore; lock: DataDirLock | undefined }> => {
  const { config } = options
  if (options.store) return { store: options.store, lock: undefined }
  // Held while the server runs on its data directory, so offline commands refuse meanwhile.
  const lock = lockDataDir(config.dataDir, { now: Date.now(), sameProcess: 'share' })
  const store = await openDefaultStore(config.dataDir).catch((error: unknown) => {
    lock.release()
    throw error
  })
  warnWideModes(config.dataDir, logger)
  return { store, lock }
}

/** The app services on the in-process bus, with the calendar expander they use. */
const composeServices = (input: {
  store: NarvaroStore
  clock: Clock
  config: NarvaroConfig
  logger: Logger
}): { services: NarvaroServices; expander: Expander } => {
  const { logger } = input
  const onError = (error: unknown) => logger.error({ err: error }, 'background task failed')
  const expander = defaultExpander()
  const services = createServices({
    store: input.store,
    bus: new InProcessChangeBus(onError),
    clock: input.clock,
    settings: input.config,
    onError,
    expandCalendar: expander.expand,
    onSignIn: signInLogger(logger),
  })
  return { services, expander }
}

/** The calendar expander of the services, which the server closes when it stops. */
type Expander = ReturnType<typeof defaultExpander>

/** What a running server holds, and releases when it stops. */
interface Running {
  readonly services: NarvaroServices
  readonly expander: Expander
  readonly app: RestApp
  readonly store: NarvaroStore
  readonly lock: DataDirLock | undefined
}

/** The Fastify app with every transport: REST, WebSocket and SSE. */
const createApp = async (
  services: NarvaroServices,
  options: { config: NarvaroConfig; logger: Logger; draining: () => boolean },
): Promise<RestApp> => {
  const { config } = options
  const app = await createRestApp({
    services,
    logger: options.logger,
    bodyLimitBytes: config.bodyLimitBytes,
    draining: options.draining,
    version,
    ...(config.metricsToken ? { metricsToken: config.metricsToken } : {}),
  })
  await registerWsRoutes(app, services)
  registerSseRoutes(app, services)
  return app
}

/** Listens; when it cannot (a port in use, say), nothing may keep running. */
const listen = async (running: Running, config: NarvaroConfig): Promise<string> => {
  try {
    // A deep accept queue: after a restart every client reconnects at once, and a SYN dropped from a
    // full queue costs that client a one-second retransmission.
    return await running.app.listen({
      host: config.host,
      port: config.port,
      backlog: listenBacklog,
    })
  } catch (error) {
    await stopServices(running.services)
    await running.expander.close()
    await running.app.close()
    await running.store.close()
    running.lock?.release()
    throw error
  }
}

/** A graceful stop, run once however often it is asked for: draining first, then the app. */
const closeOnce = (running: Running, options: { logger: Logger; drain: () => void }) => {
  let closing: Promise<void> | undefined
  return () =>
    (closing ??= (async () => {
      options.drain()
      await running.app.close()
      await stopServices(running.services)
      await running.expander.close()
      await running.store.close()
      running.lock?.release()
      options.logger.info('Närvaro stopped')
    })())
}

export const startServer = async (options: NarvaroServerOptions): Promise<NarvaroServer> => {
  const { config } = options
  const logger = options.logger ?? createLogger(config.logLevel)
  const clock = options.clock ?? new SystemClock()
  const { store, lock } = await openStore(options, logger)
  const { services, expander } = composeServices({ store, clock, config, logger })
  const firstStart = await initializeOnFirstStart(services, config)
  const restored = await restoreDurableState(services)
  services.audit.startPruning()
  services.integrations.startPruning()
  let draining = false
  const app = await createApp(services, { config, logger, draining: () => draining })
  const running: Running = { services, expander, app, store, lock }
  const url = await listen(running, config)
  logger.info(
    { url, dataDir: config.dataDir, restoredPublications: restored },
    'Närvaro is listening',
  )
  const close = closeOnce(running, { logger, drain: () => (draining = true) })
  return { app, services, url, ...(firstStart ? { firstStart } : {}), close }
}
