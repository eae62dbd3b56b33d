/**
 * service-unreachable: isolation that leaves a Service's endpoints reachable
 * from nothing, with the isolating policies as related locations. On the
 * planted fixture and on Sock Shop, where cortex-access's empty podSelector
 * isolates every pod and admits only pods that do not exist.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyze, analyzeTexts, parseManifestFile } from '../server/src/engine/index.js';
import { CORPUS, CORPUS_MISSING } from './support/paths.js';

const SHOP = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: shop}
spec:
  template:
    metadata: {labels: {app: api}}
    spec: {containers: [{name: a, image: a, ports: [{name: http, containerPort: 8080}]}]}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: db, namespace: shop}
spec:
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: d, image: d, ports: [{containerPort: 5432}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: api, namespace: shop}
spec: {selector: {app: api}, ports: [{port: 80, targetPort: http}]}
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: shop}
spec: {selector: {app: db}, ports: [{port: 5432}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: api-from-internet, namespace: shop}
spec:
  podSelector: {matchLabels: {app: api}}
  ingress: [{from: [{ipBlock: {cidr: 0.0.0.0/0}}], ports: [{port: http}]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: db-on-wrong-port, namespace: shop}
spec:
  podSelector: {matchLabels: {app: db}}
  ingress: [{from: [{podSelector: {matchLabels: {app: api}}}], ports: [{port: 5433}]}]
`;

test('a Service whose endpoints no rule admits on its ports is reported, with the isolating policies', () => {
  const a = analyzeTexts([{ file: 'shop.yaml', text: SHOP }]);
  const found = a.findings.filter((f) => f.code === 'service-unreachable');
  assert.deepEqual(
    found.map((f) => [SHOP.slice(f.span.start, f.span.end), f.message, f.related.map((r) => [SHOP.slice(r.span.start, r.span.end), r.message])]),
    [
      [
        'db',
        'Service db is reachable from nothing: its endpoints (shop/db) are isolated for ingress by db-on-wrong-port and deny-all, and no rule admits any pod or address on its ports. Add an ingress rule that admits the Service\'s clients, or use Explain Traffic to see which policy isolates it.',
        [
          ['db-on-wrong-port', 'isolating policy shop/db-on-wrong-port'],
          ['deny-all', 'isolating policy shop/deny-all'],
        ],
      ],
    ],
  );
  // Fixing the port makes it reachable from api, and the finding goes.
  const fixed = analyzeTexts([{ file: 'shop.yaml', text: SHOP.replace('port: 5433', 'port: 5432') }]);
  assert.deepEqual(fixed.findings.filter((f) => f.code === 'service-unreachable'), []);
});

test('on Sock Shop: carts, carts-db, queue-master and session-db are reachable from nothing', { skip: CORPUS_MISSING }, () => {
  const dir = path.join(CORPUS!, 'sock-shop', 'deploy', 'kubernetes');
  const files = [path.join(dir, 'complete-demo.yaml'), ...fs.readdirSync(path.join(dir, 'manifests-policy')).map((f) => path.join(dir, 'manifests-policy', f))];
  const a = analyze(files.map((f) => parseManifestFile(f, fs.readFileSync(f, 'utf8'))));
  const found = a.findings.filter((f) => f.code === 'service-unreachable');
  assert.deepEqual(
    found.map((f) => [f.message.split(' ')[1], f.related.map((r) => r.message)]),
    [
      ['carts', ['isolating policy sock-shop/cortex-access']],
      ['carts-db', ['isolating policy sock-shop/carts-db-access', 'isolating policy sock-shop/cortex-access']],
      ['queue-master', ['isolating policy sock-shop/cortex-access']],
      ['session-db', ['isolating policy sock-shop/cortex-access']],
    ],
  );
});
