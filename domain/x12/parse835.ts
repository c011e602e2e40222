/**
 * Parses 005010X221A1 (835) interchanges into `Remittance835` values and refuses anything that is not a
 * well-formed, balanced remittance: an ERA that does not balance is reported, never silently posted.
 */
import { type Cents, MoneyFormatError, parseCents } from '../money.js';
import { isCalendarDate, x12DateToIso } from './dates.js';
import {
  type Adjustment,
  type CasGroupCode,
  type ClaimPayment,
  type ClaimStatusCode,
  type Parse835Result,
  type Party,
  type PartyAddress,
  type ProviderAdjustment,
  type Remittance835,
  type ServiceLine,
  type X12ErrorDetail,
  X12ParseError,
} from './model.js';
import { type Segment, type TokenizedInterchange, tokenize } from './tokenize.js';
import { WarningLog } from './warnings.js';

/** X12 `R` (decimal) type: optional leading minus, no plus sign, no exponent, no spaces (X12.6). */
const X12_DECIMAL = /^-?(?:\d+(?:\.\d*)?|\.\d+)$/;

const CLAIM_STATUS_CODES: ReadonlySet<string> = new Set<ClaimStatusCode>([
  '1',
  '2',
  '3',
  '4',
  '19',
  '20',
  '21',
  '22',
  '23',
  '25',
]);
const CAS_GROUP_CODES: ReadonlySet<string> = new Set<CasGroupCode>(['CO', 'PR', 'OA', 'PI', 'CR']);
/** BPR01 transaction handling codes and BPR04 payment methods of the 835 guide. */
const HANDLING_CODES: ReadonlySet<string> = new Set(['C', 'D', 'H', 'I', 'P', 'U', 'X']);
const PAYMENT_METHODS: ReadonlySet<string> = new Set(['ACH', 'BOP', 'CHK', 'FWT', 'NON']);

/** Segment ids the 835 guide defines; anything else inside a transaction set is garbage. */
const KNOWN_835_SEGMENTS: ReadonlySet<string> = new Set([
  'ISA',
  'GS',
  'ST',
  'BPR',
  'TRN',
  'CUR',
  'REF',
  'DTM',
  'N1',
  'N3',
  'N4',
  'PER',
  'RDM',
  'LX',
  'TS3',
  'TS2',
  'CLP',
  'CAS',
  'NM1',
  'MIA',
  'MOA',
  'AMT',
  'QTY',
  'SVC',
  'LQ',
  'PLB',
  'SE',
  'GE',
  'IEA',
]);

/** SVC01-1 product/service id qualifiers of the 835 guide (HC HCPCS/CPT, NU revenue code, N4 NDC, ...). */
const PRODUCT_QUALIFIERS: ReadonlySet<string> = new Set([
  'AD',
  'ER',
  'HC',
  'HP',
  'IV',
  'N4',
  'N6',
  'NU',
  'UI',
  'WK',
]);

/** MIA elements that are amounts / quantities / remark codes (835 guide, loop 2100 MIA). */
const MIA_AMOUNTS = [2, 4, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 18, 19, 24] as const;
const MIA_QUANTITIES = [1, 3, 15] as const;
const MIA_REMARKS = [5, 20, 21, 22, 23] as const;

/** Where an error is reported when the segment it concerns is missing: one past the last segment read. */
interface Place {
  position: number;
  id: string;
}

class ErrorLog {
  readonly errors: X12ErrorDetail[] = [];
  /** Harmless noise of a file that is accepted anyway (docs/835-tolerance.md). */
  readonly warnings = new WarningLog();

  warn(at: Place, rule: string, message: string, element?: number): void {
    this.warnings.add(at, rule, message, element);
  }

  add(at: Place, rule: string, message: string, element?: number): void {
    const detail: X12ErrorDetail = { segmentPosition: at.position, segmentId: at.id, rule, message };
    if (element !== undefined) detail.element = element;
    this.errors.push(detail);
  }
}

function el(s: Segment, n: number): string {
  return s.elements[n] ?? '';
}

function nn(n: number): string {
  return String(n).padStart(2, '0');
}

/** Reads typed elements of segments, logging each bad element and remembering whether an amount failed. */
class ElementReader {
  /** Set once any amount could not be read: balancing is then skipped rather than reported twice. */
  amountFailed = false;

  constructor(readonly log: ErrorLog) {}

  required(s: Segment, n: number): string {
    const v = el(s, n);
    if (v === '') this.log.add(s, 'element.required', `${s.id}${nn(n)} is required`, n);
    return v;
  }

  optional(s: Segment, n: number): string | undefined {
    const v = el(s, n);
    return v === '' ? undefined : v;
  }

  /** An amount via `parseCents` (exact decimal to integer cents); MoneyFormatError becomes `element.amount`. */
  amount(s: Segment, n: number, required: boolean): Cents | undefined {
    const v = el(s, n);
    if (v === '') {
      if (required) {
        this.amountFailed = true;
        this.log.add(s, 'element.required', `${s.id}${nn(n)} amount is required`, n);
      }
      return undefined;
    }
    try {
      if (!X12_DECIMAL.test(v)) throw new MoneyFormatError(`"${v}" is not an X12 decimal`);
      return parseCents(v);
    } catch (e) {
      if (!(e instanceof MoneyFormatError)) throw e;
      this.amountFailed = true;
      this.log.add(s, 'element.amount', `${s.id}${nn(n)}: ${e.message}`, n);
      return undefined;
    }
  }

