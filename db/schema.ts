/**
 * kysely table types, one interface per table (the kysely example's `*.table.ts` style, gathered here).
 * bigint money columns come back from pg as strings unless parsed: `db/pool.ts` installs a type parser
 * so they arrive as numbers (safe: cents of any real claim stay far below 2^53).
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** `date` columns are read as ISO strings (type parser in pool.ts), written as ISO strings. */
type IsoDate = string;
type Json = ColumnType<unknown, string, string>;

export interface PracticesTable {
  id: string;
  name: string;
  npi: string;
  tax_id: string | null;
  webhook_url: string | null;
  webhook_secret: string | null;
  supervisor_webhook_url: string | null;
  /** IANA time zone deadlines end in (docs/deadline-rules.md). */
  time_zone: Generated<string>;
  /** Variances up to max(cents, percent of expected) are not worked (docs/fee-schedules.md). */
  variance_tolerance_cents: Generated<number>;
  /** numeric: pg answers it as a string. */
  variance_tolerance_percent: ColumnType<string, string | number | undefined, string | number>;
  created_at: CreatedAt;
}

export interface PayersTable {
  id: string;
  name: string;
  payer_type: string;
  created_at: CreatedAt;
}

export interface PayerRulesTable {
  id: Generated<string>;
  payer_id: string;
  practice_id: string | null;
  effective_from: IsoDate;
  follow_up_days: number;
  max_follow_ups: number;
  timely_filing_days: number;
  appeal_window_days: number[];
  appeal_decision_follow_up_days: number;
  review_sla_days: number;
  reminder_offsets_days: number[];
  dunning_cadence_days: number[];
  final_notice_days: number;
  collections_after_days: number;
  receipt_presumption_days: Generated<number>;
  /** `remittance` or `receipt`: where appeal windows count from. */
  appeal_window_from: Generated<string>;
  /** Unit of appeal_window_days: days, businessDays, months, years. */
  appeal_window_unit: Generated<string>;
  /** Timely filing as a period; both null: timely_filing_days. */
  timely_filing_length: number | null;
  timely_filing_unit: string | null;
  /** Medicare reopening window; null when corrections are not reopenings. */
  reopening_window_length: number | null;
  reopening_window_unit: string | null;
  created_by: Generated<string>;
  created_at: CreatedAt;
}

export interface PatientsTable {
  id: Generated<string>;
  practice_id: string;
  external_id: string;
  first_name: string;
  last_name: string;
  birth_date: IsoDate;
  member_id: string;
  email: string | null;
  created_at: CreatedAt;
}

