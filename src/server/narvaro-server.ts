// The composition root: picks the adapters (SQLite store, in-process bus, system clock), builds the app
// services and the transports, restores durable state, listens, and shuts down gracefully.
import { join } from 'node:path'
import type { Logger } from 'pino'
import { defaultExpander } from '../app/calendar/index.js'
import { createServices, restoreDurableState, stopServices } from '../app/services.js'
import type { NarvaroServices } from '../app/services.js'
import { InProcessChangeBus } from '../adapters/bus/in-process/in-process-bus.js'
import { SystemClock } from '../adapters/clock/system-clock.js'
import { openPostgresStore } from '../adapters/store/postgres/postgres-store.js'
import { openSqliteStore } from '../adapters/store/sqlite/sqlite-store.js'
import type { Clock } from '../ports/clock.js'
import type { NarvaroStore } from '../ports/narvaro-store.js'
import { createRestApp } from '../transports/rest/rest-app.js'
import type { RestApp } from '../transports/rest/rest-app.js'
import { registerSseRoutes } from '../transports/sse/sse-routes.js'
import { registerWsRoutes } from '../transports/ws/ws-routes.js'
import { startXmppGateway, type XmppGateway } from '../transports/xmpp/xmpp-gateway.js'
import { SipGateway } from '../transports/sip/sip-gateway.js'
import { scramIterations } from '../app/accounts/index.js'
import { tlsCredentials } from './tls-credentials.js'
import { openCluster, type ClusterNode } from './cluster.js'
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
  /** False in a worker of `serve --workers`: the primary process holds the data directory. */
  readonly lockDataDir?: boolean
  /** The first admin's address on first start (a peer's person); `admin@<domain>` by default. */
  readonly firstAdminAddress?: string
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
  /** The XMPP gateway, when NARVARO_XMPP_PORT is set. */
  readonly xmpp?: XmppGateway
  /** The SIP gateway, when NARVARO_SIP_PORT is set. */
  readonly sip?: SipGateway
  readonly firstStart?: FirstStart
  close(): Promise<void>
}

/** The store of the configuration: PostgreSQL at `databaseUrl`, else SQLite in the data directory. */
export const openDefaultStore = async (
  dataDir: string,
  databaseUrl?: string,
): Promise<NarvaroStore> => {
  const store =
    databaseUrl !== undefined
      ? await openPostgresStore({ url: databaseUrl })
      : await openSqliteStore({ file: join(dataDir, 'narvaro.db') })
  try {
    await store.migrate()
  } catch (error) {
    await store.close().catch(() => undefined)
    throw error
  }
  return store
}

