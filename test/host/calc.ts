/** The calc fixture, as host tests load it into a `KernelClient`. */
import type { KernelConnection } from '../../lib/host/connection.js';
import type { ObjRef } from '../../lib/protocol/api.js';
import { ensureFixtures } from '../helpers/fixture.js';

/** The fixture's assembly name. */
export const CALC = '@jsii-ring/calc';

/** Fully-qualified name of a fixture type. */
export function calcFqn(type: string): string {
  return `${CALC}.${type}`;
}

/** The wire ref `<fqn>@<id>`. */
export function refOf(fqn: string, id: string): ObjRef {
  return { '$jsii.byref': `${fqn}@${id}` };
}

/** Loads the calc fixture from its built package directory (the `load-path` extension). */
export function loadCalc(client: Pick<KernelConnection, 'request'>): void {
  const { calc } = ensureFixtures();
  client.request({ api: 'load', name: calc.name, version: calc.version, path: calc.packageDir });
}
