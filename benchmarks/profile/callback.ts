/**
 * What one callback costs: the kernel calling a host-implemented interface (the way the
 * library calls an aspect's `visit` or an override), through the worker over the ring and
 * through the same kernel in the host thread (DirectConnection). `constructs`'
 * `node.validate()` calls every validation added with `node.addValidation`, so one request
 * makes N callbacks. Three handlers: one that returns at once, one that makes a nested sync
 * call (a property read) and one that makes a nested pipelined call (a void method).
 *
 *   node dist/benchmarks/profile/callback.js [--callbacks N] [--rounds R]
 *
 * Per callback: the median over R rounds of (time of one `validate()`) / N, µs, both
 * connections in this process, rounds alternating, after an untimed lead-in.
 */
import * as os from 'node:os';
import { parseArgs } from 'node:util';
import { load } from '../../lib/bindings/index.js';
import { DirectConnection } from '../../lib/host/direct-connection.js';
import { KernelClient } from '../../lib/host/kernel-client.js';
import type { KernelConnection } from '../../lib/host/connection.js';
import { median } from '../results.js';

interface ConstructNode {
  readonly id: string;
  addValidation(validation: { validate(): string[] }): void;
  addMetadata(type: string, data: unknown): void;
  validate(): string[];
}
interface Constructs {
  readonly RootConstruct: new (id: string) => { readonly node: ConstructNode };
}

const HANDLERS = ['empty', 'nested sync read', 'nested pipelined call'] as const;
type Handler = (typeof HANDLERS)[number];

/** A root construct per handler, each with `count` validations of that kind. */
function setUp(connection: KernelConnection, count: number): Record<Handler, ConstructNode> {
  const c = load<Constructs>('constructs', { connection });
  const roots = {} as Record<Handler, ConstructNode>;
  for (const handler of HANDLERS) {
    const node = new c.RootConstruct(handler.replace(/ /g, '-')).node;
    const other = new c.RootConstruct('other').node;
    for (let i = 0; i < count; i++) {
      node.addValidation({
        validate: handler === 'empty'
          ? () => []
          : handler === 'nested sync read'
            ? () => (other.id === '' ? ['never'] : [])
            : () => {
              other.addMetadata('m', i);
              return [];
            },
      });
    }
    roots[handler] = node;
  }
  return roots;
}

function main(): void {
  const { values } = parseArgs({ options: { callbacks: { type: 'string', default: '2000' }, rounds: { type: 'string', default: '9' } } });
  const count = Number(values.callbacks);
  const rounds = Number(values.rounds);
  const client = KernelClient.spawn({ transport: 'ring' });
  const direct = new DirectConnection();
  const connections: Record<string, KernelConnection> = { 'worker (ring, pipelined)': client, 'in the host thread': direct };
  const roots = Object.fromEntries(Object.entries(connections).map(([name, connection]) => [name, setUp(connection, count)]));
  const times: Record<string, Record<Handler, number[]>> = {};
  for (const name of Object.keys(connections)) {
    times[name] = { empty: [], 'nested sync read': [], 'nested pipelined call': [] };
    for (const handler of HANDLERS) roots[name]![handler].validate(); // lead-in
  }
  for (let round = 0; round < rounds; round++) {
    const names = round % 2 === 0 ? Object.keys(connections) : Object.keys(connections).reverse();
    for (const name of names) {
      for (const handler of HANDLERS) {
        const started = process.hrtime.bigint();
        const errors = roots[name]![handler].validate();
        const us = Number(process.hrtime.bigint() - started) / 1000 / count;
        if (errors.length !== 0) throw new Error(`validate() returned ${errors.length} errors`);
        times[name]![handler].push(us);
      }
    }
  }
  process.stdout.write(`${count} callbacks per request, ${rounds} rounds; Node ${process.version}; load ${os.loadavg()[0]!.toFixed(2)}\n`);
  process.stdout.write(`| µs per callback (median, min–max) | ${Object.keys(connections).join(' | ')} |\n| --- |${Object.keys(connections).map(() => ' ---: |').join('')}\n`);
  for (const handler of HANDLERS) {
    const cells = Object.keys(connections).map((name) => {
      const xs = times[name]![handler];
      return `${median(xs).toFixed(1)} (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})`;
    });
    process.stdout.write(`| ${handler} | ${cells.join(' | ')} |\n`);
  }
  client.close();
  void direct.close();
}

if (require.main === module) main();
