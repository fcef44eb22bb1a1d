// The flags of `npm run bench` and the defaults of each scenario (sized to finish in a few minutes
// on a 2-core machine); bench support.

export const scenarios = [
  'fanout',
  'scale',
  'connections',
  'reconnect',
  'slow',
  'who',
  'integrations',
  'board-paint',
  'xmpp-fanout',
  'sip-fanout',
  'link-fanout',
]

/** Defaults per scenario; a flag given on the command line wins. */
const defaults = {
  common: { workers: 2, rate: 10_000, timeout: 120, relay: true, pin: true, concurrency: 100 },
  fanout: { users: [1000], k: [50], m: 5, warmup: 1, slices: 5 },
  'xmpp-fanout': { users: [1000], k: [50], m: 5, warmup: 1 },
  'sip-fanout': { users: [1000], k: [50], m: 5, warmup: 1 },
  'link-fanout': { users: [9], k: [8], m: 20, interval: 500 },
  scale: { users: [1000], k: [10, 50, 200], duration: 10 },
  connections: { users: [1000], sessions: 10_000, k: [20], settle: 30 },
  reconnect: { users: [1000], sessions: 1000, k: [50], concurrency: 1000, grace: 60, rounds: 1 },
  slow: {
    users: [100],
    k: [50],
    rate: 20_000,
    duration: 45,
    slowFraction: 0.2,
    noteBytes: 500,
    heartbeat: 600,
  },
  who: {
    users: [10_000],
    k: [10],
    askInterval: 500,
    ask: 'pages',
    online: 0.2,
    askers: 20,
    repeats: 200,
    changeRate: 200,
    duration: 20,
    rounds: 1,
    relay: false,
  },
  integrations: {
    users: [10_000],
    k: [20],
    sessions: 1000,
    posters: 4,
    batch: 500,
    duration: 15,
    schedules: 10_000,
    lead: 80,
    resumeWindow: 20,
    relay: false,
  },
  'board-paint': { users: [1000], k: [50, 500], runs: 10, relay: false },
}

export const help = `npm run bench -- [flags]

  --scenario LIST     all (default: every scenario, about 20 minutes), or a comma list of
                      fanout, scale, connections, reconnect, slow, who, integrations, board-paint,
                      xmpp-fanout, sip-fanout (the fanout shape with Närvaro's load over XMPP, SIP),
                      link-fanout (P \`narvaro peer\` processes in network namespaces; needs root)
  --users N[,N...]    users in the ring (fanout, xmpp- and sip-fanout 1000; scale 1000, e.g. 1000,10000,50000;
                      connections/reconnect 1000; slow 100); who: the organization and its
                      big team (10000); integrations: the people called and with hours (10000)
  --k K[,K...]        presentities each connection watches: ring neighbours i±1..i±K/2
                      (fanout, xmpp- and sip-fanout 50; scale 10,50,200; connections 20; reconnect 50; slow 50);
                      integrations: people each watcher watches, a block of the users (20);
                      board-paint: people the signed-in user watches on the board (50,500)
  --interval MS       link-fanout: each peer publishes a change every MS ms (500); --users is
                      the number of peers (9, odd: the ring of the relay needs an even K) and each watches all the others
  --runs R            board-paint: measured page loads per K, after one warm-up (10)
  --m M               changes each user publishes per phase (fanout 5: 10,000/s for 25 s)
  --rate R            notifications per second offered in paced phases (10000; slow 20000)
  --duration S        seconds of the paced phase of scale (10), slow (45) and who (20), and of
                      posting call events in integrations (15)
  --sessions S        WebSocket sessions (connections 10000; reconnect 1000), spread over the users;
                      integrations: watchers, one per user (1000)
  --slow-fraction F   share of watchers that stop reading in the slow scenario (0.2)
  --heartbeat S       NARVARO_HEARTBEAT of the slow scenario (600, so that dead-peer detection
                      does not close the paused watchers during the run; the server default is 30)
  --note-bytes B      pad each published note to B characters (slow 500, others none; at most 500)
  --online F          who: share of the users online, publishing through the load workers (0.2)
  --askers A          who: live queries open on the big team, one per asker (20; at most 20
                      per asker is the server's limit, so each asker is another user)
  --repeats R         who: times each snapshot query is asked, after one cold query (200)
  --change-rate C     who: availability changes per second while the live queries are open (200)
  --ask-interval MS   who: each of the 20 snapshot askers asks every MS ms while the watchers'
                      latency is measured beside them (500)
  --ask pages|whole   who: what those askers ask besides the available: the first page of 500 of
                      everyone (pages, the default), or everyone at once (whole, as a server
                      without paging is asked)
  --posters P         integrations: integrations posting call events at once, one batch in flight
                      each (4)
  --batch B           integrations: events per request (500, the server's limit)
  --schedules E       integrations: weekly schedule entries seeded for the start-cost comparison
                      (10000, spread over the users)
  --lead S            integrations: working hours end at the first whole UTC minute at least S
                      seconds after setup (80: room for the events phase and the second start)
  --resume-window S   integrations: the events server's NARVARO_RESUME_WINDOW (20); its memory is
                      read again once that window has passed after the last event
  --workers W         load-generator processes (2), all pinned to the load core
  --concurrency C     connections each worker opens at once (100; reconnect 1000)
  --settle S          seconds at rest before memory is read at steady state (connections 30:
                      V8's memory reducer compacts the old generation once allocation stays low;
                      after 5 s, 19,000 sessions × 50 left ~70 MB of half-empty pages held)
  --timeout S         limit of every phase, in seconds (120); what completed is reported
  --nodes N           fanout, reconnect, who: run Närvaro as a cluster of N nodes behind one port
                      (\`serve --workers N\`) on PostgreSQL and Redis (NARVARO_BENCH_DATABASE_URL,
                      default postgres://postgres@127.0.0.1:5432/test; NARVARO_BENCH_REDIS_URL,
                      default redis://127.0.0.1:6379/9, flushed), with users seeded there; --nodes 1
                      is the same setup with one node (without the flag: one process pinned to its
                      core, on its SQLite copy)
  --warmup W          fanout, xmpp- and sip-fanout: changes per user published at the paced rate
                      before the measured phases, on each side (1: 5 s at the default shape, as
                      long as V8 takes to optimize the publication path); its figures are reported
                      apart; 0 measures from a cold start
  --slices S          fanout with the relay: the paced phase measured in S slices that alternate
                      between Närvaro and the relay, both running (5: one change per user a slice;
                      at most M, and dividing it); 1 measures each server's paced phase whole, one
                      after the other
  --rounds R          reconnect: storms per target, alternating Närvaro and the relay (1); the
                      table sums their counts and CPU and takes the median storm's time, and a
                      second table shows each round (the machine's speed drifts between storms);
                      who: the watchers alone and beside the askers R times each, in turn, pooled
  --grace S           reconnect: Närvaro's grace period (NARVARO_GRACE_PERIOD, 60 s): longer than the
                      storm, so that it measures reconnecting (the relay never takes anyone
                      offline); at the server's default of 15 s a storm that the load generator
                      needs longer for also retracts and republishes everyone it has not reached
  --no-relay          do not run the reference relay
  --no-pin            do not pin processes with taskset
  --cpu-prof          profile the server process (--cpu-prof) and print its top functions
  --alloc-prof        fanout, reconnect, who: sample what the server allocates in the fanout phases,
                      the storm, or the phases beside the watchers (V8's sampling heap profiler,
                      collected objects included) and print it by function
  --survivors         with --alloc-prof: count only what outlived the young generation (what the
                      scavenges copy and promote)
  --heap-census       connections: count the server's heap (a heap snapshot) before and after
                      connecting, and print what each session added, by kind of object
  --fresh-setup       recreate the cached bench users (template database in the temp directory)
  --out FILE          where to write the JSON results (default bench/results/<date>-<scenarios>.json)
  --help
`

