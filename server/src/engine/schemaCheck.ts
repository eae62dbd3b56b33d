/**
 * Validates an object against its JSON schema (ajv) and turns each error into
 * a finding on the offending key or value, in words a person reads: "Unknown
 * field "podSelecter" in spec (did you mean "podSelector"?)", not ajv's text.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { Node } from 'yaml';
import { closest } from './nearest.js';
import { finding, type Finding } from './rules.js';
import { adminNetworkPolicySchema, baselineAdminNetworkPolicySchema, calicoGlobalNetworkPolicySchema, calicoNetworkPolicySchema, ciliumClusterwideNetworkPolicySchema, ciliumNetworkPolicySchema, clusterNetworkPolicySchema, cniSchema, networkPolicySchema, serviceSchema, type JsonSchema } from './schemas/index.js';
import type { SourceSpan } from './source.js';
import { deref, entry, items, spanOf, type NodeContext } from './yamlNodes.js';

/** By Kubernetes kind; "CNI" stands for a CNI network configuration, "Calico <kind>" for Calico's own policy kinds. */
const SCHEMA_BY_KIND: Record<string, JsonSchema> = {
  NetworkPolicy: networkPolicySchema,
  Service: serviceSchema,
  CNI: cniSchema,
  'Calico NetworkPolicy': calicoNetworkPolicySchema,
  'Calico GlobalNetworkPolicy': calicoGlobalNetworkPolicySchema,
  CiliumNetworkPolicy: ciliumNetworkPolicySchema,
  CiliumClusterwideNetworkPolicy: ciliumClusterwideNetworkPolicySchema,
  AdminNetworkPolicy: adminNetworkPolicySchema,
  BaselineAdminNetworkPolicy: baselineAdminNetworkPolicySchema,
  ClusterNetworkPolicy: clusterNetworkPolicySchema,
};
const MAX_ERRORS = 20;

let ajv: Ajv | undefined;
const compiled = new Map<string, ValidateFunction>();

function validatorFor(kind: string): ValidateFunction | undefined {
  const schema = SCHEMA_BY_KIND[kind];
  if (schema === undefined) return undefined;
  let v = compiled.get(kind);
  if (v === undefined) {
    // A schema is compiled when its kind is first seen, inside an editor request's time budget; ajv's optimising
    // code generation roughly doubles that time for validation that is already well under a millisecond.
    ajv ??= new Ajv({ allErrors: true, verbose: true, strict: false, code: { optimize: false } });
    compiled.set(kind, (v = ajv.compile(schema)));
  }
  return v;
}

export function hasSchema(kind: string): boolean {
  return kind in SCHEMA_BY_KIND;
}

/** The node at a JSON pointer, and the key node of its last step. */
function nodeAt(ctx: NodeContext, root: Node, pointer: string): { node: Node | undefined; key: Node | undefined } {
  let node: Node | undefined = root;
  let key: Node | undefined;
  for (const raw of pointer.split('/').slice(1)) {
    const step = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^\d+$/.test(step) && deref(ctx, node) && items(ctx, node).length > 0) {
      node = items(ctx, node)[Number(step)];
      key = undefined;
    } else {
      const e = entry(ctx, node, step);
      node = e?.value;
      key = e?.keyNode;
    }
    if (node === undefined && key === undefined) break;
  }
  return { node, key };
}

function fieldName(pointer: string): string {
  const parts = pointer.split('/').slice(1);
  return parts.length === 0 ? 'the object' : parts.map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '');
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a number';
  return `a ${typeof value}`;
}

const TYPE_WORDS: Record<string, string> = { object: 'a mapping', array: 'a list', string: 'a string', integer: 'an integer', boolean: 'true or false', number: 'a number' };

