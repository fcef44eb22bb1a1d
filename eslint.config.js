// Lint configuration: type-aware rules plus the layer boundaries of STYLE.md (imports point inward).
import js from '@eslint/js'
import tseslint from 'typescript-eslint'

const outward = (...layers) =>
  layers.map((layer) => ({
    group: [`**/${layer}/**`],
    message: `imports point inward: no ${layer}`,
  }))

const sdkOnly = 'the CLI talks to the server only through @narvaro/sdk'
const cliTransports = [
  'ws',
  'undici',
  'node:http',
  'node:https',
  'node:net',
  'eventsource-parser',
  'openapi-fetch',
].map((name) => ({ name, message: sdkOnly }))
const cliTransportPatterns = [{ group: ['undici/*', 'ws/*'], message: sdkOnly }]

const appThroughIndex = {
  regex: '^(\\.\\./)+app/[a-z-]+/(?!index\\.js$)',
  message: 'use an app concept through its index.js',
}

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'web/dist/**',
      'test-artifacts/**',
      'node_modules/**',
      'data/**',
      'coverage/**',
      'bench/results/**',
      'packages/*/dist/**',
      'packages/sdk/src/generated/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'no-restricted-exports': ['error', { restrictDefaultExports: { direct: true } }],
    },
  },
  {
    files: ['bench/**/*.js', 'bin/**/*.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    files: ['packages/sdk/scripts/**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', fetch: 'readonly', console: 'readonly' } },
  },
  {
    // The SDK runs in browsers and stands alone: no Node-only modules, nothing of the server.
    files: ['packages/sdk/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'the SDK runs in browsers: no Node-only imports' },
            {
              group: ['**/../src/**', '**/../../src/**'],
              message: 'the SDK is its own package: no server code',
            },
          ],
        },
      ],
      'max-lines': ['error', { max: 500, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // The web app runs in browsers and speaks to the server only through the SDK (@narvaro/sdk).
    files: ['web/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/src/**', '!./**', '**/packages/**'],
              message: 'the web app reaches the server only through @narvaro/sdk',
            },
            { group: ['node:*'], message: 'the web app runs in browsers' },
          ],
        },
      ],
      'max-lines': ['error', { max: 500, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['web/vite.config.ts'],
    rules: { 'no-restricted-imports': 'off', 'no-restricted-exports': 'off' },
  },
  {
    files: ['*.config.ts', '*.config.js'],
    rules: { 'no-restricted-exports': 'off' },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'the core has no I/O' },
            ...outward('ports', 'adapters', 'transports', 'server', 'app', 'cli'),
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'time comes in as an argument' },
        { name: 'setInterval', message: 'time comes in as an argument' },
        { name: 'process', message: 'the core has no I/O' },
        { name: 'console', message: 'the core has no I/O' },
        { name: 'fetch', message: 'the core has no I/O' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'time comes in as a now argument' },
        { object: 'Math', property: 'random', message: 'the core has no randomness' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'no clock reads in the core',
        },
      ],
    },
  },
  {
    files: ['src/ports/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: outward('adapters', 'transports', 'server', 'app', 'cli') },
      ],
    },
  },
  {
    files: ['src/app/*/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...outward('adapters', 'transports', 'server', 'cli'),
            // A concept reaches another only through its index: what the other chose to offer.
            {
              regex: '^\\.\\./(?!\\.\\.)[a-z-]+/(?!index\\.js$)',
              message: 'import another concept through its index.js',
            },
            {
              regex: '^\\.\\./services\\.js$',
              message: 'services.ts composes the concepts; no concept imports it',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/app/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...outward('adapters', 'transports', 'server', 'cli'),
            {
              regex: '^\\./[a-z-]+/(?!index\\.js$)',
              message: 'compose a concept through its index.js',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/adapters/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: outward('transports', 'server', 'app', 'cli') },
      ],
    },
  },
  {
    // Transports depend on the app and the core only: no port, and no route reaches the store.
    files: ['src/transports/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...outward('ports', 'adapters', 'server', 'cli'), appThroughIndex] },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='services'][property.name='store']",
          message: 'reach the store through an app service',
        },
        {
          selector:
            "VariableDeclarator[init.name='services'] > ObjectPattern > Property[key.name='store']",
          message: 'reach the store through an app service',
        },
      ],
    },
  },
  {
    // The CLI speaks to the server only through the SDK: no HTTP or WebSocket code of its own.
    // live-session.ts alone imports `ws`, to hand its WebSocket to the SDK (Node 20 has none).
    files: ['src/cli/**/*.ts'],
    ignores: ['src/cli/shared/live-session.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: cliTransports, patterns: cliTransportPatterns }],
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'talk to the server through @narvaro/sdk' },
        { name: 'WebSocket', message: 'talk to the server through @narvaro/sdk' },
        { name: 'EventSource', message: 'talk to the server through @narvaro/sdk' },
      ],
    },
  },
  {
    files: ['src/cli/shared/live-session.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: cliTransports.filter((path) => path.name !== 'ws'),
          patterns: cliTransportPatterns,
        },
      ],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      // STYLE.md: files under 300 lines, 500 at most.
      'max-lines': ['error', { max: 500, skipBlankLines: true, skipComments: true }],
      // STYLE.md: functions under 40 lines.
      'max-lines-per-function': ['error', { max: 40, skipBlankLines: true, skipComments: true }],
    },
  },
)
