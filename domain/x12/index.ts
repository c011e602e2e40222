/**
 * X12 EDI for denial management: the 835 remittance model, its parser and builder, and a minimal 837P
 * builder. Everything here is pure (no I/O), so workflows, activities and payer-sim can all use it.
 */
export { type Build835Options, build835 } from './build835.js';
export { type Build837Options, build837P, type Claim837Input, type Claim837Line } from './build837.js';
export * from './model.js';
export { parse835, parse835WithWarnings } from './parse835.js';
export { type EnvelopeOptions, X12BuildError } from './writer.js';
