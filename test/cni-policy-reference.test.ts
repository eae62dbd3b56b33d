/**
 * The CNIs' own policy kinds: whole `netlens matrix --json` answers against a
 * slow literal reference per kind, which shares no code with the engine,
 * cell by cell, on random clusters written as real YAML, on every port a
 * generated rule or container names and one beyond, for TCP and UDP.
 * - Calico NetworkPolicy/GlobalNetworkPolicy with tiers: support/referenceCalico.ts
 *   on support/randomCalicoCluster.ts.
 * - CiliumNetworkPolicy/CiliumClusterwideNetworkPolicy: support/referenceCilium.ts
 *   on support/randomCiliumCluster.ts.
 * - Calico with AdminNetworkPolicy/BaselineAdminNetworkPolicy beside it:
 *   support/referenceMixed.ts (the tiers composed around referenceCalico.ts)
 *   on support/randomAdminPolicies.ts.
 */
import { test } from 'node:test';
import { CALICO_PROTOCOLS, randomCalicoCluster, renderCalicoCluster } from './support/randomCalicoCluster.js';
import { CILIUM_PROTOCOLS, randomCiliumCluster, renderCiliumCluster } from './support/randomCiliumCluster.js';
import { CALICO_QUERY_PORTS, CalicoReference } from './support/referenceCalico.js';
import { CILIUM_QUERY_PORTS, CiliumReference } from './support/referenceCilium.js';
import { checkAgainstReference } from './support/referenceMatrix.js';
import { randomMixedCluster, renderMixedCluster } from './support/randomAdminPolicies.js';
import { MixedReference } from './support/referenceMixed.js';

const queries = (protocols: readonly string[], ports: readonly number[]) => protocols.flatMap((protocol) => ports.map((port) => [port, protocol] as const));
const podIds = (c: { pods: ReadonlyArray<{ namespace: string }> }) => c.pods.map((p, i) => `${p.namespace}/p${i}`);

// 1527260373: numeric notPorts were not taken away from a named port (the fixed case is test/fixtures/calico/named-port-not-ports.yaml).
test('the Calico matrix equals the literal reference on random clusters', () =>
  checkAgainstReference(
    'calico-reference',
    randomCalicoCluster,
    renderCalicoCluster,
    podIds,
    queries(CALICO_PROTOCOLS, CALICO_QUERY_PORTS),
    (c) => {
      const reference = new CalicoReference(c);
      return (port, protocol) => reference.matrix(port, protocol);
    },
    [1527260373],
  ));

test('the Cilium matrix equals the literal reference on random clusters', () =>
  checkAgainstReference('cilium-reference', randomCiliumCluster, renderCiliumCluster, podIds, queries(CILIUM_PROTOCOLS, CILIUM_QUERY_PORTS), (c) => {
    const reference = new CiliumReference(c);
    return (port, protocol) => reference.matrix(port, protocol);
  }));

test('Calico beside AdminNetworkPolicy and BaselineAdminNetworkPolicy equals the literal composing reference on random clusters', () =>
  checkAgainstReference('calico-admin-reference', randomMixedCluster, renderMixedCluster, podIds, queries(CALICO_PROTOCOLS, CALICO_QUERY_PORTS), (c) => {
    const reference = new MixedReference(c);
    return (port, protocol) => reference.matrix(port, protocol);
  }));
