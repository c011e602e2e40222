/**
 * The dependency rules of docs/architecture.md, checked by test/build/dependency-rules.test.ts.
 * Dependencies flow inward toward domain/; `npx depcruise --config .dependency-cruiser.cjs <folders>`
 * prints what breaks them.
 */
/** Folders that ship in the production build. */
const PROD = '^(domain|workflows|activities|temporal|documents|db|api|worker|payer-sim|config|logging)/';
/** Our own code, as opposed to packages and Node built-ins. */
const OURS =
  '^(domain|workflows|activities|temporal|documents|db|api|web|worker|payer-sim|config|logging|scripts|bench|test)/';

/** A process's entry file: the one place that loads config/ and builds the logger. */
const ENTRY = '(^|/)(main|migrate-cli)\\.ts$';
const PROCESS_LEAVES = ['^config/', '^logging/'];

/**
 * `from` may import, of our folders, only its own and `allowed` (regexes on the path); its entry files
 * also config/ and logging/.
 */
function onlyImports(name, from, allowed, comment) {
  return [
    {
      name,
      comment,
      severity: 'error',
      from: { path: from, pathNot: ENTRY },
      to: { path: OURS, pathNot: [from, ...allowed] },
    },
    {
      name: `${name}-entry`,
      comment,
      severity: 'error',
      from: { path: `${from}.*${ENTRY}` },
      to: { path: OURS, pathNot: [from, ...allowed, ...PROCESS_LEAVES] },
    },
  ];
}

/** Entry points: only tests, scripts and benchmarks reach into them from outside. */
function noOneImports(folder) {
  return {
    name: `nothing-imports-${folder}`,
    comment: `${folder}/ is an entry point; only tests, scripts and benchmarks import it.`,
    severity: 'error',
    from: { path: PROD, pathNot: `^${folder}/` },
    to: { path: `^${folder}/` },
  };
}

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'A circle makes the modules of it one unit: nothing in it can be read, tested or moved alone.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...onlyImports('domain-is-pure', '^domain/', [], 'domain/ holds pure rules and imports nothing of ours.'),
    ...onlyImports(
      'workflows-deterministic',
      '^workflows/',
      ['^domain/', '^activities/'],
      'workflows/ is deterministic sandbox code: domain/ and activity types only.',
    ),
    {
      name: 'workflows-activity-types-only',
      comment:
        'Workflows call activities through proxies; importing activity values pulls I/O into the sandbox.',
      severity: 'error',
      from: { path: '^workflows/' },
      to: { path: '^activities/', dependencyTypesNot: ['type-only'] },
    },
    ...onlyImports(
      'activities-layer',
      '^activities/',
      ['^domain/', '^db/', '^temporal/', '^documents/', '^workflows/messages\\.ts$'],
      'activities/ touch the world through db/, temporal/ and documents/; they read message types.',
    ),
    ...onlyImports(
      'temporal-layer',
      '^temporal/',
      ['^domain/', '^workflows/messages\\.ts$', '^workflows/ids\\.ts$', '^workflows/search-attributes\\.ts$'],
      'temporal/ starts and reopens workflows by their messages and ids, never their code.',
    ),
    ...onlyImports(
      'documents-layer',
      '^documents/',
      ['^domain/'],
      'documents/ renders from domain types only.',
    ),
    ...onlyImports('db-layer', '^db/', ['^domain/'], 'db/ stores domain values and knows no caller.'),
    ...onlyImports(
      'api-layer',
      '^api/',
      [
        '^domain/',
        '^db/',
        '^temporal/',
        '^documents/',
        '^workflows/messages\\.ts$',
        '^workflows/(era-)?ids\\.ts$',
        ...PROCESS_LEAVES,
      ],
      'api/ talks to workflows through their messages only.',
    ),
    ...onlyImports(
      'worker-layer',
      '^worker/',
      ['^domain/', '^workflows/', '^activities/', '^temporal/', '^documents/', '^db/', ...PROCESS_LEAVES],
      'worker/ assembles everything but the API and the console.',
    ),
    ...onlyImports(
      'config-leaf',
      '^config/',
      [],
      'config/ is the only reader of process.env and imports nothing of ours.',
    ),
    ...onlyImports('logging-leaf', '^logging/', [], 'logging/ imports nothing of ours.'),
    ...onlyImports(
      'payer-sim-standalone',
      '^payer-sim/',
      ['^domain/x12/'],
      'payer-sim/ stands in for an outside clearinghouse: it shares only the X12 code.',
    ),
    noOneImports('api'),
    noOneImports('worker'),
    noOneImports('web'),
    {
      name: 'production-without-dev-dependencies',
      comment: 'The production image installs `dependencies` only.',
      severity: 'error',
      from: { path: PROD },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'resolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|dist|\\.data|\\.tools)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
    skipAnalysisNotInRules: false,
  },
};