  requiredAmount(s: Segment, n: number): Cents {
    return this.amount(s, n, true) ?? 0;
  }

  /** A CCYYMMDD date that must be a real calendar day, returned as YYYY-MM-DD. */
  date(s: Segment, n: number, required: boolean): string | undefined {
    const v = el(s, n);
    if (v === '') {
      if (required) this.log.add(s, 'element.required', `${s.id}${nn(n)} date is required`, n);
      return undefined;
    }
    const iso = x12DateToIso(v);
    if (iso === undefined)
      this.log.add(s, 'element.date', `${s.id}${nn(n)} "${v}" is not a valid CCYYMMDD date`, n);
    return iso;
  }

  /**
   * A situational date that carries no money (a production or statement date): a malformed or missing
   * one is dropped with a warning instead of refusing the file.
   */
  situationalDate(s: Segment, n: number): string | undefined {
    const v = el(s, n);
    if (v === '') {
      this.log.warn(s, 'element.situational_missing', `${s.id}${nn(n)} is empty; the segment was ignored`, n);
      return undefined;
    }
    const iso = x12DateToIso(v);
    if (iso === undefined) {
      this.log.warn(
        s,
        'element.situational_date',
        `${s.id}${nn(n)} "${v.slice(0, 20)}" is not a valid CCYYMMDD date; it was ignored`,
        n,
      );
    }
    return iso;
  }

  /** A quantity or percentage (X12 `R`); kept as a number because it is never money. */
  number(s: Segment, n: number, required: boolean): number | undefined {
    const v = el(s, n);
    if (v === '') {
      if (required) this.log.add(s, 'element.required', `${s.id}${nn(n)} is required`, n);
      return undefined;
    }
    if (!X12_DECIMAL.test(v) || v.length > 15) {
      this.log.add(s, 'element.number', `${s.id}${nn(n)} "${v}" is not a decimal number`, n);
      return undefined;
    }
    const value = Number(v);
    return value === 0 ? 0 : value;
  }

  /** A code from a closed list; logs `element.code` otherwise. */
  code(s: Segment, n: number, allowed: ReadonlySet<string>): string {
    const v = this.required(s, n);
    if (v !== '' && !allowed.has(v))
      this.log.add(s, 'element.code', `${s.id}${nn(n)} "${v}" is not a valid code`, n);
    return v;
  }
}

/** Transaction-set progress: the 835 tables are ordered, so a later loop closes the earlier ones. */
enum Stage {
  Start = 0,
  Header = 1,
  Payer = 2,
  Payee = 3,
  Claims = 4,
  ProviderAdjustments = 5,
}

/** The part of a remittance read from inside ST..SE; the envelope supplies the rest. */
type RemittanceBody = Omit<
  Remittance835,
  'interchangeControlNumber' | 'groupControlNumber' | 'transactionControlNumber' | 'senderId' | 'receiverId'
>;

/** NM101 entity codes of loop 2100 and where the model keeps them. */
const CLAIM_PARTIES: Readonly<
  Record<string, 'patient' | 'insured' | 'correctedPatient' | 'renderingProvider'>
> = {
  QC: 'patient',
  IL: 'insured',
  '74': 'correctedPatient',
  '82': 'renderingProvider',
};
/** Crossover carrier (TT), corrected priority payer (PR), other subscriber (GB): optional, not modelled. */
const SKIPPED_CLAIM_PARTIES: ReadonlySet<string> = new Set(['TT', 'PR', 'GB']);

interface ClaimInProgress {
  claim: ClaimPayment;
  segment: Segment;
  lines: { line: ServiceLine; segment: Segment }[];
}

/** Parses the segments between ST and SE of one 835 transaction set. */
class TransactionParser {
  private readonly read: ElementReader;
  private stage = Stage.Start;
  private bpr: Segment | undefined;
  private trnSeen = false;
  private trnReported = false;
  private lxSeen = false;
  /** True between LX and the first CLP of its group, where TS3/TS2 may appear. */
  private lxOpen = false;
  private handlingCode = '';
  private paymentCents: Cents = 0;
  private creditDebit: 'C' | 'D' = 'C';
  private paymentMethod = '';
  private paymentDate = '';
  private traceNumber = '';
  private traceOriginator = '';
  private productionDate: string | undefined;
  private readonly headerRefs: Record<string, string> = {};
  private readonly payer: Party = { entity: 'PR' };
  private readonly payee: Party = { entity: 'PE' };
  private readonly claims: ClaimInProgress[] = [];
  private readonly providerAdjustments: ProviderAdjustment[] = [];

  /**
   * `component` is the ISA16 separator: SVC01, SVC06 and PLB03 are composites. `fileDate` (GS04) is the
   * last resort for a missing BPR16.
   */
  constructor(
    private readonly log: ErrorLog,
    private readonly component: string,
    private readonly fileDate: string | undefined,
  ) {
    this.read = new ElementReader(log);
  }

  parse(body: Segment[], se: Segment): RemittanceBody {
    for (const s of body) this.segment(s);
    if (this.stage === Stage.Start) {
      this.log.add(se, 'segment.required', 'BPR must be the first segment after ST');
    }
    if (!this.trnSeen && !this.trnReported) {
      this.log.add(se, 'segment.required', 'TRN (reassociation trace number) must follow BPR');
    }
    this.requireParties(se);
    this.resolvePaymentDate();
    if (!this.read.amountFailed) this.checkBalances();
    const remittance: RemittanceBody = {
      handlingCode: this.handlingCode,
      paymentCents: this.paymentCents,
      creditDebit: this.creditDebit,
      paymentMethod: this.paymentMethod,
      paymentDate: this.paymentDate,
      traceNumber: this.traceNumber,
      traceOriginator: this.traceOriginator,
      payer: this.payer,
      payee: this.payee,
      claims: this.claims.map((c) => c.claim),
      providerAdjustments: this.providerAdjustments,
    };
    if (this.productionDate !== undefined) remittance.productionDate = this.productionDate;
    if (Object.keys(this.headerRefs).length > 0) remittance.refs = this.headerRefs;
    return remittance;
  }

