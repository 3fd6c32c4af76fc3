/**
 * The dependency rule of docs/ARCHITECTURE.md, checked in CI (`npm run deps`):
 * - the shared vocabulary below the stages (model, fs, formats, net, secrets, markdown, gateway, python) imports no stage;
 * - each stage imports only earlier stages: config → probes → evidence → render → rewrite →
 *   check → refresh → init → site → cli (upgrade sits between evidence and render);
 * - nothing in src/ imports src/lab/ (the lab is for the demo and the tests) but the lab itself and
 *   the upgrade-preview command (a preview is a second lab on the team's own files);
 * - no cycles of code-loading imports (see the rule).
 * Type-only imports count: a type from a later stage is a back edge too.
 *
 * Edges that break the rule today are listed in .dependency-cruiser-known-violations.json and
 * reported as warnings; any other edge that breaks it fails the check. Remove an edge, then
 * regenerate the list with `npm run deps:baseline`: the list only ever shrinks.
 */
const LEAVES = ['model', 'fs', 'formats', 'net', 'secrets', 'markdown', 'gateway', 'python'];
const STAGES = ['config', 'probes', 'evidence', 'upgrade', 'render', 'rewrite', 'check', 'refresh', 'init', 'site', 'cli'];

const folder = (name) => `^src/${name}/`;

const stageRules = STAGES.flatMap((stage, i) =>
  STAGES.slice(i + 1).map((later) => ({
    name: `${stage}-not-${later}`,
    comment: `${stage} is an earlier stage than ${later}: data flows one way.`,
    severity: 'error',
    from: { path: folder(stage) },
    to: { path: folder(later) },
  })),
);

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment:
        'A cycle ties modules that should be apart. Only edges that load code count: a lazy import() (the registry loads a probe’s code on demand) and a type-only import (erased at run time; a probe reads the Config type its registry’s option schemas give) are not part of a cycle.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['dynamic-import', 'type-only'] } },
    },
    {
      name: 'leaves-import-no-stage',
      comment: `${LEAVES.join(', ')} are shared vocabulary below every stage.`,
      severity: 'error',
      from: { path: `^src/(${LEAVES.join('|')})/` },
      to: { path: `^src/(${[...STAGES, 'lab'].join('|')})/` },
    },
    {
      name: 'nothing-imports-the-lab',
      comment: 'The lab (and its test doubles) exists for the demo and the tests; the product starts one only to preview an upgrade (src/cli/upgrade-preview.ts).',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/lab/', '^src/cli/upgrade-preview\\.ts$'] },
      to: { path: '^src/lab/' },
    },
    ...stageRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.mjs', '.js'] },
    exclude: { path: ['\\.astro$', 'src/content\\.config\\.ts$', 'src/site/virtual\\.d\\.ts$'] },
  },
};
