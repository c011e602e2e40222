import { describe, expect, it } from 'vitest';
import { correctionError } from '../../../domain/corrections.js';
import { corrections } from './corrections-cases.js';

describe('corrections a biller may send', () => {
  it.each(corrections)('%s', (_name, changes, expected) => {
    expect(correctionError(changes)).toEqual(expected);
  });
});
