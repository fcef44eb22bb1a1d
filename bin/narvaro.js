#!/usr/bin/env node
// The `narvaro` executable (CLI layer): runs the compiled CLI (`npm run build`) with its exit code.
import process from 'node:process'
import { setTimeout } from 'node:timers'
import { main } from '../dist/cli/main.js'

const code = await main(process.argv)
// A server that stopped itself for a failure (it fell behind its cluster) keeps the failure's code.
process.exitCode = code === 0 && process.exitCode ? process.exitCode : code
// A handle some library left open must not keep a finished command alive.
setTimeout(() => process.exit(), 2000).unref()
