/**
 * The parse-skipping pre-filter (issue 14, class 1) against the full parse:
 * for every generated document, when `yaml` reads it as a network object the
 * filter must not skip it. The generator mixes the spellings that fool a
 * line-oriented look for `kind:`: quoted multi-line values whose lines start
 * with `kind:`, JSON keys, escapes, anchors and aliases, flow maps, comments,
 * U+2028/U+2029 and `---` inside quoted values.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseAllDocuments } from 'yaml';
import { cannotHoldNetworkObject } from '../server/src/engine/manifests.js';
import { forEachFuzzSeed } from './support/fuzzSeeds.js';

/** Written out here, not imported: the kinds the engine models, as the Kubernetes API names them. */
const NETWORK_KINDS = new Set([
  'List', 'Namespace', 'Pod', 'Service', 'ReplicationController', 'Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job', 'CronJob',
  'NetworkPolicy', 'NetworkAttachmentDefinition', 'IPPool', 'Installation', 'ClusterConfiguration', 'Cluster', 'KubeProxyConfiguration', 'Node',
]);
const CNI_KEYS = ['net-conf.json', 'cni-conf.json', 'cni_network_config'];

function isNetworkObject(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const o = value as Record<string, unknown>;
  if ('cniVersion' in o) return true;
  if (typeof o['kind'] !== 'string') return false;
  if (NETWORK_KINDS.has(o['kind'])) return true;
  return o['kind'] === 'ConfigMap' && typeof o['data'] === 'object' && o['data'] !== null && CNI_KEYS.some((k) => k in (o['data'] as object));
}

function parsedNetworkObjects(text: string): number {
  let n = 0;
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) continue;
    try {
      if (isNetworkObject(doc.toJS({ maxAliasCount: 1000 }))) n++;
    } catch {
      // An alias bomb or a bad alias: the engine reads no object from it either.
    }
  }
  return n;
}

const kinds = fc.constantFrom('NetworkPolicy', 'Service', 'Pod', 'Deployment', 'ConfigMap', 'Secret', 'ServiceAccount', 'PodDisruptionBudget', 'Role', 'Node', 'List', 'CustomResourceDefinition');

/** A kind value, spelt one of the ways YAML allows. */
const kindValue = fc.tuple(kinds, fc.integer({ min: 0, max: 5 })).map(([k, how]) => {
  switch (how) {
    case 0: return k;
    case 1: return `'${k}'`;
    case 2: return `"${k}"`;
    case 3: return `"${k.slice(0, 1)}\\x${k.charCodeAt(1).toString(16)}${k.slice(2)}"`;
    case 4: return `"${k.slice(0, 3)}\\u${k.charCodeAt(3).toString(16).padStart(4, '0')}${k.slice(4)}"`;
    default: return `"${k.slice(0, 2)}\\\n  ${k.slice(2)}"`;
  }
});

const kindKey = fc.constantFrom('kind', '"kind"', "'kind'", '? kind\n');

/** Annotation values that carry document-looking lines inside quotes. */
const trap = fc.tuple(kinds, fc.constantFrom('\n', '\u2028', '\u2029', '\r\n'), fc.constantFrom('"', "'")).map(
  ([k, br, q]) => `    trap: ${q}first${br}kind: ${k}${br}---${br}apiVersion: v1${q}\n`,
);

const document = fc
  .record({ key: kindKey, value: kindValue, traps: fc.array(trap, { maxLength: 2 }), style: fc.integer({ min: 0, max: 3 }), data: fc.boolean(), comment: fc.boolean() })
  .map(({ key, value, traps, style, data, comment }) => {
    const kindLine = key.startsWith('?') ? `${key}: ${value}` : `${key}: ${value}`;
    const meta = `metadata:\n  name: x\n  annotations:\n${traps.join('') || '    a: b\n'}`;
    const body = data ? 'data:\n  net-conf.json: "{}"\n' : 'spec: {}\n';
    const note = comment ? '# kind: NetworkPolicy would be a comment\n' : '';
    switch (style) {
      case 0: return `apiVersion: v1\n${note}${kindLine}\n${meta}${body}`;
      case 1: return `apiVersion: v1\n${meta}${body}${note}${kindLine}\n`;
      case 2: return `{apiVersion: v1, "kind": ${value.includes('\n') ? '"Pod"' : value}, metadata: {name: x}}\n`;
      default: return `base: &k ${value.includes('\n') ? 'Pod' : value}\napiVersion: v1\nkind: *k\n${meta}`;
    }
  });

test('the pre-filter never skips a document the full parse reads as a network object', async () => {
  await forEachFuzzSeed([], (seed) => fc.assert(
    fc.property(document, (text) => {
      if (parsedNetworkObjects(text) > 0) assert.equal(cannotHoldNetworkObject('x.yaml', text), false, text);
    }),
    { seed, numRuns: 3000 },
  ));
});

test('the pre-filter still skips what cannot be a network object', () => {
  assert.equal(cannotHoldNetworkObject('x.yaml', 'apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: {a: b}\n'), true);
  assert.equal(cannotHoldNetworkObject('x.yaml', 'apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: s}\n'), true);
  // ServiceAccounts are read: Calico's serviceAccountSelector matches their labels.
  assert.equal(cannotHoldNetworkObject('x.yaml', 'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: s}\n'), false);
  assert.equal(cannotHoldNetworkObject('x.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s}\ndata: {a: b}\n'), true);
  assert.equal(cannotHoldNetworkObject('x.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s}\ndata: {net-conf.json: "{}"}\n'), false);
});
