/**
 * Where the Temporal servers come from on a machine without internet: the Temporal CLI (dev server)
 * built with `go install` into `.tools/bin`, and the Java time-skipping test server resolved from Maven
 * Central into `.tools/test-server`. Both installs are idempotent and quick once cached. Where neither Go
 * nor Maven is present, callers fall back to the SDK's own download (machines with internet).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const TOOLS_DIR = join(REPO_ROOT, '.tools');
/** Later CLI tags carry a `replace` directive in go.mod and cannot be go-installed. */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';
const TEST_SERVER_DIR = join(TOOLS_DIR, 'test-server');
const TEST_SERVER_WRAPPER = join(TEST_SERVER_DIR, 'temporal-test-server');
const TEST_SERVER_POM = join(REPO_ROOT, 'scripts', 'test-server', 'pom.xml');

function onPath(name: string, envPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of envPath.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** `TEMPORAL_CLI_PATH`, then `temporal` on PATH, then the copy cached in `.tools/bin`. */
export function findTemporalCli(cliPath?: string): string | undefined {
  if (cliPath) {
    if (!existsSync(cliPath)) throw new Error(`TEMPORAL_CLI_PATH=${cliPath} does not exist`);
    return cliPath;
  }
  return (
    onPath('temporal') ??
    (existsSync(join(TOOLS_DIR, 'bin', 'temporal')) ? join(TOOLS_DIR, 'bin', 'temporal') : undefined)
  );
}

/** Builds the Temporal CLI into `.tools/bin` when Go is available. Returns its path, or undefined. */
export function installTemporalCli(log: (msg: string) => void = console.log): string | undefined {
  const existing = findTemporalCli(process.env.TEMPORAL_CLI_PATH);
  if (existing) return existing;
  if (!onPath('go')) {
    log('Go is not installed: the Temporal SDK will download its dev server instead (needs internet).');
    return undefined;
  }
  const gobin = join(TOOLS_DIR, 'bin');
  mkdirSync(gobin, { recursive: true });
  log(
    `Building the Temporal CLI (${TEMPORAL_CLI_MODULE}) into .tools/bin; the first build takes a few minutes...`,
  );
  const res = spawnSync('go', ['install', TEMPORAL_CLI_MODULE], {
    stdio: 'inherit',
    env: { ...process.env, GOBIN: gobin, CGO_ENABLED: process.env.CGO_ENABLED ?? '0' },
  });
  if (res.status !== 0)
    throw new Error(`go install ${TEMPORAL_CLI_MODULE} failed with exit code ${res.status}`);
  return join(gobin, 'temporal');
}

/** The wrapper that starts the Java time-skipping test server, if installed. */
export function findTestServer(): string | undefined {
  if (process.env.TEMPORAL_TEST_SERVER_PATH) return process.env.TEMPORAL_TEST_SERVER_PATH;
  return existsSync(TEST_SERVER_WRAPPER) && existsSync(join(TEST_SERVER_DIR, 'lib'))
    ? TEST_SERVER_WRAPPER
    : undefined;
}

/**
 * Resolves `io.temporal:temporal-test-server` and its runtime classpath with Maven, then writes a
 * wrapper script. The SDK starts the test server as `<exe> <port> [extraArgs]` and kills it if it does
 * not answer within a few seconds, so the wrapper `exec`s java (the SDK's kill must reach the JVM) with
 * flags that start the JVM fast (C1 only, serial GC, the JDK's class-data-sharing archive).
 */
export function installTestServer(log: (msg: string) => void = console.log): string | undefined {
  const existing = findTestServer();
  if (existing) return existing;
  if (!onPath('mvn') || !onPath('java')) {
    log(
      'Maven or Java is missing: time-skipping tests will use the SDK-downloaded test server (needs internet).',
    );
    return undefined;
  }
  log('Resolving the Temporal Java test server from Maven Central into .tools/test-server...');
  const lib = join(TEST_SERVER_DIR, 'lib');
  mkdirSync(lib, { recursive: true });
  const res = spawnSync(
    'mvn',
    [
      '-q',
      '-B',
      '-f',
      TEST_SERVER_POM,
      'dependency:copy-dependencies',
      `-DoutputDirectory=${lib}`,
      '-DincludeScope=runtime',
    ],
    { stdio: 'inherit' },
  );
  if (res.status !== 0 || readdirSync(lib).length === 0) {
    throw new Error(`mvn dependency:copy-dependencies failed with exit code ${res.status}`);
  }
  const script = `#!/bin/sh
# Temporal Java time-skipping test server, started by the TypeScript SDK as: <this> <port> [args].
DIR="$(cd "$(dirname "$0")" && pwd)"
exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto \\
  -cp "$DIR/lib/*" io.temporal.testserver.TestServer "$@" --enable-time-skipping
`;
  writeFileSync(TEST_SERVER_WRAPPER, script);
  chmodSync(TEST_SERVER_WRAPPER, 0o755);
  return TEST_SERVER_WRAPPER;
}
