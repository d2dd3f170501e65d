/**
 * The floors of the code base, enforced on every `npm test`:
 *
 *   top      src/cli (commands), src/library, src/index.ts, src/vitest.ts
 *   engines  conformance/, mocks/, src/engines/ (diff, docs, lint, traffic, types)
 *   core     src/core/ (contract model, validation, routes, auth, errors, paths)
 *
 * An import points down a floor or across within one, never up, and nothing imports in a circle
 * (type-only imports included: a cycle of types is still a cycle a reader has to untangle).
 */
const CORE = '^src/core/';
const ENGINES = '^(conformance|mocks|src/engines)/';
const TOP = '^src/(cli/|library/|index\\.ts$|vitest\\.ts$)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Modules that import each other (directly or through others) cannot be read or changed one at a time.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-stays-core',
      severity: 'error',
      comment: 'The core (contract model, validation, routes, auth) imports nothing above it: every engine builds on it.',
      from: { path: CORE },
      to: { path: `${ENGINES}|${TOP}|^generated/` },
    },
    {
      name: 'engines-do-not-import-the-top',
      severity: 'error',
      comment: 'Engines know nothing of the CLI or the library that are built on them.',
      from: { path: ENGINES },
      to: { path: TOP },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing is a typo or a file that moved.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // Type-only imports count: they bind modules together as much as value imports do.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.json'] },
    exclude: { path: '^(node_modules|dist)/' },
    // Generated types are data: imported, never looked into.
    doNotFollow: { path: '^(node_modules|generated)/' },
  },
};
