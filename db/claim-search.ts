/**
 * Claim search for the console: by claim id, patient control number or payer claim number (prefix), by
 * patient name (prefix of first or last name, or "first last"), or by birth date. Names and birth dates
 * are searched here, in Postgres, and never reach Temporal (no search attribute holds them).
 */
import { sql } from 'kysely';
import type { Db } from './pool.js';
import type { ClaimRow } from './schema.js';

export type ClaimSearchRow = ClaimRow & { patient_first_name: string; patient_last_name: string };

/** A birth date typed as YYYY-MM-DD or MM/DD/YYYY, as ISO; undefined when `q` is not a date. */
export function searchDate(q: string): string | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(q);
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(q);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : us ? [us[3], us[1], us[2]] : [];
  if (!y || !m || !d) return undefined;
  const out = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  const t = new Date(`${out}T00:00:00Z`);
  return Number.isNaN(t.getTime()) || t.toISOString().slice(0, 10) !== out ? undefined : out;
}

/** Escapes LIKE wildcards so a typed `%` or `_` matches itself. */
const likePrefix = (s: string) => `${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function searchClaims(
  db: Db,
  opts: { practiceIds: readonly string[]; q: string; limit: number },
): Promise<ClaimSearchRow[]> {
  const q = opts.q.trim();
  const date = searchDate(q);
  let query = db
    .selectFrom('claims')
    .innerJoin('patients', 'patients.id', 'claims.patient_id')
    .selectAll('claims')
    .select(['patients.first_name as patient_first_name', 'patients.last_name as patient_last_name'])
    .where('claims.practice_id', 'in', [...opts.practiceIds]);
  if (date) {
    query = query.where('patients.birth_date', '=', date);
  } else {
    const prefix = likePrefix(q);
    const words = q.split(/\s+/).filter(Boolean);
    query = query.where((eb) =>
      eb.or([
        eb('claims.claim_id', 'ilike', prefix),
        eb('claims.patient_control_number', 'ilike', prefix),
        eb('claims.payer_claim_number', 'ilike', prefix),
        eb('patients.last_name', 'ilike', prefix),
        eb('patients.first_name', 'ilike', prefix),
        ...(words.length === 2
          ? [
              eb.and([
                eb('patients.first_name', 'ilike', likePrefix(words[0]!)),
                eb('patients.last_name', 'ilike', likePrefix(words[1]!)),
              ]),
            ]
          : []),
      ]),
    );
  }
  return (await query
    .orderBy(sql`claims.created_at`, 'desc')
    .orderBy('claims.id')
    .limit(opts.limit)
    .execute()) as ClaimSearchRow[];
}
