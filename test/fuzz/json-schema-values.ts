import type { JsonSchema } from './openapi-operations';

export type PathKey = string | number;
export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'null' | 'object' | 'array';

/** A place in a body where a value goes: every property at any depth (arrays at index 0). */
export interface Slot {
  path: PathKey[];
  schema: JsonSchema;
}

/** The JSON types a schema allows (integer counts as number for mutation purposes). */
export function typesOf(schema: JsonSchema): Set<JsonType> {
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants !== undefined) return new Set(variants.flatMap((variant) => [...typesOf(variant)]));
  const literal = schema.const ?? schema.enum?.[0];
  if (literal !== undefined) return new Set([literal === null ? 'null' : (typeof literal as JsonType)]);
  if (schema.type === undefined) return new Set(schema.properties === undefined ? [] : ['object']);
  return new Set((Array.isArray(schema.type) ? schema.type : [schema.type]) as JsonType[]);
}

/** The first branch that is not `null`: what examples and slots follow through unions. */
export function mainBranch(schema: JsonSchema): JsonSchema {
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants === undefined) return schema;
  return mainBranch(variants.find((variant) => !typesOf(variant).has('null')) ?? (variants[0] as JsonSchema));
}

export function slotsOf(schema: JsonSchema, path: PathKey[] = []): Slot[] {
  const branch = mainBranch(schema);
  const here = path.length === 0 ? [] : [{ path, schema }];
  if (branch.properties !== undefined) {
    return [...here, ...Object.entries(branch.properties).flatMap(([name, property]) => slotsOf(property, [...path, name]))];
  }
  if (branch.items !== undefined) return [...here, ...slotsOf(branch.items, [...path, 0])];
  return here;
}

/** Every object node of a schema with the path where it sits (the root is `[]`). */
export function objectNodesOf(schema: JsonSchema, path: PathKey[] = []): Slot[] {
  const branch = mainBranch(schema);
  if (branch.properties !== undefined) {
    return [{ path, schema: branch }, ...Object.entries(branch.properties).flatMap(([name, property]) => objectNodesOf(property, [...path, name]))];
  }
  if (branch.items !== undefined) return objectNodesOf(branch.items, [...path, 0]);
  return [];
}

const STRING_BY_FORMAT: Record<string, string> = {
  uuid: '00000000-0000-4000-8000-00000000f022',
  'date-time': '2026-01-15T12:00:00Z',
  date: '1980-12-10',
  email: 'fuzz@example.com',
  binary: '',
};
/** Tried in order against a `pattern` the generator cannot read. */
const PATTERN_CANDIDATES = ['fuzz-1', 'fuzz', 'US', '2026-01-15T12:00:00Z', '1980-12-10', '12-3456789', 'a', 'A', '1'];

/**
 * A value the schema accepts, built from `required` properties only: what a route without a
 * hand-written request in valid-requests.ts is fuzzed from (the suite checks it validates).
 */
export function exampleOf(schema: JsonSchema): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum !== undefined) return schema.enum[0];
  const branch = mainBranch(schema);
  if (branch !== schema) return exampleOf(branch);
  switch ([...typesOf(schema)].find((type) => type !== 'null')) {
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((name) => [name, exampleOf(schema.properties?.[name] ?? {})]));
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () => exampleOf(schema.items ?? {}));
    case 'integer':
    case 'number':
      return numberExample(schema);
    case 'boolean':
      return true;
    case 'string':
      return stringExample(schema);
    default:
      return null;
  }
}

function numberExample(schema: JsonSchema): number {
  const step = schema.multipleOf ?? 1;
  const low = schema.minimum ?? (schema.exclusiveMinimum === undefined ? 1 : schema.exclusiveMinimum + step);
  const value = Math.max(low, 1);
  return schema.maximum === undefined ? value : Math.min(value, schema.maximum);
}

function stringExample(schema: JsonSchema): string {
  const byFormat = schema.format === undefined ? undefined : STRING_BY_FORMAT[schema.format];
  const pattern = schema.pattern === undefined ? undefined : new RegExp(schema.pattern);
  const fits = (text: string): boolean => (pattern?.test(text) ?? true) && text.length >= (schema.minLength ?? 0) && text.length <= (schema.maxLength ?? Infinity);
  const candidates = [...(byFormat === undefined ? [] : [byFormat]), ...PATTERN_CANDIDATES, 'x'.repeat(Math.max(1, schema.minLength ?? 1))];
  return candidates.find(fits) ?? 'x';
}

export function valueAt(root: unknown, path: readonly PathKey[]): unknown {
  return path.reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<PathKey, unknown>)[key] : undefined), root);
}

/** A copy of `root` with `value` at `path`, creating the objects and arrays on the way. */
export function withValueAt(root: unknown, path: readonly PathKey[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [key, ...rest] = path as [PathKey, ...PathKey[]];
  const node = typeof root === 'object' && root !== null ? root : typeof key === 'number' ? [] : {};
  const copy = shallowCopy(node);
  copy[key] = withValueAt(copy[key], rest, value);
  return copy;
}

/** A copy of `root` without the property at `path`; `undefined` when the parent is not there. */
export function withoutValueAt(root: unknown, path: readonly PathKey[]): unknown {
  const parent = valueAt(root, path.slice(0, -1));
  const key = path[path.length - 1] as PathKey;
  if (typeof parent !== 'object' || parent === null || !(key in parent)) return undefined;
  const copy = shallowCopy(parent);
  delete copy[key];
  return withValueAt(root, path.slice(0, -1), copy);
}

function shallowCopy(node: object): Record<PathKey, unknown> {
  return (Array.isArray(node) ? [...(node as unknown[])] : { ...node }) as Record<PathKey, unknown>;
}

export function describePath(path: readonly PathKey[]): string {
  return path.length === 0 ? '(root)' : path.join('.');
}
