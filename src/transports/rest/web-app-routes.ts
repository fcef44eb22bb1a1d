// Serves the built web app (web/dist, made by `npm run build`) at `/`: its files, and its index.html
// for the app's own paths; API paths keep their JSON 404. Transport.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import fastifyStatic from '@fastify/static'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { RestApp } from '../shared/rest-app-type.js'

/** web/dist from src/transports/rest and from dist/transports/rest alike (both 3 levels deep). */
export const webAppRoot = fileURLToPath(new URL('../../../web/dist/', import.meta.url))

/**
 * The app's pages run only their own script and speak only to this server (REST and the live
 * WebSocket); nothing is loaded from elsewhere, so the policy names no other origin.
 */
export const webAppCsp = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

/** Paths of the API and of the server's own pages: never answered with the app. */
const serverPaths = /^\/(v1|docs|openapi\.json|healthz|readyz|metrics)(\/|$|\?)/

/** Registers the app's files when it was built; answers whether it was. */
export const registerWebAppRoutes = async (app: RestApp, root = webAppRoot): Promise<boolean> => {
  if (!existsSync(`${root}index.html`)) return false
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: false,
    schemaHide: true,
    setHeaders: (res) => {
      res.setHeader('content-security-policy', webAppCsp)
      res.setHeader('x-content-type-options', 'nosniff')
    },
  })
  return true
}

/**
 * For a GET that no route answered: the app's index.html when it asks for a page of the app (it
 * accepts HTML and is not an API path), so a reload of `/board` works. Answers whether it replied.
 */
export const replyWithWebApp = (request: FastifyRequest, reply: FastifyReply): boolean => {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false
  if (serverPaths.test(request.url)) return false
  if (!(request.headers.accept ?? '').includes('text/html')) return false
  if (typeof reply.sendFile !== 'function') return false
  void reply.header('content-security-policy', webAppCsp).sendFile('index.html')
  return true
}
