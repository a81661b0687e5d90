/**
 * Where the bench's outputs go: results JSON files, SVG charts, and the bench's own
 * sections of benchmarks/RESULTS.md (between markers, so other sections are never touched).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RESULTS_DIR, mergeResults } from '../results.js';

/** benchmarks/charts in the source tree. */
export const CHARTS_DIR = path.resolve(RESULTS_DIR, '..', 'charts');
/** benchmarks/RESULTS.md in the source tree. */
export const RESULTS_MD = path.resolve(RESULTS_DIR, '..', 'RESULTS.md');

/** Writes `value` as pretty JSON to `dir/file` (replacing it); returns the path. */
export function writeJson(dir: string, file: string, value: unknown): string {
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, file);
  fs.writeFileSync(target, `${JSON.stringify(value, jsonReplacer, 2)}\n`);
  return target;
}

/**
 * Merges top-level keys into `dir/file`, keeping every other key. In the committed results
 * folder this is `mergeResults` itself.
 */
export function mergeJson(dir: string, file: string, value: Record<string, unknown>): string {
  const plain = JSON.parse(JSON.stringify(value, jsonReplacer)) as Record<string, unknown>;
  if (path.resolve(dir) === RESULTS_DIR) return mergeResults(file, plain);
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, file);
  const existing = fs.existsSync(target) ? (JSON.parse(fs.readFileSync(target, 'utf8')) as Record<string, unknown>) : {};
  fs.writeFileSync(target, `${JSON.stringify({ ...existing, ...plain, updated: new Date().toISOString() }, null, 2)}\n`);
  return target;
}

/** Writes an SVG file; returns the path. */
export function writeChart(dir: string, file: string, svg: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const target = path.join(dir, file);
  fs.writeFileSync(target, svg);
  return target;
}

/** JSON cannot hold Infinity or NaN: an unlimited cap is written as the string 'unlimited'. */
function jsonReplacer(_key: string, value: unknown): unknown {
  if (value === Infinity) return 'unlimited';
  if (typeof value === 'number' && Number.isNaN(value)) return null;
  return value;
}

const begin = (id: string): string => `<!-- jsii-ring bench: ${id} -->`;
const end = (id: string): string => `<!-- /jsii-ring bench: ${id} -->`;

/**
 * Replaces the section `id` of a Markdown file (the text between its two markers), or
 * appends it at the end if the file has no such section yet. Nothing outside the markers
 * changes.
 */
export function updateMarkdownSection(file: string, id: string, markdown: string): void {
  const text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const block = `${begin(id)}\n${markdown.trim()}\n${end(id)}`;
  const start = text.indexOf(begin(id));
  const stop = text.indexOf(end(id));
  let next: string;
  if (start >= 0 && stop > start) {
    next = text.slice(0, start) + block + text.slice(stop + end(id).length);
  } else {
    next = `${text.replace(/\s*$/, '')}\n\n${block}\n`;
  }
  fs.writeFileSync(file, next);
}

/** A Markdown table. */
export function table(header: readonly string[], rows: readonly (readonly (string | number)[])[], align?: readonly ('l' | 'r')[]): string {
  const sep = header.map((_, i) => ((align?.[i] ?? 'l') === 'r' ? '---:' : '---'));
  return [header, sep, ...rows.map((r) => r.map(String))].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** A number for a table: fixed decimals, thousands separators. */
export function fmt(value: number | null | undefined, digits = 0): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
