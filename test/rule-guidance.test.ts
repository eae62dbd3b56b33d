/**
 * Every code says what to do next and shows a mistake beside its fix (README
 * table, `netlens explain-code`). The examples are checked, not just present:
 * where an example is a piece of a NetworkPolicy or Service, it is placed in a
 * real manifest and run through the CLI — the mistake must raise its code and
 * the fix must not.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { RULE_GUIDANCE, RULES, type RuleCode } from '../server/src/engine/index.js';
import { CLI } from './support/paths.js';
import { scratchWorkspace } from './support/scratch.js';

test('every rule code has one next-step sentence and an example whose mistake and fix differ and parse', () => {
  for (const code of Object.keys(RULES) as RuleCode[]) {
    const g = RULE_GUIDANCE[code];
    assert.ok(g !== undefined, `${code} has guidance`);
    assert.match(g.next, /^[A-Z].*[.]$/, `${code}: next is a sentence`);
    assert.notEqual(g.wrong, g.right, `${code}: the fix differs from the mistake`);
    for (const example of [g.wrong, g.right]) {
      const errors = parseAllDocuments(example).flatMap((d) => ('errors' in d ? d.errors : []));
      // yaml-syntax's mistake is meant not to parse.
      if (code !== 'yaml-syntax') assert.deepEqual(errors.map((e) => e.message), [], `${code}: ${example}`);
    }
  }
  assert.ok(parseAllDocuments(RULE_GUIDANCE['yaml-syntax'].wrong).some((d) => 'errors' in d && d.errors.length > 0));
});

const WORKLOAD = `apiVersion: apps/v1
kind: Deployment
metadata: {name: carts, namespace: shop}
spec:
  selector: {matchLabels: {app: carts}}
  template:
    metadata: {labels: {app: carts}}
    spec:
      containers:
      - name: carts
        image: carts
        ports: [{name: http, containerPort: 8080}, {name: metrics, containerPort: 9090}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: frontend, namespace: shop}
spec:
  selector: {matchLabels: {app: frontend}}
  template:
    metadata: {labels: {app: frontend}}
    spec: {containers: [{name: web, image: web, ports: [{containerPort: 8079}]}]}
`;
const POLICY_HEAD = 'apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: p, namespace: shop}\n';

/** Where each example goes: `@` marks the line, and every line of the example gets its indentation. */
const PLACES: Partial<Record<RuleCode, string>> = {
  'schema-invalid': `${POLICY_HEAD}@`,
  'selector-invalid': `${POLICY_HEAD}spec:\n  podSelector:\n    @\n  policyTypes: [Ingress]`,
  'policy-selects-no-pods': `${POLICY_HEAD}spec:\n  @\n  policyTypes: [Ingress]`,
  'peer-selects-no-pods': `${POLICY_HEAD}spec:\n  podSelector: {matchLabels: {app: carts}}\n  ingress:\n  - @`,
  'rule-allows-all': `${POLICY_HEAD}spec:\n  podSelector: {matchLabels: {app: carts}}\n  @`,
  'rule-shadowed': `${POLICY_HEAD}spec:\n  podSelector: {matchLabels: {app: carts}}\n  @`,
  'policy-types-missing-ingress': `${POLICY_HEAD}spec:\n  podSelector: {matchLabels: {app: carts}}\n  @`,
  'policy-types-missing-egress': `${POLICY_HEAD}spec:\n  podSelector: {matchLabels: {app: carts}}\n  @`,
  'egress-blocks-dns': `${POLICY_HEAD}spec:\n  podSelector: {matchLabels: {app: carts}}\n  @`,
  'port-protocol-invalid': `${POLICY_HEAD}spec:\n  podSelector: {matchLabels: {app: carts}}\n  ingress:\n  - @`,
  'port-invalid': `${POLICY_HEAD}spec:\n  podSelector: {matchLabels: {app: carts}}\n  ingress:\n  - @`,
  'end-port-invalid': `${POLICY_HEAD}spec:\n  podSelector: {matchLabels: {app: carts}}\n  ingress:\n  - @`,
  'named-port-not-found': `${POLICY_HEAD}spec:\n  podSelector: {matchLabels: {app: carts}}\n  ingress:\n  - @`,
  'cidr-invalid': `${POLICY_HEAD}spec:\n  podSelector: {matchLabels: {app: carts}}\n  ingress:\n  - from:\n    - @`,
  'cidr-not-canonical': `${POLICY_HEAD}spec:\n  podSelector: {matchLabels: {app: carts}}\n  ingress:\n  - from:\n    - @`,
  'except-outside-cidr': `${POLICY_HEAD}spec:\n  podSelector: {matchLabels: {app: carts}}\n  ingress:\n  - from:\n    - @`,
  'cidr-zero-address-with-prefix': `${POLICY_HEAD}spec:\n  podSelector: {matchLabels: {app: carts}}\n  ingress:\n  - from:\n    - @`,
  'ipblock-with-selector': `${POLICY_HEAD}spec:\n  podSelector: {matchLabels: {app: carts}}\n  ingress:\n  - @`,
  'object-invalid': `${POLICY_HEAD}spec:\n  podSelector: {matchLabels: {app: carts}}\n  ingress:\n  - @`,
  'service-selects-no-pods': 'apiVersion: v1\nkind: Service\nmetadata: {name: carts, namespace: shop}\nspec:\n  @\n  ports: [{port: 80, targetPort: 8080}]',
  'service-target-port-not-found': 'apiVersion: v1\nkind: Service\nmetadata: {name: carts, namespace: shop}\nspec:\n  selector: {app: carts}\n  @',
  'service-target-port-undeclared': 'apiVersion: v1\nkind: Service\nmetadata: {name: carts, namespace: shop}\nspec:\n  selector: {app: carts}\n  @',
  'service-ports-unnamed': 'apiVersion: v1\nkind: Service\nmetadata: {name: carts, namespace: shop}\nspec:\n  selector: {app: carts}\n  @',
  'node-port-out-of-range': 'apiVersion: v1\nkind: Service\nmetadata: {name: carts, namespace: shop}\nspec:\n  type: NodePort\n  selector: {app: carts}\n  @',
};

function place(template: string, example: string): string {
  const at = template.split('\n').find((line) => line.includes('@'))!;
  const indent = ' '.repeat(at.indexOf('@'));
  const lines = example.split('\n').map((line, i) => (i === 0 ? line : indent + line));
  return template.replace('@', lines.join('\n'));
}

function codesOf(manifest: string): string[] {
  const dir = scratchWorkspace('guidance', { 'workloads.yaml': WORKLOAD, 'example.yaml': manifest });
  const r = spawnSync(process.execPath, [CLI, 'check', '--format', 'json', dir], { encoding: 'utf8' });
  const report = JSON.parse(r.stdout) as { findings: Array<{ code: string; file: string }> };
  return report.findings.filter((f) => f.file.endsWith('example.yaml')).map((f) => f.code);
}

for (const [code, template] of Object.entries(PLACES) as Array<[RuleCode, string]>) {
  test(`${code}: the README's mistake raises it and its fix does not`, () => {
    const g = RULE_GUIDANCE[code];
    assert.ok(codesOf(place(template, g.wrong)).includes(code), `mistake:\n${place(template, g.wrong)}`);
    assert.ok(!codesOf(place(template, g.right)).includes(code), `fix:\n${place(template, g.right)}`);
  });
}
