import test from 'ava';
import * as path from 'node:path';
import { generateDeclarations } from '../../../lib/bindings/declarations/index.js';
import { ensureFixtures } from '../../helpers/fixture.js';
import { formatProblems, typeCheck, writeTempFiles } from './compile.js';

// Differential: a program compiles against the declarations generated from the calc
// fixture's assembly exactly when it compiles against the declarations the TypeScript
// compiler wrote for the fixture itself.

const USAGE = `
import * as calc from '@jsii-ring/calc';

class Tripler implements calc.IOperation {
  public readonly name = 'triple';
  public apply(x: number): number { return x * 3; }
}
class Custom extends calc.Operand {
  public readonly value = 7;
  public override kind(): string { return 'custom'; }
}
class SlowSource implements calc.IAsyncSource {
  public async next(): Promise<number> { return 1; }
}

export async function run(): Promise<string[]> {
  const c = new calc.Calculator({ initialValue: 1, display: { precision: 2, rounding: calc.Rounding.UP } });
  c.label = 'x';
  c.memory = new calc.ScaledLiteral(2, 3);
  const total: number = c.addAll(1, 2, 3) + c.add(1) + (await c.addLater(2)) + (await c.addFromSource(new SlowSource(), 2));
  const last: calc.Literal | undefined = c.last();
  const history: calc.Literal[] = c.historyItems;
  const pipeline = new calc.Pipeline().add(new Tripler()).add(new calc.Doubler());
  const first: calc.IOperation | undefined = pipeline.first();
  const segment: calc.Segment = calc.Geometry.segment(0, 0, 3, 4);
  const mid: calc.Point = calc.Geometry.midpoint(segment);
  const color: calc.Color = calc.Geometry.nextColor(calc.Color.RED);
  const when: Date = calc.Values.addDays(calc.Values.epoch(), 1);
  const union: string | number | calc.Literal | calc.Point = calc.Values.makeUnion('n');
  const map: { [key: string]: number } = calc.Values.countMap(2);
  const nested: { [key: string]: number[] }[] = calc.Values.nested();
  const json: { [key: string]: any } = calc.Values.echoJson({ a: 1 });
  const maybe: number | undefined = calc.Values.evenOrNothing(2);
  const shape: calc.IShape = calc.ShapeFactory.square(2);
  const square = new calc.Square(2);
  square.scale(2);
  const token: calc.Token = calc.Token.of(1);
  const joined: string = calc.Statics.join('-', 'a', 'b') + calc.Statics.GREETING;
  calc.Statics.mode = 'fast';
  const props: calc.ExtendedCalculatorProps = { tags: { a: 'b' }, createdAt: new Date(0), name: 'n' };
  return [
    String(total), String(last), String(history.length), String(first), String(mid.x), String(color), when.toISOString(),
    String(union), String(map), String(nested), String(json), String(maybe), String(shape.area), token.toString(), joined,
    String(props.name), new Custom().describe(), calc.Values.unionKind(new calc.Literal(1)),
  ];
}
`;

const MISUSE = `
import * as calc from '@jsii-ring/calc';
export const a = new calc.Literal('1');
export const b = calc.Values.greet(1);
export const c: string = calc.Values.evenOrNothing(2);
export const d = new calc.Token();
export class Bad extends calc.Operand {}
export const e: calc.Point = { x: 1 };
export const f = calc.Geometry.nextColor('RED');
export const g: Promise<string> = calc.Pipeline.sumFrom({ next: async () => 1 }, 2);
export const h = calc.Statics.ANSWER = 3;
export const i = new calc.Calculator({ initialValue: '1' });
`;

function generatedDir(t: { teardown(fn: () => void): void }): string {
  const fixture = ensureFixtures().calc;
  const files = generateDeclarations(fixture.packageDir);
  return writeTempFiles(t, Object.fromEntries([...files].map(([name, text]) => [`calc/${name}`, text])));
}

test('a program using every kind of calc type compiles against the generated declarations, checked in full', (t) => {
  const dir = generatedDir(t);
  const usage = writeTempFiles(t, { 'usage.ts': USAGE });
  const result = typeCheck([path.join(usage, 'usage.ts')], {
    packages: { '@jsii-ring/calc': path.join(dir, 'calc/index.d.ts') },
    checkDeclarations: true,
  });
  t.deepEqual(result.problems, [], formatProblems(result.problems));
});

test('the same program compiles against the fixture’s own declarations (the test program is right)', (t) => {
  const fixture = ensureFixtures().calc;
  const usage = writeTempFiles(t, { 'usage.ts': USAGE });
  const result = typeCheck([path.join(usage, 'usage.ts')], {
    packages: { '@jsii-ring/calc': path.join(fixture.packageDir, 'lib/index.d.ts') },
  });
  t.deepEqual(result.problems, [], formatProblems(result.problems));
});

test('misuses fail with the same errors against generated and original declarations', (t) => {
  const dir = generatedDir(t);
  const fixture = ensureFixtures().calc;
  const misuse = writeTempFiles(t, { 'misuse.ts': MISUSE });
  const codes = (index: string): string[] =>
    typeCheck([path.join(misuse, 'misuse.ts')], { packages: { '@jsii-ring/calc': index } }).problems.map(
      (p) => `${p.where} ${p.code}`,
    );
  const generated = codes(path.join(dir, 'calc/index.d.ts'));
  const original = codes(path.join(fixture.packageDir, 'lib/index.d.ts'));
  t.deepEqual(generated, original);
  // One error per misuse line (lines 3 to 12).
  t.deepEqual(
    generated.map((g) => Number(/\((\d+),/.exec(g)?.[1])),
    [3, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    generated.join('\n'),
  );
});
