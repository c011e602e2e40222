/**
 * What letters and statements print, per practice (letterhead, how to pay, the financial-assistance
 * notice), per payer (where appeals go, the plan's appeal rights) and per patient (the guarantor a
 * statement is mailed to). Rows are plain data; the activities shape them into the documents' inputs.
 */
import type { Transaction } from 'kysely';
import type { Db } from './pool.js';
import type { Database } from './schema.js';

type DbOrTrx = Db | Transaction<Database>;

/** A postal address. */
export interface Address {
  lines: string[];
  city: string;
  state: string;
  postalCode: string;
}

/** A practice's document settings. */
export interface PracticeDocumentSettings {
  address: Address;
  phone: string;
  fax?: string;
  email?: string;
  paymentUrl?: string;
  paymentPhone?: string;
  paymentPlanText?: string;
  financialAssistanceSummary: string;
  financialAssistanceHowToApply: string;
}

/** A payer's appeal settings. */
export interface PayerDocumentSettings {
  appealAddress?: Address;
  planAppealRights?: string;
  contractorName?: string;
}

/** A patient's guarantor. */
export interface Guarantor {
  name: string;
  address: Address;
}

function opt<T>(v: T | null): T | undefined {
  return v ?? undefined;
}

export async function getPracticeDocumentSettings(
  db: DbOrTrx,
  practiceId: string,
): Promise<PracticeDocumentSettings | undefined> {
  const r = await db
    .selectFrom('practice_document_settings')
    .selectAll()
    .where('practice_id', '=', practiceId)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    address: { lines: r.address_lines, city: r.city, state: r.state, postalCode: r.postal_code },
    phone: r.phone,
    fax: opt(r.fax),
    email: opt(r.email),
    paymentUrl: opt(r.payment_url),
    paymentPhone: opt(r.payment_phone),
    paymentPlanText: opt(r.payment_plan_text),
    financialAssistanceSummary: r.financial_assistance_summary,
    financialAssistanceHowToApply: r.financial_assistance_how_to_apply,
  };
}

/** Creates or replaces a practice's document settings. */
export async function putPracticeDocumentSettings(
  db: DbOrTrx,
  practiceId: string,
  s: PracticeDocumentSettings,
): Promise<void> {
  const values = {
    address_lines: s.address.lines,
    city: s.address.city,
    state: s.address.state,
    postal_code: s.address.postalCode,
    phone: s.phone,
    fax: s.fax ?? null,
    email: s.email ?? null,
    payment_url: s.paymentUrl ?? null,
    payment_phone: s.paymentPhone ?? null,
    payment_plan_text: s.paymentPlanText ?? null,
    financial_assistance_summary: s.financialAssistanceSummary,
    financial_assistance_how_to_apply: s.financialAssistanceHowToApply,
  };
  await db
    .insertInto('practice_document_settings')
    .values({ practice_id: practiceId, ...values })
    .onConflict((oc) => oc.column('practice_id').doUpdateSet(values))
    .execute();
}

export async function getPayerDocumentSettings(db: DbOrTrx, payerId: string): Promise<PayerDocumentSettings> {
  const r = await db
    .selectFrom('payer_document_settings')
    .selectAll()
    .where('payer_id', '=', payerId)
    .executeTakeFirst();
  if (!r) return {};
  return {
    appealAddress:
      r.appeal_address_lines && r.appeal_city && r.appeal_state && r.appeal_postal_code
        ? {
            lines: r.appeal_address_lines,
            city: r.appeal_city,
            state: r.appeal_state,
            postalCode: r.appeal_postal_code,
          }
        : undefined,
    planAppealRights: opt(r.plan_appeal_rights),
    contractorName: opt(r.contractor_name),
  };
}

/** Creates or replaces a payer's appeal settings. */
export async function putPayerDocumentSettings(
  db: DbOrTrx,
  payerId: string,
  s: PayerDocumentSettings,
): Promise<void> {
  const values = {
    appeal_address_lines: s.appealAddress?.lines ?? null,
    appeal_city: s.appealAddress?.city ?? null,
    appeal_state: s.appealAddress?.state ?? null,
    appeal_postal_code: s.appealAddress?.postalCode ?? null,
    plan_appeal_rights: s.planAppealRights ?? null,
    contractor_name: s.contractorName ?? null,
  };
  await db
    .insertInto('payer_document_settings')
    .values({ payer_id: payerId, ...values })
    .onConflict((oc) => oc.column('payer_id').doUpdateSet(values))
    .execute();
}

