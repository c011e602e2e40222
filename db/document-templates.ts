/**
 * Letter template repository: a practice's editable copies of the appeal letter templates, versioned.
 * An edit inserts the next version and never changes an old one, so a letter already sent can always
 * be traced to the exact text it was rendered from (documents.template_version). Validation of the
 * text (known fields only) happens before a save, in the caller that knows the template language.
 */
import type { Transaction } from 'kysely';
import type { Db } from './pool.js';
import type { Database } from './schema.js';

type DbOrTrx = Db | Transaction<Database>;

/** A stored template version; field for field the shape of the documents module's `AppealTemplate`. */
export interface StoredTemplate {
  key: string;
  version: number;
  name: string;
  payerTypes: string[];
  categories: string[];
  levels: number[];
  form?: string;
  subject: string;
  body: string;
  closing: string;
  createdBy: string;
  createdAt: string;
}

/** What saving a template writes. */
export interface TemplateInput {
  key: string;
  name: string;
  payerTypes: string[];
  categories: string[];
  levels: number[];
  form?: string;
  subject: string;
  body: string;
  closing: string;
}

type Row = {
  template_key: string;
  version: number;
  name: string;
  payer_types: string[];
  categories: string[];
  levels: number[];
  form: string | null;
  subject: string;
  body: string;
  closing: string;
  created_by: string;
  created_at: Date;
};

const COLUMNS = [
  'template_key',
  'version',
  'name',
  'payer_types',
  'categories',
  'levels',
  'form',
  'subject',
  'body',
  'closing',
  'created_by',
  'created_at',
] as const;

function toTemplate(r: Row): StoredTemplate {
  return {
    key: r.template_key,
    version: r.version,
    name: r.name,
    payerTypes: r.payer_types,
    categories: r.categories,
    levels: r.levels,
    ...(r.form ? { form: r.form } : {}),
    subject: r.subject,
    body: r.body,
    closing: r.closing,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
  };
}

/**
 * Saves the next version of a template. Two concurrent edits race on the (practice, key, version)
 * unique key; the loser retries with the next number, so both edits are kept in order.
 */
export async function saveTemplateVersion(
  db: Db,
  practiceId: string,
  t: TemplateInput,
  createdBy: string,
): Promise<StoredTemplate> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.transaction().execute(async (trx) => {
        const last = await trx
          .selectFrom('document_templates')
          .select((eb) => eb.fn.max('version').as('v'))
          .where('practice_id', '=', practiceId)
          .where('template_key', '=', t.key)
          .executeTakeFirst();
        const row = await trx
          .insertInto('document_templates')
          .values({
            practice_id: practiceId,
            template_key: t.key,
            version: Number(last?.v ?? 0) + 1,
            name: t.name,
            payer_types: t.payerTypes,
            categories: t.categories,
            levels: t.levels,
            form: t.form ?? null,
            subject: t.subject,
            body: t.body,
            closing: t.closing,
            created_by: createdBy,
          })
          .returning(COLUMNS)
          .executeTakeFirstOrThrow();
        return toTemplate(row);
      });
    } catch (err) {
      if ((err as { code?: string }).code !== '23505' || attempt >= 3) throw err;
    }
  }
}

/** The practice's templates in force: the latest version of each key that is not retired. */
export async function currentTemplates(db: DbOrTrx, practiceId: string): Promise<StoredTemplate[]> {
  const rows = await db
    .selectFrom('document_templates')
    .distinctOn('template_key')
    .select([...COLUMNS, 'retired'])
    .where('practice_id', '=', practiceId)
    .orderBy('template_key')
    .orderBy('version', 'desc')
    .execute();
  return rows.filter((r) => !r.retired).map(toTemplate);
}

/** One version of a template (the latest when `version` is omitted), or undefined. */
export async function getTemplate(
  db: DbOrTrx,
  practiceId: string,
  key: string,
  version?: number,
): Promise<StoredTemplate | undefined> {
  let q = db
    .selectFrom('document_templates')
    .select(COLUMNS)
    .where('practice_id', '=', practiceId)
    .where('template_key', '=', key);
  if (version !== undefined) q = q.where('version', '=', version);
  const row = await q.orderBy('version', 'desc').limit(1).executeTakeFirst();
  return row ? toTemplate(row) : undefined;
}