  private get claim(): ClaimInProgress | undefined {
    return this.claims[this.claims.length - 1];
  }

  private get line(): ServiceLine | undefined {
    const lines = this.claim?.lines;
    return lines?.[lines.length - 1]?.line;
  }

  private unexpected(s: Segment): void {
    if (KNOWN_835_SEGMENTS.has(s.id)) {
      this.log.add(s, 'segment.unexpected', `${s.id} is not allowed at this point of an 835`);
    } else {
      this.log.add(s, 'segment.unknown', `"${s.id.slice(0, 10)}" is not an 835 segment`);
    }
  }

  /** BPR, TRN (header), N1*PR and N1*PE are required (835 guide); report each once where it was due. */
  private requireParties(at: Place): void {
    if (this.stage < Stage.Payer) this.log.add(at, 'segment.required', 'the N1*PR payer loop is required');
    if (this.stage < Stage.Payee) this.log.add(at, 'segment.required', 'the N1*PE payee loop is required');
  }

  private enterClaims(s: Segment): void {
    if (this.stage < Stage.Claims) {
      this.requireParties(s);
      this.stage = Stage.Claims;
    }
  }

  private segment(s: Segment): void {
    if (this.stage === Stage.Start) {
      this.stage = Stage.Header;
      if (s.id === 'BPR') {
        this.readBpr(s);
        return;
      }
      this.log.add(s, 'segment.required', 'BPR must be the first segment after ST');
    }
    if (this.stage === Stage.Header && s.id !== 'TRN' && !this.trnSeen && !this.trnReported) {
      this.trnReported = true;
      this.log.add(s, 'segment.required', 'TRN (reassociation trace number) must follow BPR');
    }
    switch (s.id) {
      case 'TRN':
        if (this.stage !== Stage.Header || this.trnSeen) {
          this.unexpected(s);
          return;
        }
        this.readTrn(s);
        return;
      case 'CUR':
        // Foreign currency: optional header segment, nothing in it changes the cents we post.
        if (this.stage !== Stage.Header) this.unexpected(s);
        return;
      case 'REF':
        this.readRef(s);
        return;
      case 'DTM':
        this.readDtm(s);
        return;
      case 'N1':
        this.readN1(s);
        return;
      case 'N3':
      case 'N4':
        this.readAddress(s);
        return;
      case 'PER':
        // Payer contacts and the claim contact are optional and not modelled.
        if (this.stage !== Stage.Payer && !(this.stage === Stage.Claims && this.claim && !this.line)) {
          this.unexpected(s);
        }
        return;
      case 'RDM':
        // Remittance delivery method of the payee loop: optional, not modelled.
        if (this.stage !== Stage.Payee) this.unexpected(s);
        return;
      case 'LX':
        this.enterClaims(s);
        if (this.stage !== Stage.Claims) {
          this.unexpected(s);
          return;
        }
        this.lxSeen = true;
        // LX01 only numbers the header groups; a bad one does not change what is posted.
        if (!/^\d{1,6}$/.test(el(s, 1))) {
          this.log.warn(
            s,
            'element.situational_number',
            `LX01 "${el(s, 1).slice(0, 20)}" is not a group number; ignored`,
            1,
          );
        }
        this.lxOpen = true;
        return;
      case 'TS3':
      case 'TS2':
        // Provider summary (institutional) right after LX: optional, not modelled.
        if (!this.lxOpen) this.unexpected(s);
        return;
      case 'CLP':
        this.enterClaims(s);
        if (this.stage !== Stage.Claims) {
          this.unexpected(s);
          return;
        }
        this.readClp(s);
        return;
      case 'CAS':
        this.readCas(s);
        return;
      case 'NM1':
        this.readNm1(s);
        return;
      case 'MIA':
      case 'MOA':
        this.readClaimRemarks(s);
        return;
      case 'AMT':
        this.readAmt(s);
        return;
      case 'QTY':
        this.readQty(s);
        return;
      case 'SVC':
        this.readSvc(s);
        return;
      case 'LQ':
        this.readLq(s);
        return;
      case 'PLB':
        // PLB closes the claims: any claim segment after it is out of place.
        this.enterClaims(s);
        this.stage = Stage.ProviderAdjustments;
        this.readPlb(s);
        return;
      default:
        this.unexpected(s);
        return;
    }
  }

  private readBpr(s: Segment): void {
    this.bpr = s;
    this.handlingCode = this.read.code(s, 1, HANDLING_CODES);
    const failedBefore = this.read.amountFailed;
    this.paymentCents = this.read.requiredAmount(s, 2);
    const amountRead = this.read.amountFailed === failedBefore;
    if (amountRead && this.paymentCents < 0) {
      this.log.add(
        s,
        'bpr.negative_payment',
        'BPR02 must not be negative: a negative net payment is sent as BPR02 0 with the balance in PLB',
        2,
      );
    }
    if (amountRead && this.handlingCode === 'H' && this.paymentCents !== 0) {
      this.log.add(
        s,
        'bpr.notification_with_amount',
        `BPR01 H (notification only) moves no money, so BPR02 must be 0, not ${el(s, 2)}`,
        2,
      );
    }
    const flag = this.read.code(s, 3, new Set(['C', 'D']));
    this.creditDebit = flag === 'D' ? 'D' : 'C';
    this.paymentMethod = this.read.code(s, 4, PAYMENT_METHODS);
    // BPR16 is read in resolvePaymentDate, once DTM*405 is known.
  }

