/** Every conformance script, in one list (names are unique; checked at load). */
import type { ConformanceScript } from '../script.js';
import { ASYNC } from './async.js';
import { BASICS } from './basics.js';
import { CALLBACKS } from './callbacks.js';
import { CLASSES } from './classes.js';
import { CRASHES, ERRORS } from './errors.js';
import { INTERFACES } from './interfaces.js';
import { STATICS } from './statics.js';
import { VALUES } from './values.js';

/** All scripts, in a stable order. */
export const ALL_SCRIPTS: readonly ConformanceScript[] = [
  ...BASICS, ...STATICS, ...CLASSES, ...VALUES, ...INTERFACES, ...CALLBACKS, ...ASYNC, ...ERRORS, ...CRASHES,
];

const seen = new Set<string>();
for (const script of ALL_SCRIPTS) {
  if (seen.has(script.name)) throw new Error(`duplicate conformance script name: ${script.name}`);
  seen.add(script.name);
}

/** The script called `name`. */
export function scriptNamed(name: string): ConformanceScript | undefined {
  return ALL_SCRIPTS.find((s) => s.name === name);
}