export async function getGuarantor(db: DbOrTrx, patientId: string): Promise<Guarantor | undefined> {
  const r = await db
    .selectFrom('patient_guarantors')
    .selectAll()
    .where('patient_id', '=', patientId)
    .executeTakeFirst();
  if (!r) return undefined;
  return {
    name: r.name,
    address: { lines: r.address_lines, city: r.city, state: r.state, postalCode: r.postal_code },
  };
}

/** Creates or replaces a patient's guarantor. */
export async function putGuarantor(
  db: DbOrTrx,
  practiceId: string,
  patientId: string,
  g: Guarantor,
): Promise<void> {
  const values = {
    name: g.name,
    address_lines: g.address.lines,
    city: g.address.city,
    state: g.address.state,
    postal_code: g.address.postalCode,
  };
  await db
    .insertInto('patient_guarantors')
    .values({ patient_id: patientId, practice_id: practiceId, ...values })
    .onConflict((oc) => oc.column('patient_id').doUpdateSet(values))
    .execute();
}

/** Demo letterheads and payer appeal addresses, so `npm start` and the tests render real-looking letters. */
export async function seedDocumentSettings(db: Db): Promise<void> {
  const assistance = {
    financialAssistanceSummary:
      'You may qualify for free or discounted care based on your household income and size.',
    financialAssistanceHowToApply:
      'Call the billing office for an application, or ask for one at the front desk; applications are accepted for 240 days after your first statement.',
  };
  const practices: Record<string, PracticeDocumentSettings> = {
    'sunrise-fp': {
      address: {
        lines: ['1200 Sunrise Blvd', 'Suite 100'],
        city: 'Austin',
        state: 'TX',
        postalCode: '78701',
      },
      phone: '(512) 555-0140',
      fax: '(512) 555-0141',
      paymentUrl: 'https://pay.sunrise-fp.example',
      paymentPhone: '(512) 555-0142',
      paymentPlanText: 'Ask us to spread the balance over up to 12 months, interest free.',
      ...assistance,
    },
    'lakeside-ortho': {
      address: { lines: ['88 Lakeside Drive'], city: 'Round Rock', state: 'TX', postalCode: '78664' },
      phone: '(512) 555-0180',
      paymentPhone: '(512) 555-0181',
      ...assistance,
    },
  };
  for (const [practiceId, s] of Object.entries(practices)) {
    const exists = await getPracticeDocumentSettings(db, practiceId);
    if (!exists) await putPracticeDocumentSettings(db, practiceId, s);
  }
  const payers: Record<string, PayerDocumentSettings> = {
    MEDICARE: {
      appealAddress: {
        lines: ['Redeterminations', 'PO Box 3000'],
        city: 'Dallas',
        state: 'TX',
        postalCode: '75201',
      },
      contractorName: 'Novitas Solutions (JH)',
    },
    'ACME-HEALTH': {
      appealAddress: {
        lines: ['Provider Appeals', 'PO Box 1000'],
        city: 'Chicago',
        state: 'IL',
        postalCode: '60601',
      },
      planAppealRights:
        'the appeal provisions of the Acme Health provider manual, which allow 180 days from the remittance to appeal',
    },
    BLUEPEAK: {
      appealAddress: {
        lines: ['Appeals Unit', 'PO Box 250'],
        city: 'Denver',
        state: 'CO',
        postalCode: '80202',
      },
    },
  };
  for (const [payerId, s] of Object.entries(payers)) {
    const row = await db
      .selectFrom('payer_document_settings')
      .select('payer_id')
      .where('payer_id', '=', payerId)
      .executeTakeFirst();
    const payer = await db.selectFrom('payers').select('id').where('id', '=', payerId).executeTakeFirst();
    if (!row && payer) await putPayerDocumentSettings(db, payerId, s);
  }
}
