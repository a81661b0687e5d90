import test from 'ava';
import { JsonScanError, scanAssembly } from '../../../lib/kernel/assemblies/json-scan.js';
import { seededRandom } from './helpers/assemblies.js';

function spans(text: string): { metadata: Record<string, unknown>; types: Record<string, unknown> } {
  const bytes = Buffer.from(text, 'utf8');
  const layout = scanAssembly(bytes);
  const decode = (members: typeof layout.types): Record<string, unknown> =>
    Object.fromEntries(members.map((m) => [m.key, JSON.parse(bytes.toString('utf8', m.value.start, m.value.end)) as unknown]));
  return { metadata: decode(layout.metadata), types: decode(layout.types) };
}

test('every span parses to exactly what a full JSON.parse gives', (t) => {
  const text = JSON.stringify(
    {
      name: 'x',
      n: -1.5e3,
      ok: true,
      none: null,
      list: [1, '"]}', { a: ['\\', '\\"'] }],
      types: { 'x.A': { docs: '{[' }, 'x.B': [], 'x.\u00fc"q': 'str\\' },
      after: {},
    },
    null,
    1,
  );
  const { types, ...metadata } = JSON.parse(text) as Record<string, unknown>;
  t.deepEqual(spans(text), { metadata, types: types as Record<string, unknown> });
});

test('seeded random documents scan to the same values as JSON.parse', (t) => {
  const random = seededRandom(42);
  const chars = 'ab"\\/{}[],: \n\t\u0000\u001fü✓😀';
  const str = (): string => Array.from({ length: Math.floor(random() * 12) }, () => chars[Math.floor(random() * chars.length)]).join('');
  const value = (depth: number): unknown => {
    const r = random();
    if (depth > 3 || r < 0.3) return str();
    if (r < 0.4) return Math.floor(random() * 1e6) / 100 - 5000;
    if (r < 0.45) return [true, false, null][Math.floor(random() * 3)];
    if (r < 0.7) return Array.from({ length: Math.floor(random() * 4) }, () => value(depth + 1));
    return Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, () => [str(), value(depth + 1)]));
  };
  for (let round = 0; round < 300; round++) {
    const doc: Record<string, unknown> = {};
    for (let i = 0; i < 5; i++) doc[`m${str()}`] = value(0);
    doc['types'] = Object.fromEntries(Array.from({ length: 5 }, () => [str(), value(0)]));
    const text = JSON.stringify(doc, null, round % 3 === 0 ? undefined : ' '.repeat(round % 3));
    const { types, ...metadata } = JSON.parse(text) as Record<string, unknown>;
    t.deepEqual(spans(text), { metadata, types: types as Record<string, unknown> }, text);
  }
});

test('no types member gives no types; a BOM is skipped', (t) => {
  t.deepEqual(spans('\ufeff{"name":"x"}'), { metadata: { name: 'x' }, types: {} });
  t.deepEqual(spans('{}'), { metadata: {}, types: {} });
});

test('structural errors are reported with their offset', (t) => {
  const cases: Array<[string, RegExp]> = [
    ['[]', /expected '\{' at byte 0/],
    ['{"a" 1}', /expected ':' at byte 5/],
    ['{"a":1 "b":2}', /expected ',' or '\}' at byte 7/],
    ['{"a":1,}', /expected a member name at byte 7/],
    ['{"a":"unterminated}', /unterminated string at byte 5/],
    ['{"a":{"b":[1,2}', /unterminated object or array/],
    ['{"types":[]}', /'types' must be an object at byte 9/],
    ['{"a":1} x', /unexpected data after the assembly object at byte 8/],
    ['{"a":}', /expected a value at byte 5/],
  ];
  for (const [text, message] of cases) {
    t.throws(() => scanAssembly(Buffer.from(text)), { instanceOf: JsonScanError, message }, text);
  }
});
