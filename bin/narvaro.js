#!/usr/bin/env node
// The `narvaro` executable (CLI layer): runs the compiled CLI (`npm run build`) with its exit code.
import process from 'node:process'
import { setTimeout } from 'node:timers'
import { main } from '../dist/cli/main.js'

process.exitCode = await main(process.argv)
// A handle some library left open must not keep a finished command alive.
setTimeout(() => process.exit(), 2000).unref()
