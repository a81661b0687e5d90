/**
 * A small, strict XML parser for the bench's SVG charts: elements, attributes, text,
 * comments and the five predefined entities (plus numeric references). Anything else
 * (mismatched tags, unquoted or duplicate attributes, a bare `&` or `<`) is an error, so a
 * chart that parses here is well-formed XML.
 */

/** An element of the parsed document. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  /** The element's own text (entities decoded), children excluded. */
  text: string;
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*/;
const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string, at: number): string {
  return text.replace(/&([^;]*);|&/g, (match, body: string | undefined) => {
    if (body === undefined) throw new SyntaxError(`bare '&' near offset ${at}`);
    if (ENTITIES[body] !== undefined) return ENTITIES[body];
    const hex = /^#x([0-9a-fA-F]+)$/.exec(body);
    if (hex !== null) return String.fromCodePoint(parseInt(hex[1] as string, 16));
    const dec = /^#([0-9]+)$/.exec(body);
    if (dec !== null) return String.fromCodePoint(parseInt(dec[1] as string, 10));
    throw new SyntaxError(`unknown entity ${match} near offset ${at}`);
  });
}

/** Parses a whole document; returns its root element. */
export function parseXml(source: string): XmlElement {
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const skipSpace = (): void => {
    while (i < source.length && /\s/.test(source[i] as string)) i++;
  };
  if (source.startsWith('<?xml')) {
    const end = source.indexOf('?>');
    if (end < 0) throw new SyntaxError('unterminated XML declaration');
    i = end + 2;
  }
  while (i < source.length) {
    if (source.startsWith('<!--', i)) {
      const end = source.indexOf('-->', i + 4);
      if (end < 0) throw new SyntaxError(`unterminated comment at ${i}`);
      i = end + 3;
    } else if (source.startsWith('</', i)) {
      i += 2;
      const name = NAME.exec(source.slice(i))?.[0];
      if (name === undefined) throw new SyntaxError(`bad closing tag at ${i}`);
      i += name.length;
      skipSpace();
      if (source[i] !== '>') throw new SyntaxError(`expected '>' at ${i}`);
      i++;
      const open = stack.pop();
      if (open?.name !== name) throw new SyntaxError(`</${name}> closes <${open?.name ?? 'nothing'}>`);
    } else if (source[i] === '<') {
      i++;
      const name = NAME.exec(source.slice(i))?.[0];
      if (name === undefined) throw new SyntaxError(`bad tag at ${i}`);
      i += name.length;
      const attributes: Record<string, string> = {};
      for (;;) {
        skipSpace();
        if (source.startsWith('/>', i) || source[i] === '>') break;
        const attr = NAME.exec(source.slice(i))?.[0];
        if (attr === undefined) throw new SyntaxError(`bad attribute at ${i}`);
        i += attr.length;
        skipSpace();
        if (source[i] !== '=') throw new SyntaxError(`expected '=' after ${attr} at ${i}`);
        i++;
        skipSpace();
        const quote = source[i];
        if (quote !== '"' && quote !== "'") throw new SyntaxError(`unquoted value of ${attr} at ${i}`);
        const end = source.indexOf(quote, i + 1);
        if (end < 0) throw new SyntaxError(`unterminated value of ${attr}`);
        const raw = source.slice(i + 1, end);
        if (raw.includes('<')) throw new SyntaxError(`'<' in the value of ${attr}`);
        if (Object.hasOwn(attributes, attr)) throw new SyntaxError(`duplicate attribute ${attr}`);
        attributes[attr] = decode(raw, i);
        i = end + 1;
      }
      const element: XmlElement = { name, attributes, children: [], text: '' };
      const parent = stack[stack.length - 1];
      if (parent !== undefined) parent.children.push(element);
      else if (root === undefined) root = element;
      else throw new SyntaxError('more than one root element');
      if (source.startsWith('/>', i)) {
        i += 2;
      } else {
        i++;
        stack.push(element);
      }
    } else {
      const end = source.indexOf('<', i);
      const stop = end < 0 ? source.length : end;
      const text = source.slice(i, stop);
      const parent = stack[stack.length - 1];
      if (parent !== undefined) parent.text += decode(text, i);
      else if (text.trim() !== '') throw new SyntaxError(`text outside the root element at ${i}`);
      i = stop;
    }
  }
  if (stack.length > 0) throw new SyntaxError(`<${stack[stack.length - 1]?.name}> is not closed`);
  if (root === undefined) throw new SyntaxError('no root element');
  return root;
}

/** Every element below `root` (itself included) that satisfies `test`, in document order. */
export function findAll(root: XmlElement, test: (e: XmlElement) => boolean): XmlElement[] {
  const out: XmlElement[] = [];
  const visit = (e: XmlElement): void => {
    if (test(e)) out.push(e);
    for (const c of e.children) visit(c);
  };
  visit(root);
  return out;
}

/** The chart's series: name → the `data-value`s of its marks, with their `data-x`. */
export function seriesOf(svg: string): Map<string, { x: string; value: number }[]> {
  const root = parseXml(svg);
  if (root.name !== 'svg') throw new SyntaxError(`root element is <${root.name}>, not <svg>`);
  const out = new Map<string, { x: string; value: number }[]>();
  for (const group of findAll(root, (e) => e.name === 'g' && e.attributes['class'] === 'series')) {
    const marks = findAll(group, (e) => e.attributes['data-value'] !== undefined);
    out.set(group.attributes['data-series'] ?? '', marks.map((m) => ({ x: m.attributes['data-x'] ?? '', value: Number(m.attributes['data-value']) })));
  }
  return out;
}
