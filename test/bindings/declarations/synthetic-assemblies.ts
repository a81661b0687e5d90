/**
 * Two small hand-written jsii assemblies (`@acme/base` and `@acme/widgets`, which depends on
 * it) that use every construct the declaration generator handles: submodules and nested
 * submodules, nested types, names that shadow others, a type named `Date`, abstract and
 * protected members, statics and constants, variadic, async and optional-returning methods,
 * unions, intersections, maps, json, any, enums, and docs with awkward text.
 */
import type * as spec from '@jsii/spec';
import type { AssemblyReader } from '../../../lib/bindings/declarations/index.js';

const str: spec.TypeReference = { primitive: 'string' as spec.PrimitiveType };
const num: spec.TypeReference = { primitive: 'number' as spec.PrimitiveType };
const bool: spec.TypeReference = { primitive: 'boolean' as spec.PrimitiveType };
const any: spec.TypeReference = { primitive: 'any' as spec.PrimitiveType };
const json: spec.TypeReference = { primitive: 'json' as spec.PrimitiveType };
const date: spec.TypeReference = { primitive: 'date' as spec.PrimitiveType };
const ref = (fqn: string): spec.TypeReference => ({ fqn });
const array = (elementtype: spec.TypeReference): spec.TypeReference => ({
  collection: { kind: 'array' as spec.CollectionKind, elementtype },
});
const map = (elementtype: spec.TypeReference): spec.TypeReference => ({
  collection: { kind: 'map' as spec.CollectionKind, elementtype },
});

/** Builds a reader over a list of types, as `readAssembly` would return for a real assembly. */
export function syntheticReader(
  name: string,
  types: readonly spec.Type[],
  submodules: readonly string[] = [],
  dependencyClosure: spec.Assembly['dependencyClosure'] = {},
): AssemblyReader {
  const byFqn = new Map(types.map((t) => [t.fqn, t]));
  return {
    name,
    version: '1.2.3',
    metadata: { submodules: Object.fromEntries(submodules.map((s) => [s, {}])), dependencyClosure },
    typeNames: () => byFqn.keys(),
    getType: (fqn) => byFqn.get(fqn),
  };
}

function type<T extends spec.Type>(t: Omit<T, 'assembly'> & { fqn: string }): T {
  return { assembly: t.fqn.startsWith('@acme/base.') ? '@acme/base' : '@acme/widgets', ...t } as T;
}

/** `@acme/base`: a root class and an interface in the `core` submodule. */
export const BASE = syntheticReader(
  '@acme/base',
  [
    type<spec.ClassType>({
      fqn: '@acme/base.Root',
      kind: 'class' as spec.TypeKind.Class,
      name: 'Root',
      initializer: {},
      properties: [{ name: 'path', type: str, immutable: true }],
    }),
    type<spec.InterfaceType>({
      fqn: '@acme/base.core.IThing',
      kind: 'interface' as spec.TypeKind.Interface,
      name: 'IThing',
      namespace: 'core',
      properties: [{ name: 'thingId', type: str, immutable: true, abstract: true }],
    }),
  ],
  ['@acme/base.core'],
);

const W = '@acme/widgets';