function describe(e: ErrorObject): { message: string; pointer: string; onKey: boolean } {
  const field = fieldName(e.instancePath);
  switch (e.keyword) {
    case 'additionalProperties': {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      const known = Object.keys(((e.parentSchema ?? {}) as { properties?: object }).properties ?? {});
      const hint = closest(extra, known, 1)[0];
      return { message: `Unknown field "${extra}" in ${field}${hint ? ` (did you mean "${hint}"?)` : ''}: the API server rejects it.`, pointer: `${e.instancePath}/${extra}`, onKey: true };
    }
    case 'required':
      return { message: `${field} needs "${(e.params as { missingProperty: string }).missingProperty}".`, pointer: e.instancePath, onKey: true };
    case 'type': {
      const wanted = ([] as string[]).concat((e.params as { type: string | string[] }).type).filter((t) => t !== 'null');
      return { message: `${field} must be ${wanted.map((t) => TYPE_WORDS[t] ?? t).join(' or ')}, not ${typeOf(e.data)}.`, pointer: e.instancePath, onKey: false };
    }
    case 'enum':
      return { message: `${field} must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues ?? []).map(String).join(', ')}, not ${JSON.stringify(e.data)}.`, pointer: e.instancePath, onKey: false };
    case 'minimum':
    case 'maximum':
      return { message: `${field} is out of range (${e.keyword === 'minimum' ? 'at least' : 'at most'} ${(e.params as { limit: number }).limit}).`, pointer: e.instancePath, onKey: false };
    default:
      return { message: `${field} is not valid here.`, pointer: e.instancePath, onKey: false };
  }
}

/** Empty spans (a key with no value) overlap whatever starts where they are. */
function overlaps(a: SourceSpan, b: SourceSpan): boolean {
  return a.file === b.file && ((a.start < b.end && b.start < a.end) || a.start === b.start);
}

/**
 * A field set to null reads as left out: the API server's JSON decoding gives
 * it the zero value (`nodePort: null` on a ClusterIP Service, `annotations:
 * null` in published install manifests are accepted as they are).
 */
function withoutNullFields(value: unknown, done = new Map<object, unknown>()): unknown {
  if (value === null || typeof value !== 'object') return value;
  // Aliases make toJS share one object between many places: copy each once,
  // or an alias bomb that toJS itself kept small grows exponentially here.
  const seen = done.get(value);
  if (seen !== undefined) return seen;
  const copy = Array.isArray(value)
    ? value.map((v) => withoutNullFields(v, done))
    : Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNullFields(v, done)]));
  done.set(value, copy);
  return copy;
}

/**
 * A required field written as null is there, with its zero value (the API
 * server reads `podSelector:` as the empty selector), not missing: dropping
 * nulls must not turn it into a "needs" error.
 */
function requiredButNull(original: unknown, e: ErrorObject): boolean {
  if (e.keyword !== 'required') return false;
  const steps = e.instancePath === '' ? [] : e.instancePath.slice(1).split('/').map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
  const parent = steps.reduce<unknown>((v, k) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), original);
  const missing = (e.params as { missingProperty?: string }).missingProperty;
  return parent !== null && typeof parent === 'object' && missing !== undefined && (parent as Record<string, unknown>)[missing] === null;
}

/**
 * Schema findings for one object. Errors that land where a semantic check
 * already spoke are dropped: one mistake, one finding.
 */
export function schemaFindings(ctx: NodeContext, root: Node, kind: string, already: readonly Finding[]): Finding[] {
  const validate = validatorFor(kind);
  if (validate === undefined) return [];
  let value: unknown;
  try {
    value = (root as { toJS(doc: unknown, opts: unknown): unknown }).toJS(ctx.doc, { maxAliasCount: 50 });
  } catch {
    return []; // alias bombs and the like: the structural checks still ran on the nodes.
  }
  if (validate(withoutNullFields(value))) return [];
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const e of validate.errors ?? []) {
    if (e.keyword === 'const' || e.keyword === 'if' || requiredButNull(value, e)) continue;
    const d = describe(e);
    const { node, key } = nodeAt(ctx, root, d.pointer);
    const target = d.onKey ? (key ?? node) : (node ?? key);
    const span = spanOf(ctx, target ?? root);
    const id = `${span.start}:${d.message}`;
    if (seen.has(id) || already.some((f) => overlaps(f.span, span)) || out.some((f) => f.span.start === span.start && f.span.end === span.end)) continue;
    seen.add(id);
    out.push(finding('schema-invalid', span, d.message));
    if (out.length >= MAX_ERRORS) break;
  }
  return out;
}
