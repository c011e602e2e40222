/**
 * The development payload key of `npm start`. When TEMPORAL_PAYLOAD_KEYS is not configured, the demo
 * generates one AES-256 key, keeps it in the data directory (beside the Temporal SQLite file whose
 * histories it encrypts, so the next start still decrypts them) and says loudly that it is a
 * development key. Production sets its own keys; see README, Operations.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type AppConfig, parsePayloadKeys } from '../../config/index.js';

const DEV_KEY_ID = 'dev-1';

/** The payload-key environment for the demo's worker and API: the configured keys, or a dev key. */
export function devPayloadKeyEnv(
  config: Pick<AppConfig, 'payloadKeys'>,
  dataDir: string,
  log: (msg: string) => void,
): Record<string, string> {
  if (config.payloadKeys) return {};
  const file = join(dataDir, 'dev-payload-keys');
  if (!existsSync(file)) {
    writeFileSync(file, `${DEV_KEY_ID}:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
    log(`generated a DEVELOPMENT Temporal payload key in ${file}`);
  }
  // Fails here, with the config's message, if someone edited the file into something unusable.
  parsePayloadKeys(readFileSync(file, 'utf8'), DEV_KEY_ID);
  log(
    `Temporal payloads are encrypted with the DEVELOPMENT key ${DEV_KEY_ID} from ${file}: ` +
      'not for real patient data (set TEMPORAL_PAYLOAD_KEYS and TEMPORAL_PAYLOAD_ACTIVE_KEY)',
  );
  return { TEMPORAL_PAYLOAD_KEYS_FILE: file, TEMPORAL_PAYLOAD_ACTIVE_KEY: DEV_KEY_ID };
}
