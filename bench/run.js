#!/usr/bin/env node
// `npm run bench`: the benchmark users can run. Its scenarios (fan-out, reference relay, scale,
// connections, reconnect storm, slow watcher) are issue 5; until then this says so plainly.
process.stdout.write(
  'npm run bench: no benchmark scenarios yet; they are the work of issue 5 (see docs/status.md).\n',
)
