/**
 * The architecture's fence (docs/architecture.md draws it): `npm run check:layers` fails on any import that
 * crosses a layer the wrong way. Layers, lowest first:
 *   domain → db → repositories → signing, counting, notifications, archive, moderation, staff, open-data, transparency
 *   → commands → presenters → http → wiring → cli
 * SQL text lives only in repositories/ and db/ (checked by scripts/check-sql-home.ts beside this).
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment:
        'src/domain holds pure rules: it imports nothing of ours outside domain/ (npm packages and node: are fine).',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: '^src/domain/' },
    },
    {
      name: 'nothing-imports-cli',
      comment: 'src/cli holds entry points only.',
      severity: 'error',
      from: { pathNot: '^src/cli/' },
      to: { path: '^src/cli/' },
    },
    {
      name: 'only-the-top-imports-wiring',
      comment: 'src/wiring is the composition root: only cli/, tests and benchmarks use it.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(cli|wiring)/' },
      to: { path: '^src/wiring/' },
    },
    {
      name: 'http-writes-through-commands',
      comment:
        'Routes parse, authorise, call one command or one read, present: http never imports a repository write.',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: '^src/repositories/writes/' },
    },
    {
      name: 'http-holds-no-sql',
      comment: 'http builds no SQL: it may use Kysely types, never its values (sql, the builders).',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: 'node_modules/kysely/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'sql-only-in-repositories',
      comment: 'Only repositories/ and db/ (connection, migrations) may build SQL with kysely values.',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(repositories|db)/|\\.test\\.tsx?$' },
      to: { path: 'node_modules/kysely/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'lower-layers-do-not-import-http',
      comment:
        'Nothing below the web imports it (presenters are shared by http and open-data from src/presenters).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(http|wiring|cli)/' },
      to: { path: '^src/http/' },
    },
    {
      name: 'commands-are-not-imported-below',
      comment: 'Use cases sit above the modules they orchestrate.',
      severity: 'error',
      from: {
        path: '^src/(domain|db|repositories|signing|counting|notifications|archive|presenters|config)/',
      },
      to: { path: '^src/commands/' },
    },
    {
      name: 'no-folder-cycles',
      comment:
        'Folders form a directed graph: a cycle between two folders means a rule lives in the wrong one.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-module-cycles',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: ['^(dist|var|test-artifacts)/', '^test/', '\\.test\\.tsx?$'] },
  },
};
