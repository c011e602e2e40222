/**
 * `npm run fuzz:api [-- --runs 500] [--seed 123]`: the long schema-driven fuzz run of the API's OpenAPI
 * document (test/api/openapi-fuzz.test.ts) against a real stack. `npm test` runs the same file briefly.
 * The run count and seed reach the test process through its environment.
 */
import { parseArgs } from 'node:util';
import { startVitest } from 'vitest/node';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '300' }, seed: { type: 'string' } },
  strict: true,
});
if (!/^\d+$/.test(values.runs)) {
  console.error(`--runs must be a whole number, got "${values.runs}"`);
  process.exit(2);
}
process.env.FUZZ_API_RUNS = values.runs;
if (values.seed !== undefined) process.env.FUZZ_API_SEED = values.seed;

const vitest = await startVitest('test', ['test/api/openapi-fuzz.test.ts'], { run: true, watch: false });
await vitest.close();
const failed = vitest.state.getCountOfFailedTests() > 0 || vitest.state.getUnhandledErrors().length > 0;
process.exit(failed ? 1 : 0);
