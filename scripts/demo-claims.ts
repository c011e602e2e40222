/**
 * The demo claims `npm start` submits: one per interesting path, steered by payer-sim's member-id
 * scenarios (payer-sim/README.md). Ids are fixed so a second start finds them instead of duplicating.
 */
const DAY = 86_400_000;

interface DemoSpec {
  claimId: string;
  practiceId: 'sunrise-fp' | 'lakeside-ortho';
  payerId: string;
  memberId: string;
  procedure: string;
  chargeCents: number;
  daysAgo: number;
  name: [string, string];
}

const SPECS: DemoSpec[] = [
  {
    claimId: 'DEMO-1001',
    practiceId: 'sunrise-fp',
    payerId: 'MEDICARE',
    memberId: 'PAID-1EG4TE5MK73',
    procedure: '99213',
    chargeCents: 18_500,
    daysAgo: 12,
    name: ['Alma', 'Reyes'],
  },
  {
    claimId: 'DEMO-1002',
    practiceId: 'sunrise-fp',
    payerId: 'ACME-HEALTH',
    memberId: 'COINS-ACM448812',
    procedure: '99214',
    chargeCents: 26_000,
    daysAgo: 20,
    name: ['Ben', 'Okafor'],
  },
  {
    claimId: 'DEMO-1003',
    practiceId: 'sunrise-fp',
    payerId: 'BLUEPEAK',
    memberId: 'DENY50-BP77120',
    procedure: '97110',
    chargeCents: 14_000,
    daysAgo: 25,
    name: ['Chen', 'Wu'],
  },
  {
    claimId: 'DEMO-1004',
    practiceId: 'sunrise-fp',
    payerId: 'SUNSHINE-MA',
    memberId: 'INFO16-SMA9012',
    procedure: '99203',
    chargeCents: 21_000,
    daysAgo: 18,
    name: ['Dana', 'Levi'],
  },
  {
    claimId: 'DEMO-1005',
    practiceId: 'sunrise-fp',
    payerId: 'TX-MEDICAID',
    memberId: 'ELIG27-TX55120',
    procedure: '99212',
    chargeCents: 9_500,
    daysAgo: 30,
    name: ['Eli', 'Moreno'],
  },
  {
    claimId: 'DEMO-1006',
    practiceId: 'lakeside-ortho',
    payerId: 'ACME-HEALTH',
    memberId: 'AUTH197-AC1201',
    procedure: '29881',
    chargeCents: 420_000,
    daysAgo: 15,
    name: ['Fay', 'Olsen'],
  },
  {
    claimId: 'DEMO-1007',
    practiceId: 'lakeside-ortho',
    payerId: 'BLUEPEAK',
    memberId: 'DEDUCT-BP33018',
    procedure: '73721',
    chargeCents: 98_000,
    daysAgo: 9,
    name: ['Gus', 'Patel'],
  },
  {
    claimId: 'DEMO-1008',
    practiceId: 'lakeside-ortho',
    payerId: 'MEDICARE',
    memberId: 'DUP18-2HU7YT4',
    procedure: '20610',
    chargeCents: 16_500,
    daysAgo: 22,
    name: ['Hana', 'Sato'],
  },
  {
    claimId: 'DEMO-1009',
    practiceId: 'lakeside-ortho',
    payerId: 'SUNSHINE-MA',
    memberId: 'SLOW-SMA20311',
    procedure: '99204',
    chargeCents: 31_000,
    daysAgo: 6,
    name: ['Ivan', 'Kruger'],
  },
  {
    claimId: 'DEMO-1010',
    practiceId: 'lakeside-ortho',
    payerId: 'ACME-HEALTH',
    memberId: 'CODE4-AC99017',
    procedure: '20611',
    chargeCents: 22_500,
    daysAgo: 14,
    name: ['Jo', 'Nguyen'],
  },
];

export function demoClaims(now = Date.now()) {
  return SPECS.map((s) => {
    const dos = new Date(now - s.daysAgo * DAY).toISOString().slice(0, 10);
    return {
      practiceId: s.practiceId,
      claimId: s.claimId,
      payerId: s.payerId,
      billingProviderNpi: s.practiceId === 'sunrise-fp' ? '1234567893' : '1987654328',
      dateOfService: dos,
      patient: {
        externalId: `PT-${s.claimId}`,
        firstName: s.name[0],
        lastName: s.name[1],
        birthDate: '1961-07-14',
        memberId: s.memberId,
      },
      diagnosisCodes: ['M25.561', 'E11.9'],
      lines: [
        {
          procedureCode: s.procedure,
          modifiers: [],
          units: 1,
          chargeCents: s.chargeCents,
          diagnosisPointers: [1, 2],
        },
      ],
    };
  });
}
