/**
 * Child process of the ERA bench: reads an 835 file and parses it as ingestion does, then prints its
 * own peak RSS, so nothing but the parse counts towards the figure.
 */
import { readFileSync } from 'node:fs';
import { parse835 } from '../domain/x12/index.js';

const file = process.argv[2];
if (!file) throw new Error('usage: era-rss.ts <file.835>');
const parsed = parse835(readFileSync(file, 'utf8'));
const claims = parsed.reduce((n, r) => n + r.claims.length, 0);
console.log(JSON.stringify({ claims, peakRssBytes: process.resourceUsage().maxRSS * 1024 }));