const listFlags = new Set(['users', 'k'])
const camel = (flag) => flag.replace(/-([a-z])/g, (_, c) => c.toUpperCase())

/** Parses `argv` (after `node bench/run.js`) into flags; throws on an unknown or bad flag. */
export const parseFlags = (argv) => {
  const flags = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (!arg.startsWith('--')) throw new Error(`unexpected argument ${arg}`)
    const [name, inline] = arg.slice(2).split('=', 2)
    if (['no-relay', 'no-pin'].includes(name)) flags[camel(name.slice(3))] = false
    else if (
      ['cpu-prof', 'fresh-setup', 'help', 'heap-census', 'alloc-prof', 'survivors'].includes(name)
    )
      flags[camel(name)] = true
    else {
      const value = inline ?? argv[++i]
      if (value === undefined) throw new Error(`--${name} needs a value`)
      flags[camel(name)] = parseValue(name, value)
    }
  }
  return flags
}

const known = new Set([
  'scenario',
  'users',
  'k',
  'm',
  'rate',
  'duration',
  'sessions',
  'slow-fraction',
  'note-bytes',
  'workers',
  'concurrency',
  'settle',
  'timeout',
  'heartbeat',
  'online',
  'askers',
  'repeats',
  'change-rate',
  'ask-interval',
  'ask',
  'interval',
  'posters',
  'batch',
  'schedules',
  'lead',
  'resume-window',
  'runs',
  'nodes',
  'warmup',
  'slices',
  'rounds',
  'grace',
  'out',
])

const parseValue = (name, value) => {
  if (!known.has(name)) throw new Error(`unknown flag --${name} (see --help)`)
  if (name === 'scenario' || name === 'out') return value
  if (name === 'ask') {
    if (!['pages', 'whole'].includes(value)) throw new Error('--ask is pages or whole')
    return value
  }
  const numbers = value.split(',').map(Number)
  if (name === 'warmup' && numbers.length === 1 && numbers[0] === 0) return 0
  if (numbers.some((n) => !Number.isFinite(n) || n <= 0))
    throw new Error(`--${name} needs positive numbers`)
  if (!listFlags.has(name) && numbers.length > 1) throw new Error(`--${name} takes one number`)
  return listFlags.has(name) ? numbers : numbers[0]
}

/** The scenarios to run, in order. */
export const selectedScenarios = (flags) => {
  const names = (flags.scenario ?? 'all').split(',')
  const list = names.includes('all') ? scenarios : names
  for (const name of list)
    if (!scenarios.includes(name)) throw new Error(`unknown scenario ${name}`)
  return list
}

/** The options of one scenario: its defaults, overridden by the flags given. */
export const optionsFor = (scenario, flags) => {
  const { scenario: _s, ...given } = flags
  const options = { ...defaults.common, ...defaults[scenario], ...given }
  for (const k of options.k) if (k % 2 !== 0) throw new Error(`--k ${k}: must be even (i±1..i±K/2)`)
  return options
}