/** Creates the first organization and admin when the store has no user at all. */
const initializeOnFirstStart = async (
  services: NarvaroServices,
  config: NarvaroConfig,
  adminAddress?: string,
): Promise<FirstStart | undefined> => {
  if ((await services.store.countUsers()) > 0) return undefined
  const result = await services.auth.initialize({
    domain: config.domain,
    ...(adminAddress ? { adminAddress } : {}),
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
  const lock =
    options.lockDataDir === false
      ? undefined
      : lockDataDir(config.dataDir, { now: Date.now(), sameProcess: 'share' })
  const store = await openDefaultStore(config.dataDir, config.databaseUrl).catch(
    (error: unknown) => {
      lock?.release()
      throw error
    },
  )
  warnWideModes(config.dataDir, logger)
  return { store, lock }
}

/** The app services on the in-process bus (or the cluster's), with the calendar expander they use. */
const composeServices = (input: {
  store: NarvaroStore
  clock: Clock
  config: NarvaroConfig
  logger: Logger
  cluster: ClusterNode | undefined
}): { services: NarvaroServices; expander: Expander } => {
  const { logger, cluster } = input
  const onError = (error: unknown) => logger.error({ err: error }, 'background task failed')
  const expander = defaultExpander()
  const services = createServices({
    store: input.store,
    bus: cluster?.bus ?? new InProcessChangeBus(onError),
    ...(cluster ? { cluster: { node: cluster.node, epoch: cluster.epoch } } : {}),
    clock: input.clock,
    settings: input.config,
    onError,
    expandCalendar: expander.expand,
    onSignIn: signInLogger(logger),
  })
  return { services, expander }
}

/** The cluster node, when a Redis URL is set; a node that cannot reach Redis does not start. */
const openClusterOf = async (
  config: NarvaroConfig,
  logger: Logger,
  opened: { store: NarvaroStore; lock: DataDirLock | undefined },
): Promise<ClusterNode | undefined> => {
  if (config.redisUrl === undefined) return undefined
  try {
    return await openCluster(config.redisUrl, logger)
  } catch (error) {
    await opened.store.close()
    opened.lock?.release()
    throw error
  }
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
  readonly cluster: ClusterNode | undefined
  xmpp?: XmppGateway
  sip?: SipGateway
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
  registerWsRoutes(app, services)
  registerSseRoutes(app, services)
  return app
}

/** The XMPP gateway, when its port is set, with the configured or a self-signed certificate. */
const startXmpp = async (
  services: NarvaroServices,
  config: NarvaroConfig,
  logger: Logger,
): Promise<XmppGateway | undefined> => {
  if (config.xmppPort === undefined) return undefined
  return startXmppGateway(services, {
    host: config.host,
    port: config.xmppPort,
    ...(config.xmppDirectTlsPort !== undefined ? { directTlsPort: config.xmppDirectTlsPort } : {}),
    tls: config.xmppTls,
    headerTimeoutMs: config.xmppHeaderTimeoutMs,
    credentials: await tlsCredentials(
      {
        gateway: 'XMPP',
        certVariable: 'NARVARO_XMPP_CERT_FILE',
        certFile: config.xmppCertFile,
        keyFile: config.xmppKeyFile,
        directory: join(config.dataDir, 'xmpp-tls'),
        domain: config.domain,
      },
      logger,
    ),
    scramIterations,
  })
}

/** The SIP gateway, when its port is set; over TLS too when its TLS port is. */
const startSip = async (
  services: NarvaroServices,
  config: NarvaroConfig,
  logger: Logger,
): Promise<SipGateway | undefined> => {
  if (config.sipPort === undefined) return undefined
  const tls =
    config.sipTlsPort === undefined
      ? undefined
      : {
          port: config.sipTlsPort,
          ...(await tlsCredentials(
            {
              gateway: 'SIP',
              certVariable: 'NARVARO_SIP_CERT_FILE',
              certFile: config.sipCertFile,
              keyFile: config.sipKeyFile,
              directory: join(config.dataDir, 'sip-tls'),
              domain: config.domain,
            },
            logger,
          )),
        }
  return SipGateway.start(services, {
    host: config.host,
    port: config.sipPort,
    ...(config.sipDigest ? { digestAlgorithms: config.sipDigest } : {}),
    ...(config.sipMinExpires ? { minExpires: config.sipMinExpires } : {}),
    ...(tls ? { tls } : {}),
    onError: services.onError,
  })
}

/** The XMPP and SIP gateways, when their ports are set; when one cannot start, nothing runs. */
const startGateways = async (
  running: Running,
  config: NarvaroConfig,
  on: { logger: Logger; close: () => Promise<void> },
): Promise<void> => {
  try {
    running.xmpp = await startXmpp(running.services, config, on.logger)
    running.sip = await startSip(running.services, config, on.logger)
  } catch (error) {
    await on.close()
    throw error
  }
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
    await running.cluster?.leave()
    await stopServices(running.services)
    await running.cluster?.close()
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
      await running.xmpp?.stop()
      await running.sip?.stop()
      await running.app.close()
      await running.cluster?.leave()
      await stopServices(running.services)
      await running.cluster?.close()
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
  const cluster = await openClusterOf(config, logger, { store, lock })
  const { services, expander } = composeServices({ store, clock, config, logger, cluster })
  const firstStart = await initializeOnFirstStart(services, config, options.firstAdminAddress)
  let draining = false
  const app = await createApp(services, { config, logger, draining: () => draining })
  // After the app's long synchronous build (its schemas compile when it gets ready), so the new lease
  // is renewed on time from the start.
  await app.ready()
  await cluster?.join(services, config.nodeLeaseMs)
  const restored = await restoreDurableState(services)
  services.audit.startPruning()
  services.integrations.startPruning()
  const running: Running = { services, expander, app, store, lock, cluster }
  const url = await listen(running, config)
  const close = closeOnce(running, { logger, drain: () => (draining = true) })
  await startGateways(running, config, { logger, close })
  const gateways = {
    xmppPort: running.xmpp?.port,
    sipPort: running.sip?.port,
    sipTlsPort: running.sip?.tlsPort,
  }
  logger.info(
    { url, dataDir: config.dataDir, restoredPublications: restored, ...gateways },
    'Närvaro is listening',
  )
  return {
    app,
    services,
    url,
    ...(running.xmpp ? { xmpp: running.xmpp } : {}),
    ...(running.sip ? { sip: running.sip } : {}),
    ...(firstStart ? { firstStart } : {}),
    close,
  }
}
