/**
 * Installs what the test suite and `npm start` need beyond npm packages: the Temporal CLI and the Java
 * time-skipping test server, cached under `.tools/`. Idempotent: a second run only checks paths.
 */
import { installTemporalCli, installTestServer } from './infra/tools.js';

const cli = installTemporalCli();
const testServer = installTestServer();
console.log(
  `temporal CLI: ${cli ?? 'SDK download fallback'}; test server: ${testServer ?? 'SDK download fallback'}`,
);
