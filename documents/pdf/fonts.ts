/**
 * The fonts every document embeds: DejaVu Sans from the `dejavu-fonts-ttf` npm package. PDF's standard
 * fonts are not embedded, so a payer's system or a print vendor could substitute glyphs; an embedded
 * TrueType font prints the same everywhere and covers the accents in patient and street names.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const FONT_DIR = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');

/** Paths of the TrueType files, by role. */
export const FONT_FILES = {
  regular: join(FONT_DIR, 'DejaVuSans.ttf'),
  bold: join(FONT_DIR, 'DejaVuSans-Bold.ttf'),
  italic: join(FONT_DIR, 'DejaVuSans-Oblique.ttf'),
} as const;

export type FontRole = keyof typeof FONT_FILES;

const cache = new Map<FontRole, Buffer>();

/** The bytes of one font file (read once per process; the files never change at run time). */
export function fontBytes(role: FontRole): Buffer {
  let bytes = cache.get(role);
  if (!bytes) {
    bytes = readFileSync(FONT_FILES[role]);
    cache.set(role, bytes);
  }
  return bytes;
}
