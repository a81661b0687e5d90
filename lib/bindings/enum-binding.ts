/**
 * Enums. A binding enum is a frozen object whose properties are the members, as in the
 * library (`s3.BucketEncryption.S3_MANAGED`). Each member is a frozen `JsiiEnumValue`
 * (not the string or number the library uses internally, which the assembly does not
 * record): one object per member per connection, so `===` compares members, and a member
 * is recognised wherever it goes, even through `any`.
 */
import * as spec from '@jsii/spec';
import { inspect } from 'node:util';
import { TOKEN_ENUM } from '../protocol/api.js';
import type { WireEnum } from '../protocol/api.js';

/** One member of a jsii enum. */
export class JsiiEnumValue {
  /** The enum's fqn. */
  public readonly fqn: string;
  /** The member's name, as declared (`S3_MANAGED`). */
  public readonly name: string;
  /** Position in the declaration. */
  public readonly ordinal: number;
  readonly #wire: WireEnum;

  /** @internal made by the bindings only. */
  public constructor(fqn: string, name: string, ordinal: number) {
    this.fqn = fqn;
    this.name = name;
    this.ordinal = ordinal;
    this.#wire = Object.freeze({ [TOKEN_ENUM]: `${fqn}/${name}` });
    Object.freeze(this);
  }

  /** The wire form, `{"$jsii.enum": "fqn/NAME"}` (frozen, reused). */
  public toWire(): WireEnum {
    return this.#wire;
  }

  /** The member's name. */
  public toString(): string {
    return this.name;
  }

  /** The member's name (so JSON output reads like the library's string enums). */
  public toJSON(): string {
    return this.name;
  }

  /** `Fqn.NAME` in `console.log`. */
  public [inspect.custom](): string {
    return `${this.fqn}.${this.name}`;
  }
}

/** A binding enum: member name → member. */
export type EnumBinding = Readonly<Record<string, JsiiEnumValue>>;

/** Builds the enum object of an enum type. */
export function buildEnumBinding(type: spec.EnumType): EnumBinding {
  const members: Record<string, JsiiEnumValue> = {};
  type.members.forEach((member, ordinal) => {
    members[member.name] = new JsiiEnumValue(type.fqn, member.name, ordinal);
  });
  Object.defineProperty(members, Symbol.toStringTag, { value: type.fqn });
  return Object.freeze(members);
}

/** Splits `fqn/NAME`. */
export function parseEnumRef(wire: string): { readonly fqn: string; readonly name: string } {
  const slash = wire.lastIndexOf('/');
  return { fqn: wire.slice(0, slash), name: wire.slice(slash + 1) };
}
