/** Table of correction inputs and the field error each must give (undefined when allowed). */
export const corrections: [
  string,
  Record<string, unknown>,
  { field: string; message: string } | undefined,
][] = [
  [
    'a procedure code and modifiers are correctable',
    { 'lines.1.procedureCode': '99214', 'lines.1.modifiers': ['25'] },
    undefined,
  ],
  [
    'diagnosis codes must be ICD-10-CM',
    { diagnosisCodes: ['not-a-code'] },
    { field: 'diagnosisCodes', message: 'must be 1 to 12 ICD-10-CM codes' },
  ],
  [
    'the payer id is not a correctable field',
    { payerId: 'X' },
    { field: 'payerId', message: 'is not a correctable field' },
  ],
  ['an empty correction is refused', {}, { field: 'changes', message: 'at least one change is required' }],
  [
    'a negative charge is refused',
    { 'lines.2.chargeCents': -5 },
    { field: 'lines.2.chargeCents', message: 'must be positive integer cents' },
  ],
];
