/** Activity inputs and outputs, shared with workflow code as types only (they are Postgres records). */
export type * from '../db/records.js';