  /**
   * BPR16 (check issue or EFT effective date) carries no money; payers do send it empty or malformed.
   * Then the date is taken from DTM*405 (production date), else from the file date GS04, and the
   * warning says which: the date only places the payment in time, it is never part of the posting key.
   */
  private resolvePaymentDate(): void {
    const s = this.bpr;
    if (!s) return;
    const v = el(s, 16);
    const iso = v === '' ? undefined : x12DateToIso(v);
    if (iso !== undefined) {
      this.paymentDate = iso;
      return;
    }
    const problem = v === '' ? 'is missing' : `"${v.slice(0, 20)}" is not a valid CCYYMMDD date`;
    const fallback =
      this.productionDate !== undefined
        ? { date: this.productionDate, from: 'the production date DTM*405' }
        : this.fileDate !== undefined
          ? { date: this.fileDate, from: 'the file date GS04' }
          : undefined;
    if (!fallback) {
      this.log.add(s, 'element.required', `BPR16 payment date ${problem} and the file has no other date`, 16);
      return;
    }
    this.paymentDate = fallback.date;
    this.log.warn(
      s,
      'bpr.payment_date_fallback',
      `BPR16 payment date ${problem}; ${fallback.date} was taken from ${fallback.from}`,
      16,
    );
  }

  private readTrn(s: Segment): void {
    this.trnSeen = true;
    this.read.code(s, 1, new Set(['1']));
    this.traceNumber = this.read.required(s, 2);
    this.traceOriginator = this.read.required(s, 3);
  }

  private refTarget(): Record<string, string> | undefined {
    switch (this.stage) {
      case Stage.Header:
        return this.headerRefs;
      case Stage.Payer:
        this.payer.refs ??= {};
        return this.payer.refs;
      case Stage.Payee:
        this.payee.refs ??= {};
        return this.payee.refs;
      case Stage.Claims:
        return this.line?.refs ?? this.claim?.claim.refs;
      default:
        return undefined;
    }
  }

  private readRef(s: Segment): void {
    const target = this.refTarget();
    if (!target) {
      this.unexpected(s);
      return;
    }
    const qualifier = this.read.required(s, 1);
    const value = this.read.required(s, 2);
    if (qualifier !== '' && value !== '') target[qualifier] = value;
  }

  private readDtm(s: Segment): void {
    const qualifier = this.read.required(s, 1);
    if (this.stage === Stage.Header) {
      // The only header date is DTM*405, the production date.
      if (qualifier !== '405') {
        this.log.add(s, 'element.code', 'the header DTM must be DTM*405', 1);
        return;
      }
      this.productionDate = this.read.situationalDate(s, 2);
      return;
    }
    if (this.stage !== Stage.Claims || !this.claim) {
      this.unexpected(s);
      return;
    }
    const line = this.line;
    if (!line) {
      // Loop 2100 dates (statement period, received, expiration) carry no money: a bad one is dropped.
      const date = this.read.situationalDate(s, 2);
      if (qualifier !== '' && date !== undefined) this.claim.claim.dates[qualifier] = date;
      return;
    }
    // Loop 2110 dates: 472 service date, or a 150/151 service period. They identify the service the
    // money is for, so they stay strict.
    const value = this.read.date(s, 2, true);
    if (qualifier === '472' || qualifier === '150') line.serviceDate = value ?? '';
    else if (qualifier === '151') line.serviceDateEnd = value ?? '';
    else this.log.add(s, 'element.code', `DTM*${qualifier} is not a service line date (472, 150, 151)`, 1);
  }

  private readN1(s: Segment): void {
    const entity = this.read.required(s, 1);
    let party: Party;
    if (entity === 'PR' && this.stage === Stage.Header) {
      this.stage = Stage.Payer;
      party = this.payer;
    } else if (entity === 'PE' && (this.stage === Stage.Header || this.stage === Stage.Payer)) {
      if (this.stage === Stage.Header)
        this.log.add(s, 'segment.required', 'the N1*PR payer loop is required');
      this.stage = Stage.Payee;
      party = this.payee;
    } else if (entity !== 'PR' && entity !== 'PE' && entity !== '') {
      this.log.add(s, 'element.code', `N1*${entity} is not an 835 party (PR payer, PE payee)`, 1);
      return;
    } else {
      this.unexpected(s);
      return;
    }
    const name = this.read.optional(s, 2);
    const qualifier = this.read.optional(s, 3);
    const id = this.read.optional(s, 4);
    if (name !== undefined) party.name = name;
    if (qualifier !== undefined) party.idQualifier = qualifier;
    if (id !== undefined) party.id = id;
  }

  private readAddress(s: Segment): void {
    const party =
      this.stage === Stage.Payer ? this.payer : this.stage === Stage.Payee ? this.payee : undefined;
    if (!party) {
      this.unexpected(s);
      return;
    }
    party.address ??= { lines: [] };
    const address: PartyAddress = party.address;
    if (s.id === 'N3') {
      address.lines.push(this.read.required(s, 1));
      const line2 = this.read.optional(s, 2);
      if (line2 !== undefined) address.lines.push(line2);
      return;
    }
    const fields = ['city', 'state', 'postalCode', 'countryCode'] as const;
    fields.forEach((field, i) => {
      const v = this.read.optional(s, i + 1);
      if (v !== undefined) address[field] = v;
    });
  }

