// Makes sure dist/ (the compiled server the bench starts) exists and is not older than src/: runs
// `npm run build` when needed; a failing build with an existing dist/ is reported, not fatal.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import process from 'node:process'
import { repoRoot } from './targets.js'

const newest = (dir) => {
  let latest = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs)
  }
  return latest
}

/** @returns {string} what was done, for the results file */
export const ensureBuild = () => {
  const entry = join(repoRoot, 'dist', 'cli', 'main.js')
  const missing = !existsSync(entry)
  if (!missing && newest(join(repoRoot, 'src')) <= statSync(entry).mtimeMs)
    return 'dist/ up to date'
  process.stderr.write(
    `bench: dist/ is ${missing ? 'missing' : 'older than src/'}: npm run build\n`,
  )
  const build = spawnSync('npm', ['run', 'build'], {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  if (build.status === 0) return 'built with npm run build'
  if (missing) throw new Error('npm run build failed and there is no dist/ to run')
  process.stderr.write('bench: npm run build failed; measuring the existing dist/ instead\n')
  return 'npm run build failed: measured the existing dist/'
}

/** The commit measured, and the source files that differed from it (others may be editing). */
export const sourceState = () => {
  const git = (...args) => execFileSync('git', args, { cwd: repoRoot, encoding: 'utf8' }).trimEnd()
  try {
    const changed = git('status', '--porcelain', '--', 'src').split('\n').filter(Boolean)
    return { commit: git('rev-parse', 'HEAD'), changedSourceFiles: changed.map((l) => l.slice(3)) }
  } catch {
    return { commit: 'unknown', changedSourceFiles: [] }
  }
}