export interface ClaimsTable {
  id: Generated<string>;
  practice_id: string;
  claim_id: string;
  patient_control_number: string;
  patient_id: string;
  payer_id: string;
  billing_provider_npi: string;
  date_of_service: IsoDate;
  diagnosis_codes: string[];
  total_charge_cents: number;
  frequency_code: Generated<string>;
  payer_claim_number: string | null;
  status: string;
  denial_category: string | null;
  recommended_action: string | null;
  assigned_to: string | null;
  escalated: Generated<boolean>;
  priority: Generated<number>;
  next_deadline: Timestamp | null;
  paid_cents: Generated<number>;
  adjustment_cents: Generated<number>;
  patient_responsibility_cents: Generated<number>;
  patient_paid_cents: Generated<number>;
  written_off_cents: Generated<number>;
  open_balance_cents: number;
  workflow_id: string;
  submitted_at: Timestamp | null;
  first_denied_at: Timestamp | null;
  first_action_at: Timestamp | null;
  closed_at: Timestamp | null;
  last_activity_at: ColumnType<Date, Date | string | undefined, Date | string>;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface ClaimLinesTable {
  claim_id: string;
  line_number: number;
  procedure_code: string;
  modifiers: string[];
  units: number;
  charge_cents: number;
  service_date: IsoDate;
  diagnosis_pointers: number[];
}

export interface EraFilesTable {
  id: Generated<string>;
  checksum: string;
  source: string;
  source_ref: string | null;
  raw: string;
  practice_id: string | null;
  /** ACCEPTED (parsed and balanced) or REJECTED (kept for audit, nothing posted). */
  status: string;
  error: Json | null;
  received_at: CreatedAt;
}

export interface SyncCursorsTable {
  name: string;
  value: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface RemittancesTable {
  id: Generated<string>;
  era_file_id: string;
  transaction_index: number;
  practice_id: string | null;
  payer_id: string;
  trace_number: string;
  payment_cents: number;
  payment_method: string;
  payment_date: IsoDate;
  parsed: Json;
  /** The warnings of the accepted 835 (docs/835-tolerance.md). */
  parse_warnings: ColumnType<unknown, string | undefined, string>;
  received_at: CreatedAt;
}

export interface ProviderAdjustmentsTable {
  id: Generated<string>;
  remittance_id: string;
  seq: number;
  provider_id: string;
  reason_code: string;
  reference: string | null;
  amount_cents: number;
}

export interface ClaimPaymentsTable {
  id: Generated<string>;
  claim_id: string;
  remittance_id: string;
  claim_index: number;
  payer_id: string;
  trace_number: string;
  patient_control_number: string;
  payer_claim_number: string;
  is_reversal: boolean;
  status_code: string;
  charge_cents: number;
  paid_cents: number;
  patient_responsibility_cents: number;
  remark_codes: string[];
  /** The RemittanceSummary signalled to the claim workflow. */
  summary: Json;
  /** The contract comparison of this posting (`ContractCheck` in db/fee-schedules.ts). */
  contract_check: Json | null;
  signalled_at: Timestamp | null;
  posted_at: CreatedAt;
}

export interface FeeScheduleVersionsTable {
  id: Generated<string>;
  practice_id: string;
  payer_id: string;
  version: number;
  source: 'CSV' | 'API';
  row_count: number;
  created_by: string;
  created_at: CreatedAt;
}

export interface FeeScheduleRatesTable {
  version_id: string;
  seq: number;
  procedure_code: string;
  modifier: string | null;
  plan_id: string | null;
  allowed_cents: number;
  effective_from: IsoDate;
  effective_to: IsoDate | null;
  multiple_procedure_reducible: boolean;
  modifier_adjustments: Json | null;
}

export interface PaymentVariancesTable {
  id: Generated<string>;
  practice_id: string;
  claim_id: string;
  payer_id: string;
  kind: 'UNDERPAYMENT' | 'OVERPAYMENT';
  status: 'OPEN' | 'RESOLVED';
  opening_variance_cents: number;
  variance_cents: number;
  expected_cents: number;
  payer_allowed_cents: number;
  tolerance_cents: number;
  opened_by_payment_id: string;
  resolved_by_payment_id: string | null;
  recovered_cents: Generated<number>;
  opened_at: CreatedAt;
  resolved_at: Timestamp | null;
}

export interface ClaimAdjustmentsTable {
  id: Generated<string>;
  claim_payment_id: string;
  claim_id: string;
  line_number: number | null;
  procedure_code: string | null;
  group_code: string;
  reason_code: string;
  amount_cents: number;
  quantity: number | null;
  remark_codes: string[];
}

export interface UnmatchedClaimPaymentsTable {
  id: Generated<string>;
  remittance_id: string;
  claim_index: number;
  practice_id: string | null;
  payer_id: string;
  patient_control_number: string;
  payer_claim_number: string;
  paid_cents: number;
  reason: string;
  status: Generated<string>;
  matched_claim_id: string | null;
  matched_by: string | null;
  matched_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface AppealsTable {
  id: Generated<string>;
  claim_id: string;
  level: number;
  grounds: string;
  attachments: string[];
  deadline: Timestamp;
  payer_appeal_id: string | null;
  status: string;
  decision_reason: string | null;
  filed_by: string;
  filed_at: Timestamp;
  decided_at: Timestamp | null;
}

export interface PatientStatementsTable {
  id: Generated<string>;
  claim_id: string;
  statement_key: string;
  kind: string;
  amount_due_cents: number;
  due_date: IsoDate | null;
  sent_at: Timestamp;
}

export interface PatientPaymentsTable {
  id: Generated<string>;
  claim_id: string;
  reference: string;
  amount_cents: number;
  method: string;
  received_at: Timestamp;
}

export interface NotificationsTable {
  id: Generated<string>;
  dedupe_key: string;
  practice_id: string;
  claim_id: string | null;
  channel: string;
  kind: string;
  payload: Json;
  status: Generated<string>;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: CreatedAt;
  delivered_at: Timestamp | null;
  last_attempt_at: ColumnType<Date | null, never, Date | null>;
}

export interface ClaimEventsTable {
  id: Generated<string>;
  event_key: string;
  claim_id: string;
  practice_id: string;
  at: Timestamp;
  actor: string;
  kind: string;
  from_status: string | null;
  to_status: string | null;
  reason: string | null;
  data: ColumnType<unknown, string | undefined, never>;
  request_id: string | null;
  /** The hash of the claim's previous event (empty for its first): the audit chain. */
  prev_hash: ColumnType<Buffer, Buffer, never>;
  /** This event's hash (`claim_event_hash` over prev_hash and the canonical encoding of the row). */
  hash: ColumnType<Buffer, Buffer, never>;
}

export interface ApiKeysTable {
  id: Generated<string>;
  key_hash: string;
  user_id: string;
  role: string;
  practice_ids: string[];
  created_at: CreatedAt;
  revoked_at: Timestamp | null;
}

/** The stored answer of a POST sent with an Idempotency-Key (api/idempotency.ts). */
export interface IdempotencyKeysTable {
  user_id: string;
  key: string;
  /** `METHOD /route/pattern` the key was first used on. */
  route: string;
  /** sha256 of method, URL and canonical JSON body: a reused key with another request is refused. */
  fingerprint: string;
  status: string;
  response_status: number | null;
  response_type: string | null;
  response_body: string | null;
  started_at: ColumnType<Date, Date | string | undefined, Date | string>;
  completed_at: Timestamp | null;
}

/** Audit trail of payer-rule changes made through the API (one row per new rule version). */
export interface RuleChangesTable {
  id: Generated<string>;
  payer_rule_id: string;
  payer_id: string;
  practice_id: string | null;
  effective_from: IsoDate;
  actor: string;
  request_id: string | null;
  previous: Json | null;
  rules: Json;
  signalled_claims: Generated<number>;
  at: CreatedAt;
}

export interface CodecAccessLogTable {
  id: Generated<string>;
  at: CreatedAt;
  user_id: string;
  role: string;
  practice_id: string | null;
  workflow_id: string;
  payload_count: number;
  allowed: boolean;
  request_id: string | null;
}

export interface AttachmentsTable {
  id: Generated<string>;
  practice_id: string;
  claim_id: string;
  sha256: string;
  media_type: string;
  size_bytes: number;
  page_count: number;
  title: string;
  file_name: string | null;
  storage: string;
  uploaded_by: string;
  uploaded_at: CreatedAt;
}

export interface DocumentsTable {
  id: Generated<string>;
  practice_id: string;
  claim_id: string | null;
  kind: string;
  document_key: string;
  sha256: string;
  media_type: string;
  size_bytes: number;
  page_count: number | null;
  appeal_id: string | null;
  statement_id: string | null;
  template_key: string | null;
  template_version: number | null;
  attachment_ids: ColumnType<string[], string[] | undefined, string[]>;
  created_at: CreatedAt;
  sent_at: Timestamp | null;
  delivery_reference: string | null;
}

export interface DocumentTemplatesTable {
  id: Generated<string>;
  practice_id: string;
  template_key: string;
  version: number;
  kind: ColumnType<string, string | undefined, string>;
  name: string;
  payer_types: string[];
  categories: ColumnType<string[], string[] | undefined, string[]>;
  levels: ColumnType<number[], number[] | undefined, number[]>;
  form: string | null;
  subject: string;
  body: string;
  closing: string;
  retired: ColumnType<boolean, boolean | undefined, boolean>;
  created_by: string;
  created_at: CreatedAt;
}

export interface PracticeDocumentSettingsTable {
  practice_id: string;
  address_lines: string[];
  city: string;
  state: string;
  postal_code: string;
  phone: string;
  fax: string | null;
  email: string | null;
  payment_url: string | null;
  payment_phone: string | null;
  payment_plan_text: string | null;
  financial_assistance_summary: string;
  financial_assistance_how_to_apply: string;
  updated_at: CreatedAt;
}

export interface PayerDocumentSettingsTable {
  payer_id: string;
  appeal_address_lines: string[] | null;
  appeal_city: string | null;
  appeal_state: string | null;
  appeal_postal_code: string | null;
  plan_appeal_rights: string | null;
  contractor_name: string | null;
  updated_at: CreatedAt;
}

export interface PatientGuarantorsTable {
  patient_id: string;
  practice_id: string;
  name: string;
  address_lines: string[];
  city: string;
  state: string;
  postal_code: string;
  updated_at: CreatedAt;
}

/** A practice's rates for pricing its work (docs/cost-to-collect.md); absent: the domain defaults. */
export interface PracticeCostSettingsTable {
  practice_id: string;
  hourly_rate_cents: number;
  /** `{ decision, appeal, note, assignment }` whole minutes. */
  standard_minutes: Json;
  /** `{ submission, statusInquiry, appeal, era }` cents. */
  transaction_fees_cents: Json;
  updated_by: string;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface Database {
  api_keys: ApiKeysTable;
  codec_access_log: CodecAccessLogTable;
  practices: PracticesTable;
  payers: PayersTable;
  payer_rules: PayerRulesTable;
  patients: PatientsTable;
  claims: ClaimsTable;
  claim_lines: ClaimLinesTable;
  era_files: EraFilesTable;
  sync_cursors: SyncCursorsTable;
  remittances: RemittancesTable;
  provider_adjustments: ProviderAdjustmentsTable;
  claim_payments: ClaimPaymentsTable;
  claim_adjustments: ClaimAdjustmentsTable;
  unmatched_claim_payments: UnmatchedClaimPaymentsTable;
  appeals: AppealsTable;
  patient_statements: PatientStatementsTable;
  patient_payments: PatientPaymentsTable;
  notifications: NotificationsTable;
  claim_events: ClaimEventsTable;
  idempotency_keys: IdempotencyKeysTable;
  rule_changes: RuleChangesTable;
  attachments: AttachmentsTable;
  documents: DocumentsTable;
  document_templates: DocumentTemplatesTable;
  practice_document_settings: PracticeDocumentSettingsTable;
  payer_document_settings: PayerDocumentSettingsTable;
  patient_guarantors: PatientGuarantorsTable;
  fee_schedule_versions: FeeScheduleVersionsTable;
  fee_schedule_rates: FeeScheduleRatesTable;
  payment_variances: PaymentVariancesTable;
  claim_rules: ClaimRulesTable;
  claim_rule_proposals: ClaimRuleProposalsTable;
  practice_cost_settings: PracticeCostSettingsTable;
}

export interface ClaimRulesTable {
  id: Generated<string>;
  practice_id: string;
  rule_key: string;
  version: number;
  payer_id: string | null;
  kind: string;
  action: string;
  /** procedureCode, modifier, diagnosisPrefixes, withinDays (`ClaimRule` in domain/claim-scrubber.ts). */
  params: Json;
  description: string;
  active: boolean;
  source: 'MANUAL' | 'LEARNED';
  proposal_id: string | null;
  created_by: string;
  created_at: CreatedAt;
}

export interface ClaimRuleProposalsTable {
  id: Generated<string>;
  practice_id: string;
  payer_id: string;
  procedure_code: string;
  modifier: string;
  carc: string;
  denied_lines: number;
  lines: number;
  denied_cents: number;
  with_modifier_lines: number;
  with_modifier_denied: number;
  example_claim_ids: string[];
  status: 'PROPOSED' | 'ACCEPTED' | 'REJECTED';
  decided_by: string | null;
  decided_at: Timestamp | null;
  decision_reason: string | null;
  rule_key: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export type ClaimRow = Selectable<ClaimsTable>;
export type NewClaim = Insertable<ClaimsTable>;
export type ClaimUpdate = Updateable<ClaimsTable>;
export type PayerRuleRow = Selectable<PayerRulesTable>;
export type ClaimLineRow = Selectable<ClaimLinesTable>;
export type PracticeRow = Selectable<PracticesTable>;
export type PatientRow = Selectable<PatientsTable>;
export type NotificationRow = Selectable<NotificationsTable>;