  private readClp(s: Segment): void {
    this.lxOpen = false;
    if (!this.lxSeen) this.log.add(s, 'segment.required', 'claims must be inside an LX header group');
    this.lxSeen = true;
    const claim: ClaimPayment = {
      patientControlNumber: this.read.required(s, 1),
      statusCode: this.read.code(s, 2, CLAIM_STATUS_CODES) as ClaimStatusCode,
      chargeCents: this.read.requiredAmount(s, 3),
      paidCents: this.read.requiredAmount(s, 4),
      patientResponsibilityCents: this.read.amount(s, 5, false) ?? 0,
      payerClaimNumber: this.read.required(s, 7),
      adjustments: [],
      remarkCodes: [],
      refs: {},
      dates: {},
      amounts: {},
      quantities: {},
      serviceLines: [],
    };
    const filing = this.read.optional(s, 6);
    const facility = this.read.optional(s, 8);
    const frequency = this.read.optional(s, 9);
    if (filing !== undefined) claim.filingIndicator = filing;
    if (facility !== undefined) claim.facilityCode = facility;
    if (frequency !== undefined) claim.frequencyCode = frequency;
    this.claims.push({ claim, segment: s, lines: [] });
  }

  /** CAS: a group code then one to six (reason, amount, quantity) triplets (CAS02..CAS19). */
  private readCas(s: Segment): void {
    const target = this.line?.adjustments ?? this.claim?.claim.adjustments;
    if (this.stage !== Stage.Claims || !target) {
      this.unexpected(s);
      return;
    }
    const group = this.read.code(s, 1, CAS_GROUP_CODES) as CasGroupCode;
    if (s.elements.length > 20) {
      this.read.amountFailed = true;
      this.log.add(s, 'cas.triplet', 'CAS holds at most six (reason, amount, quantity) triplets', 20);
    }
    let triplets = 0;
    for (let t = 0; t < 6; t++) {
      const r = 2 + 3 * t;
      const reason = el(s, r);
      const amountText = el(s, r + 1);
      const quantityText = el(s, r + 2);
      if (reason === '' && amountText === '' && quantityText === '') continue;
      triplets++;
      if (reason === '' || amountText === '') {
        this.read.amountFailed = true;
        this.log.add(s, 'cas.triplet', `CAS triplet ${t + 1} needs both a reason code and an amount`, r);
        continue;
      }
      const adjustment: Adjustment = { group, reason, amountCents: this.read.requiredAmount(s, r + 1) };
      const quantity = this.read.number(s, r + 2, false);
      if (quantity !== undefined) adjustment.quantity = quantity;
      target.push(adjustment);
    }
    if (triplets === 0 && s.elements.length <= 20) {
      this.log.add(s, 'cas.triplet', 'CAS needs at least one (reason, amount) triplet', 2);
    }
  }

  private readNm1(s: Segment): void {
    const claim = this.claim?.claim;
    if (this.stage !== Stage.Claims || !claim || this.line) {
      this.unexpected(s);
      return;
    }
    const entity = this.read.required(s, 1);
    const slot = CLAIM_PARTIES[entity];
    if (!slot) {
      if (!SKIPPED_CLAIM_PARTIES.has(entity) && entity !== '') {
        this.log.add(s, 'element.code', `NM1*${entity} is not a claim party of the 835`, 1);
      }
      return;
    }
    const party: Party = { entity };
    const type = this.read.code(s, 2, new Set(['1', '2']));
    if (type === '1' || type === '2') party.entityType = type;
    const fields = [
      [3, 'name'],
      [4, 'firstName'],
      [5, 'middleName'],
      [8, 'idQualifier'],
      [9, 'id'],
    ] as const;
    for (const [n, field] of fields) {
      const v = this.read.optional(s, n);
      if (v !== undefined) party[field] = v;
    }
    claim[slot] = party;
  }

  /** MIA (inpatient) and MOA (outpatient) claim remark codes; amounts in them are checked but not kept. */
  private readClaimRemarks(s: Segment): void {
    const claim = this.claim?.claim;
    if (this.stage !== Stage.Claims || !claim || this.line) {
      this.unexpected(s);
      return;
    }
    const amounts = s.id === 'MIA' ? MIA_AMOUNTS : [2, 8, 9];
    const quantities = s.id === 'MIA' ? MIA_QUANTITIES : [1];
    const remarks = s.id === 'MIA' ? MIA_REMARKS : [3, 4, 5, 6, 7];
    for (const n of amounts) this.read.amount(s, n, false);
    quantities.forEach((n, i) => {
      this.read.number(s, n, s.id === 'MIA' && i === 0);
    });
    for (const n of remarks) {
      const code = this.read.optional(s, n);
      if (code !== undefined) claim.remarkCodes.push(code);
    }
  }

  private readAmt(s: Segment): void {
    const target = this.line?.amounts ?? this.claim?.claim.amounts;
    if (this.stage !== Stage.Claims || !target) {
      this.unexpected(s);
      return;
    }
    const qualifier = this.read.required(s, 1);
    const cents = this.read.amount(s, 2, true);
    if (qualifier !== '' && cents !== undefined) target[qualifier] = cents;
  }

