/**
 * Installs what the test suite and `npm start` need beyond npm packages: the Temporal CLI, the Java
 * time-skipping test server and MinIO (the real S3 server the attachment-store tests use), cached under
 * `.tools/`. Idempotent: a second run only checks paths.
 */
import { installMinio } from './infra/minio.js';
import { installTemporalCli, installTestServer } from './infra/tools.js';

const cli = installTemporalCli();
const testServer = installTestServer();
const minio = installMinio();
console.log(
  `temporal CLI: ${cli ?? 'SDK download fallback'}; test server: ${testServer ?? 'SDK download fallback'}; ` +
    `MinIO: ${minio ?? 'not installed (needs Go)'}`,
);