/** `@acme/widgets`: see the file comment. */
export const WIDGETS = syntheticReader(
  W,
  [
    type<spec.ClassType>({
      fqn: `${W}.Widget`,
      kind: 'class' as spec.TypeKind.Class,
      name: 'Widget',
      abstract: true,
      interfaces: ['@acme/base.core.IThing'],
      docs: { summary: 'A widget.', remarks: 'Ends a comment */ early if not escaped.', stability: 'experimental' as spec.Stability },
      initializer: {
        protected: true,
        parameters: [
          { name: 'scope', type: ref('@acme/base.Root'), docs: { summary: 'Where it lives.' } },
          { name: 'id', type: str },
          { name: 'props', type: ref(`${W}.WidgetProps`), optional: true },
        ],
      },
      properties: [
        { name: 'KIND', type: str, static: true, const: true, immutable: true },
        { name: 'thingId', type: str, immutable: true, overrides: '@acme/base.core.IThing' },
        { name: 'color', type: ref(`${W}.Color`), optional: true },
        { name: 'secret', type: num, protected: true },
        { name: 'size', type: num, abstract: true, immutable: true },
        { name: 'options', type: ref(`${W}.Widget.Options`), optional: true },
      ],
      methods: [
        { name: 'isWidget', static: true, parameters: [{ name: 'x', type: any }], returns: { type: bool } },
        { name: 'load', async: true, returns: { type: str } },
        { name: 'settle', async: true },
        {
          name: 'addAll',
          variadic: true,
          parameters: [{ name: 'items', variadic: true, type: { union: { types: [str, num] } } }],
          returns: { type: num },
        },
        { name: 'find', parameters: [{ name: 'name', type: str }], returns: { type: ref(`${W}.Widget`), optional: true } },
        { name: 'toJson', returns: { type: json }, docs: { returns: 'the widget as JSON' } },
        { name: 'createdAt', returns: { type: date } },
        { name: 'groups', returns: { type: map(array(ref(`${W}.ui.Button`))) } },
        {
          name: 'combine',
          parameters: [
            { name: 'both', type: { intersection: { types: [ref('@acme/base.core.IThing'), ref(`${W}.WidgetProps`)] } } },
            {
              name: 'either',
              optional: true,
              type: array({ union: { types: [{ intersection: { types: [ref(`${W}.WidgetProps`), ref(`${W}.Widget.Options`)] } }, str] } }),
            },
          ],
        },
        { name: 'render', abstract: true, protected: true, returns: { type: str } },
      ],
    }),
    type<spec.InterfaceType>({
      fqn: `${W}.WidgetProps`,
      kind: 'interface' as spec.TypeKind.Interface,
      name: 'WidgetProps',
      datatype: true,
      properties: [
        { name: 'label', type: str, immutable: true, abstract: true, optional: true, docs: { default: "'none'" } },
        { name: 'extra', type: map(any), immutable: true, abstract: true, optional: true, docs: { deprecated: 'use label' } },
      ],
    }),
    type<spec.EnumType>({
      fqn: `${W}.Color`,
      kind: 'enum' as spec.TypeKind.Enum,
      name: 'Color',
      members: [{ name: 'RED', docs: { summary: 'Red.' } }, { name: 'GREEN' }],
    }),
    // Makes `Date` a local name of the root module: the `date` primitive must then be
    // written `globalThis.Date`.
    type<spec.ClassType>({ fqn: `${W}.Date`, kind: 'class' as spec.TypeKind.Class, name: 'Date' }),
    // Nested in `Widget`: `Widget.Color` shadows the top-level `Color` inside `namespace Widget`.
    type<spec.EnumType>({
      fqn: `${W}.Widget.Color`,
      kind: 'enum' as spec.TypeKind.Enum,
      name: 'Color',
      namespace: 'Widget',
      members: [{ name: 'DARK' }, { name: 'LIGHT' }],
    }),
    type<spec.InterfaceType>({
      fqn: `${W}.Widget.Options`,
      kind: 'interface' as spec.TypeKind.Interface,
      name: 'Options',
      namespace: 'Widget',
      datatype: true,
      properties: [
        { name: 'color', type: ref(`${W}.Color`), immutable: true, abstract: true },
        { name: 'mode', type: ref(`${W}.Widget.Color`), immutable: true, abstract: true },
      ],
    }),
    type<spec.ClassType>({
      fqn: `${W}.ui.Button`,
      kind: 'class' as spec.TypeKind.Class,
      name: 'Button',
      namespace: 'ui',
      base: `${W}.Widget`,
      initializer: { parameters: [{ name: 'scope', type: ref('@acme/base.Root') }, { name: 'id', type: str }] },
      properties: [
        { name: 'size', type: num, immutable: true, overrides: `${W}.Widget` },
        { name: 'icon', type: ref(`${W}.ui.icons.Icon`) },
        { name: 'tag', type: ref(`${W}.ui.ui_icons`), optional: true },
      ],
      methods: [{ name: 'render', protected: true, returns: { type: str }, overrides: `${W}.Widget` }],
    }),
    // Named like the alias `ui.icons` would get: the alias must step aside.
    type<spec.InterfaceType>({
      fqn: `${W}.ui.ui_icons`,
      kind: 'interface' as spec.TypeKind.Interface,
      name: 'ui_icons',
      namespace: 'ui',
      datatype: true,
      properties: [{ name: 'icon', type: ref(`${W}.ui.icons.Icon`), immutable: true, abstract: true }],
    }),
    type<spec.EnumType>({
      fqn: `${W}.ui.icons.Icon`,
      kind: 'enum' as spec.TypeKind.Enum,
      name: 'Icon',
      namespace: 'ui.icons',
      members: [{ name: 'STAR' }, { name: 'HEART' }],
    }),
  ],
  [`${W}.ui`, `${W}.ui.icons`, `${W}.empty`],
  { '@acme/base': { submodules: { '@acme/base.core': {} } } },
);