  private readQty(s: Segment): void {
    const claim = this.claim?.claim;
    if (this.stage !== Stage.Claims || !claim) {
      this.unexpected(s);
      return;
    }
    const qualifier = this.read.required(s, 1);
    const value = this.read.number(s, 2, true);
    // Line-level QTY (ZK federal units, ...) is optional and not modelled.
    if (!this.line && qualifier !== '' && value !== undefined) claim.quantities[qualifier] = value;
  }

  private procedure(s: Segment, n: number): ServiceLine['procedure'] | undefined {
    const v = el(s, n);
    if (v === '') return undefined;
    const separator = this.compositeSeparator(s, n, v);
    const [qualifier = '', code = '', ...rest] = v.split(separator);
    if (qualifier === '' || code === '') {
      this.log.add(s, 'element.composite', `${s.id}${nn(n)} needs a qualifier and a procedure code`, n);
    }
    // Components 3..6 are modifiers; component 7 is a free-text description we do not keep.
    const modifiers = rest.slice(0, 4).filter((m) => m !== '');
    return { qualifier, code, modifiers };
  }

  /**
   * The separator of an SVC01/SVC06 composite. Some payers write it with a component separator other
   * than ISA16 (`HC>99213>25` in a file whose ISA16 is `:`). When the element does not contain ISA16
   * but exactly one other punctuation character, and splitting on it gives a known product/service
   * qualifier and a code, that split is the only reading: it is used, with a warning. Anything else
   * keeps ISA16 and is refused if it does not split.
   */
  private compositeSeparator(s: Segment, n: number, v: string): string {
    if (v.includes(this.component)) return this.component;
    const candidates = new Set([...v].filter((c) => !/[A-Za-z0-9 .\-/,'&()#]/.test(c)));
    if (candidates.size !== 1) return this.component;
    const [candidate = this.component] = candidates;
    const [qualifier = '', code = ''] = v.split(candidate);
    if (!PRODUCT_QUALIFIERS.has(qualifier) || code === '') return this.component;
    this.log.warn(
      s,
      'noise.composite_separator',
      `${s.id}${nn(n)} uses "${candidate}" as its component separator instead of ISA16 "${this.component}"; it was split on "${candidate}"`,
      n,
    );
    return candidate;
  }

  private readSvc(s: Segment): void {
    const current = this.claim;
    if (this.stage !== Stage.Claims || !current) {
      this.unexpected(s);
      return;
    }
    const procedure = this.procedure(s, 1);
    if (!procedure) this.log.add(s, 'element.required', 'SVC01 procedure is required', 1);
    const line: ServiceLine = {
      procedure: procedure ?? { qualifier: '', code: '', modifiers: [] },
      chargeCents: this.read.requiredAmount(s, 2),
      paidCents: this.read.requiredAmount(s, 3),
      adjustments: [],
      refs: {},
      amounts: {},
      remarkCodes: [],
    };
    const revenueCode = this.read.optional(s, 4);
    const unitsPaid = this.read.number(s, 5, false);
    const original = this.procedure(s, 6);
    const originalUnits = this.read.number(s, 7, false);
    if (revenueCode !== undefined) line.revenueCode = revenueCode;
    if (unitsPaid !== undefined) line.unitsPaid = unitsPaid;
    if (original) line.originalProcedure = original;
    if (originalUnits !== undefined) line.originalUnits = originalUnits;
    current.claim.serviceLines.push(line);
    current.lines.push({ line, segment: s });
  }

  private readLq(s: Segment): void {
    const line = this.line;
    if (this.stage !== Stage.Claims || !line) {
      this.unexpected(s);
      return;
    }
    const qualifier = this.read.code(s, 1, new Set(['HE', 'RX']));
    const code = this.read.required(s, 2);
    // HE is a RARC; RX (NCPDP reject reason) is pharmacy-only and not modelled.
    if (qualifier === 'HE' && code !== '') line.remarkCodes.push(code);
  }

  /** PLB: provider, fiscal period date, then one to six (reason:reference, amount) pairs (PLB03..PLB14). */
  private readPlb(s: Segment): void {
    const providerId = this.read.required(s, 1);
    const fiscalPeriodDate = this.read.date(s, 2, true) ?? '';
    if (s.elements.length > 15) {
      this.read.amountFailed = true;
      this.log.add(s, 'plb.pair', 'PLB holds at most six adjustment pairs', 15);
    }
    let pairs = 0;
    for (let p = 0; p < 6; p++) {
      const n = 3 + 2 * p;
      const composite = el(s, n);
      const amountText = el(s, n + 1);
      if (composite === '' && amountText === '') continue;
      pairs++;
      const [reason = '', reference = ''] = composite.split(this.component);
      if (reason === '' || amountText === '') {
        this.read.amountFailed = true;
        this.log.add(s, 'plb.pair', `PLB pair ${p + 1} needs an adjustment reason and an amount`, n);
        continue;
      }
      const adjustment: ProviderAdjustment = {
        providerId,
        fiscalPeriodDate,
        reason,
        amountCents: this.read.requiredAmount(s, n + 1),
      };
      if (reference !== '') adjustment.reference = reference;
      this.providerAdjustments.push(adjustment);
    }
    if (pairs === 0 && s.elements.length <= 15) {
      this.log.add(s, 'plb.pair', 'PLB needs at least one adjustment pair', 3);
    }
  }

  /**
   * The balancing rules of the 835 guide (section 1.10.2): per line SVC02 - SVC03 = line CAS; per claim
   * CLP03 - CLP04 = claim CAS + line CAS; per payment BPR02 = sum(CLP04) - sum(PLB04..). Reversals
   * (CLP02 = 22) carry negated amounts and balance the same way.
   */
  private checkBalances(): void {
    let paidTotal = 0;
    for (const { claim, segment, lines } of this.claims) {
      let lineCas = 0;
      for (const { line, segment: svc } of lines) {
        const cas = sumAdjustments(line.adjustments);
        lineCas += cas;
        if (line.chargeCents - line.paidCents !== cas) {
          this.log.add(
            svc,
            'balance.line',
            `service line charge ${line.chargeCents} - paid ${line.paidCents} must equal its CAS total ${cas} (cents)`,
          );
        }
      }
      const claimCas = sumAdjustments(claim.adjustments) + lineCas;
      if (claim.chargeCents - claim.paidCents !== claimCas) {
        this.log.add(
          segment,
          'balance.claim',
          `claim ${claim.patientControlNumber}: charge ${claim.chargeCents} - paid ${claim.paidCents} must equal claim and line CAS ${claimCas} (cents)`,
        );
      }
      paidTotal += claim.paidCents;
    }
    if (!this.bpr) return;
    const plbTotal = this.providerAdjustments.reduce((sum, a) => sum + a.amountCents, 0);
    // BPR03 = D means money flows from the provider; compare the signed amount.
    const signedPayment = this.creditDebit === 'D' ? -this.paymentCents : this.paymentCents;
    if (signedPayment !== paidTotal - plbTotal) {
      this.log.add(
        this.bpr,
        'balance.payment',
        `BPR02 ${signedPayment} must equal claims paid ${paidTotal} - provider adjustments ${plbTotal} (cents)`,
        2,
      );
    }
  }
}

function sumAdjustments(adjustments: Adjustment[]): Cents {
  return adjustments.reduce((sum, a) => sum + a.amountCents, 0);
}

/** Checks ISA contents beyond their widths (the tokenizer checked those). */
function checkIsa(isa: Segment, log: ErrorLog): void {
  const date = el(isa, 9);
  const ok =
    /^\d{6}$/.test(date) &&
    isCalendarDate(2000 + Number(date.slice(0, 2)), Number(date.slice(2, 4)), Number(date.slice(4)));
  if (!ok) log.add(isa, 'element.date', `ISA09 "${date}" is not a valid YYMMDD date`, 9);
  if (!/^([01]\d|2[0-3])[0-5]\d$/.test(el(isa, 10)))
    log.add(isa, 'envelope.isa_field', 'ISA10 is not HHMM', 10);
  if (!/^\d{9}$/.test(el(isa, 13))) log.add(isa, 'envelope.isa_field', 'ISA13 must be nine digits', 13);
  if (!/^[01]$/.test(el(isa, 14))) log.add(isa, 'envelope.isa_field', 'ISA14 must be 0 or 1', 14);
  if (!/^[PT]$/.test(el(isa, 15))) log.add(isa, 'envelope.isa_field', 'ISA15 must be P or T', 15);
}

function endOf(segments: Segment[], expected: string): Place {
  const last = segments[segments.length - 1];
  return { position: (last?.position ?? 0) + 1, id: expected };
}

const ENVELOPE_BOUNDARIES: ReadonlySet<string> = new Set(['SE', 'ST', 'GE', 'GS', 'IEA', 'ISA']);

/** Parses one ISA..IEA interchange, appending its remittances. */
function parseInterchange(interchange: TokenizedInterchange, log: ErrorLog, out: Remittance835[]): void {
  const { segments, delimiters } = interchange;
  const isa = segments[0]!;
  checkIsa(isa, log);
  const interchangeControlNumber = el(isa, 13);
  const senderId = el(isa, 6).trim();
  const receiverId = el(isa, 8).trim();
  let groups = 0;
  let i = 1;
  for (;;) {
    const s = segments[i];
    if (!s) {
      log.add(
        endOf(segments, 'IEA'),
        'envelope.iea_missing',
        'the interchange ends without IEA (truncated file)',
      );
      return;
    }
    if (s.id === 'IEA') {
      // X12.5: IEA01 = number of functional groups, IEA02 = ISA13.
      if (el(s, 1) !== String(groups)) {
        log.add(
          s,
          'envelope.iea01_count',
          `IEA01 "${el(s, 1)}" must count the ${groups} functional groups`,
          1,
        );
      }
      if (el(s, 2) !== interchangeControlNumber) {
        log.add(s, 'envelope.iea02_control_number', `IEA02 "${el(s, 2)}" must equal ISA13`, 2);
      }
      return;
    }
    if (s.id !== 'GS') {
      log.add(s, 'envelope.unexpected_segment', `${s.id.slice(0, 10)} is outside any functional group`);
      i++;
      continue;
    }
    groups++;
    i = parseGroup(segments, i, log, out, {
      interchangeControlNumber,
      senderId,
      receiverId,
      component: delimiters.component,
    });
  }
}

interface GroupContext {
  interchangeControlNumber: string;
  senderId: string;
  receiverId: string;
  component: string;
}

/** Parses GS..GE starting at `start`; returns the index after the group. */
function parseGroup(
  segments: Segment[],
  start: number,
  log: ErrorLog,
  out: Remittance835[],
  ctx: GroupContext,
): number {
  const gs = segments[start]!;
  // GS01 HP = health care claim payment/advice, the functional group of the 835.
  if (el(gs, 1) !== 'HP') log.add(gs, 'envelope.gs01_functional_id', 'GS01 must be HP for an 835 group', 1);
  if (x12DateToIso(el(gs, 4)) === undefined)
    log.add(gs, 'element.date', 'GS04 is not a valid CCYYMMDD date', 4);
  const fileDate = x12DateToIso(el(gs, 4));
  // GS08 names the implementation guide; a 4010 group inside a 5010 envelope is told its version.
  const version = el(gs, 8);
  if (version !== '' && version !== '005010X221A1' && version !== '005010X221') {
    log.add(
      gs,
      'envelope.gs08_version',
      `only 005010X221A1 is accepted; this group is version ${version.slice(0, 12)}`,
      8,
    );
  }
  const groupControlNumber = el(gs, 6);
  if (!/^\d{1,9}$/.test(groupControlNumber)) {
    log.add(gs, 'envelope.gs06_control_number', 'GS06 must be 1 to 9 digits', 6);
  }
  let transactions = 0;
  let i = start + 1;
  for (;;) {
    const s = segments[i];
    if (!s || s.id === 'GS' || s.id === 'IEA' || s.id === 'ISA') {
      log.add(s ?? endOf(segments, 'GE'), 'envelope.ge_missing', 'the functional group ends without GE');
      return i;
    }
    if (s.id === 'GE') {
      // X12.5: GE01 = number of transaction sets, GE02 = GS06.
      if (el(s, 1) !== String(transactions)) {
        log.add(
          s,
          'envelope.ge01_count',
          `GE01 "${el(s, 1)}" must count the ${transactions} transaction sets`,
          1,
        );
      }
      if (el(s, 2) !== groupControlNumber) {
        log.add(s, 'envelope.ge02_control_number', `GE02 "${el(s, 2)}" must equal GS06`, 2);
      }
      return i + 1;
    }
    if (s.id !== 'ST') {
      log.add(s, 'envelope.unexpected_segment', `${s.id.slice(0, 10)} is outside any transaction set`);
      i++;
      continue;
    }
    transactions++;
    i = parseTransaction(segments, i, log, out, { ...ctx, groupControlNumber, fileDate });
  }
}

/** Parses ST..SE starting at `start`; returns the index after the transaction set. */
function parseTransaction(
  segments: Segment[],
  start: number,
  log: ErrorLog,
  out: Remittance835[],
  ctx: GroupContext & { groupControlNumber: string; fileDate: string | undefined },
): number {
  const st = segments[start]!;
  let end = start + 1;
  while (end < segments.length && !ENVELOPE_BOUNDARIES.has(segments[end]!.id)) end++;
  const se = segments[end];
  if (se?.id !== 'SE') {
    log.add(
      se ?? endOf(segments, 'SE'),
      'envelope.se_missing',
      'the transaction set ends without SE (truncated)',
    );
    return end;
  }
  const transactionControlNumber = el(st, 2);
  if (el(st, 1) !== '835') {
    log.add(st, 'envelope.st01_transaction_type', `ST01 "${el(st, 1)}" is not 835`, 1);
    return end + 1;
  }
  if (!/^[A-Za-z0-9]{4,9}$/.test(transactionControlNumber)) {
    log.add(st, 'envelope.st02_control_number', 'ST02 must be 4 to 9 characters', 2);
  }
  // SE01 counts every segment of the set, ST and SE included; SE02 repeats ST02.
  const count = end - start + 1;
  if (el(se, 1) !== String(count)) {
    log.add(se, 'envelope.se01_count', `SE01 "${el(se, 1)}" must be the segment count ${count}`, 1);
  }
  if (el(se, 2) !== transactionControlNumber) {
    log.add(se, 'envelope.se02_control_number', `SE02 "${el(se, 2)}" must equal ST02`, 2);
  }
  const parser = new TransactionParser(log, ctx.component, ctx.fileDate);
  const body = parser.parse(segments.slice(start + 1, end), se);
  out.push({
    interchangeControlNumber: ctx.interchangeControlNumber,
    groupControlNumber: ctx.groupControlNumber,
    transactionControlNumber,
    senderId: ctx.senderId,
    receiverId: ctx.receiverId,
    ...body,
  });
  return end + 1;
}

/**
 * Parses every 835 transaction set of the input (several ISA, several GS per ISA, several ST per GS).
 * Delimiters are read from each ISA. Strict on money, tolerant of noise (docs/835-tolerance.md): the
 * whole input is refused if any rule is broken (envelope counts and control numbers, version, required
 * segments and elements, calendar dates of service, exact amounts, CAS/PLB shape, BPR sign and the 835
 * balancing rules), with every error found, each with its 1-based segment position (counting from the
 * first ISA), segment id, element and stable rule name, in segment order. Harmless noise (white space
 * between segments, a byte-order mark, a DOS end-of-file byte, a missing BPR16, a foreign SVC01
 * component separator, ...) is accepted and reported in `warnings`.
 *
 * @throws X12ParseError and nothing else, whatever the input.
 */
export function parse835WithWarnings(text: string): Parse835Result {
  const log = new ErrorLog();
  const remittances: Remittance835[] = [];
  for (const interchange of tokenize(text, log.warnings)) parseInterchange(interchange, log, remittances);
  if (log.errors.length > 0) throw new X12ParseError(log.errors);
  return { remittances, warnings: log.warnings.list() };
}

/** `parse835WithWarnings` without the warnings: the remittances of an accepted file. */
export function parse835(text: string): Remittance835[] {
  return parse835WithWarnings(text).remittances;
}
