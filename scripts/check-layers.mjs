#!/usr/bin/env node
/**
 * Runs dependency-cruiser (the architecture's fence, rules in .dependency-cruiser.cjs) over src/.
 *
 * The project compiles with TypeScript 7 (the native compiler), whose npm package no longer carries the JavaScript
 * compiler API that dependency-cruiser parses TypeScript with. TypeScript 5.9 is installed beside it under the name
 * `typescript-5`, and this resolve hook hands it to dependency-cruiser alone, so its `import('typescript')` gets a
 * parser while everything else keeps TypeScript 7.
 */
import Module, { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
    export async function resolve(specifier, context, next) {
      if (specifier === 'typescript' && context.parentURL && context.parentURL.includes('/dependency-cruiser/'))
        return next('typescript-5', context);
      return next(specifier, context);
    }`)}`,
  import.meta.url,
);
// the version check reads typescript/package.json through require(): point that at the same copy
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  const fromCruiser = parent?.filename?.includes('/dependency-cruiser/');
  const renamed =
    fromCruiser && /^typescript(\/|$)/.test(request)
      ? request.replace(/^typescript/, 'typescript-5')
      : request;
  return resolveFilename.call(this, renamed, parent, ...rest);
};
process.argv = [
  process.argv[0],
  'depcruise',
  'src',
  '--config',
  '.dependency-cruiser.cjs',
  ...process.argv.slice(2),
];
await import(new URL('../node_modules/dependency-cruiser/bin/dependency-cruise.mjs', import.meta.url).href);
