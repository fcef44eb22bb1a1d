// The types of netns.js (a network of network namespaces joined by a bridge).
import type { ChildProcess } from 'node:child_process'

export interface Host {
  readonly ns: string
  /** The host's interface on the link. */
  readonly iface: string
  readonly address: string
}

export interface Link {
  readonly hosts: readonly Host[]
  /** Runs a program in a host's namespace. */
  spawn(host: Host, command: string, args: readonly string[], env?: NodeJS.ProcessEnv): ChildProcess
  /** A second network between hosts `a` and `b` only (a direct wire): their addresses on it. */
  wire(a: number, b: number): { readonly a: string; readonly b: string }
  /** Runs a program in a host's namespace to its end; its stdout. */
  run(host: Host, command: string, args: readonly string[], env?: NodeJS.ProcessEnv): string
  destroy(): void
}

/** Creates `count` hosts on one bridged link, 10.<n>.0.1 and up (root only). */
export declare const createLink: (count: number) => Link
