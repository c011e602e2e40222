/**
 * The shape of api/ that keeps it easy to enter: nothing but main.ts imports app.ts (the routes and
 * plugins take their types from types.ts, so there is no import circle through the app), no route
 * imports another route, and each route imports only its own schema file and schemas/common.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const API = join(import.meta.dirname, '..', '..', 'api');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const importsOf = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(/^(?:import|export)[^'"]*from '([^']+)'/gm)].map((m) => m[1]!);

describe('api/ layout', () => {
  it('only main.ts imports app.ts', () => {
    const importers = filesUnder(API)
      .filter((f) => importsOf(f).some((i) => /(^|\/)app\.js$/.test(i)))
      .map((f) => relative(API, f));
    expect(importers).toEqual(['main.ts']);
  });

  it('a route imports no other route, and of the schemas only its own file and common.ts', () => {
    const problems: string[] = [];
    for (const file of filesUnder(join(API, 'routes'))) {
      const own = relative(join(API, 'routes'), file);
      for (const spec of importsOf(file)) {
        if (spec.startsWith('./')) problems.push(`${own} imports the route ${spec}`);
        const schema = /^\.\.\/schemas\/(.+)$/.exec(spec)?.[1];
        if (schema && schema !== 'common.js' && schema !== own.replace(/\.ts$/, '.js'))
          problems.push(`${own} imports the schema file ${schema}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('schemas import no plugin, route or app module', () => {
    const problems = filesUnder(join(API, 'schemas')).flatMap((f) =>
      importsOf(f)
        .filter((spec) => /^\.\.\/(plugins|routes)\/|^\.\.\/(app|types|views)\.js$/.test(spec))
        .map((spec) => `${relative(API, f)} imports ${spec}`),
    );
    expect(problems).toEqual([]);
  });
});
