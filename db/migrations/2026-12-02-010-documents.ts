import { type Kysely, sql } from 'kysely';

/**
 * Documents: files uploaded to a claim (attachments), documents the system generated (appeal packets,
 * timely-filing proofs, patient statements, print batches), the practices' versioned letter
 * templates, and what letters and statements print (letterheads, payer appeal addresses, guarantors). The bytes live in the attachment store under their SHA-256; these rows say whose they are.
 * Unique keys make every write idempotent: the same file uploaded twice to a claim is one attachment,
 * and a retried activity that stores a generated document finds the row it wrote the first time.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are schema-agnostic by design (kysely docs)
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('attachments')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('practice_id', 'text', (c) => c.notNull().references('practices.id'))
    .addColumn('claim_id', 'uuid', (c) => c.notNull().references('claims.id'))
    .addColumn('sha256', 'text', (c) => c.notNull().check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn('media_type', 'text', (c) =>
      c.notNull().check(sql`media_type in ('application/pdf', 'image/tiff', 'image/png', 'image/jpeg')`),
    )
    .addColumn('size_bytes', 'bigint', (c) => c.notNull().check(sql`size_bytes > 0`))
    .addColumn('page_count', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text')
    .addColumn('storage', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.notNull())
    .addColumn('uploaded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('attachments_claim_sha_uq', ['claim_id', 'sha256'])
    .execute();
  await db.schema
    .createIndex('attachments_practice_idx')
    .on('attachments')
    .columns(['practice_id', 'uploaded_at'])
    .execute();

  await db.schema
    .createTable('documents')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('practice_id', 'text', (c) => c.notNull().references('practices.id'))
    // Null for documents that span claims (a print batch).
    .addColumn('claim_id', 'uuid', (c) => c.references('claims.id'))
    .addColumn('kind', 'text', (c) =>
      c
        .notNull()
        .check(
          sql`kind in ('APPEAL_PACKET', 'TIMELY_FILING_PROOF', 'PATIENT_STATEMENT', 'PRINT_BATCH', 'PRINT_MANIFEST')`,
        ),
    )
    // What the document is for, e.g. `appeal:<claim>:1` or `statement:<claim>:dunning:2`: the idempotency key.
    .addColumn('document_key', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull().check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint', (c) => c.notNull())
    .addColumn('page_count', 'integer')
    .addColumn('appeal_id', 'uuid', (c) => c.references('appeals.id'))
    .addColumn('statement_id', 'uuid', (c) => c.references('patient_statements.id'))
    .addColumn('template_key', 'text')
    .addColumn('template_version', 'integer')
    .addColumn('attachment_ids', sql`uuid[]`, (c) => c.notNull().defaultTo(sql`'{}'::uuid[]`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    // Set once the payer (or print vendor) acknowledged it, with its reference for the receipt.
    .addColumn('sent_at', 'timestamptz')
    .addColumn('delivery_reference', 'text')
    .addUniqueConstraint('documents_key_uq', ['practice_id', 'document_key'])
    .execute();
  await db.schema
    .createIndex('documents_claim_idx')
    .on('documents')
    .columns(['claim_id', 'created_at'])
    .execute();

  // Versioned: an edit inserts the next version; letters record the version they were rendered from.
  await db.schema
    .createTable('document_templates')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('practice_id', 'text', (c) => c.notNull().references('practices.id'))
    .addColumn('template_key', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().check(sql`version >= 1`))
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('APPEAL_LETTER'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('payer_types', sql`text[]`, (c) => c.notNull())
    .addColumn('categories', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('levels', sql`integer[]`, (c) => c.notNull().defaultTo(sql`'{}'::integer[]`))
    .addColumn('form', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('closing', 'text', (c) => c.notNull())
    .addColumn('retired', 'boolean', (c) => c.notNull().defaultTo(false))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('document_templates_version_uq', ['practice_id', 'template_key', 'version'])
    .execute();

  await settingsTables(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
async function settingsTables(db: Kysely<any>): Promise<void> {
  // What a practice prints on its letters and statements (letterhead, how to pay, financial assistance).
  await db.schema
    .createTable('practice_document_settings')
    .addColumn('practice_id', 'text', (c) => c.primaryKey().references('practices.id'))
    .addColumn('address_lines', sql`text[]`, (c) => c.notNull())
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('postal_code', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('fax', 'text')
    .addColumn('email', 'text')
    .addColumn('payment_url', 'text')
    .addColumn('payment_phone', 'text')
    .addColumn('payment_plan_text', 'text')
    .addColumn('financial_assistance_summary', 'text', (c) => c.notNull())
    .addColumn('financial_assistance_how_to_apply', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // Where a payer takes appeals and how its plans word their appeal rights (commercial letters cite them).
  await db.schema
    .createTable('payer_document_settings')
    .addColumn('payer_id', 'text', (c) => c.primaryKey().references('payers.id'))
    .addColumn('appeal_address_lines', sql`text[]`)
    .addColumn('appeal_city', 'text')
    .addColumn('appeal_state', 'text')
    .addColumn('appeal_postal_code', 'text')
    .addColumn('plan_appeal_rights', 'text')
    .addColumn('contractor_name', 'text')
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  // The person a patient statement is mailed to (the patient, or a parent or guardian), and where.
  await db.schema
    .createTable('patient_guarantors')
    .addColumn('patient_id', 'uuid', (c) => c.primaryKey().references('patients.id'))
    .addColumn('practice_id', 'text', (c) => c.notNull().references('practices.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('address_lines', sql`text[]`, (c) => c.notNull())
    .addColumn('city', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('postal_code', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up()
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'patient_guarantors',
    'payer_document_settings',
    'practice_document_settings',
    'document_templates',
    'documents',
    'attachments',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
