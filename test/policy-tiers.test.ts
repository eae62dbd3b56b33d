/**
 * Tier composition: the documented order (admin by priority, Pass to
 * NetworkPolicy, then baseline, then allow) as a table of cases.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideDirection, type TieredRule } from '../server/src/engine/tiers.js';

const rule = (tier: TieredRule['tier'], priority: number, action: TieredRule['action'], policyId = `p${priority}`, ruleIndex = 0): TieredRule => ({
  tier,
  priority,
  action,
  policyId,
  ruleIndex,
});
const unselected = { selected: false } as const;
const npDenies = { selected: true, allowed: false } as const;
const npAllows = { selected: true, allowed: true } as const;

test('the documented evaluation order decides each direction', () => {
  const cases: Array<[string, TieredRule[], typeof unselected | typeof npDenies | typeof npAllows, boolean, string]> = [
    ['nothing at all: default allow', [], unselected, true, 'default'],
    ['admin deny beats a NetworkPolicy allow', [rule('admin', 10, 'deny')], npAllows, false, 'rule'],
    ['admin allow beats a NetworkPolicy deny', [rule('admin', 10, 'allow')], npDenies, true, 'rule'],
    ['lower priority number wins', [rule('admin', 20, 'allow'), rule('admin', 10, 'deny')], unselected, false, 'rule'],
    ['earlier rule of one policy wins', [rule('admin', 5, 'deny', 'a', 1), rule('admin', 5, 'allow', 'a', 0)], unselected, true, 'rule'],
    ['pass goes to NetworkPolicy', [rule('admin', 1, 'pass'), rule('admin', 2, 'deny')], npAllows, true, 'networkpolicy'],
    ['pass skips the rest of admin, baseline decides', [rule('admin', 1, 'pass'), rule('admin', 2, 'allow'), rule('baseline', 0, 'deny')], unselected, false, 'rule'],
    ['NetworkPolicy beats baseline', [rule('baseline', 0, 'deny')], npAllows, true, 'networkpolicy'],
    ['baseline allow under no NetworkPolicy', [rule('baseline', 0, 'allow')], unselected, true, 'rule'],
    ['baseline pass falls to default allow', [rule('baseline', 0, 'pass'), rule('baseline', 1, 'deny')], unselected, true, 'default'],
  ];
  for (const [name, matching, np, allowed, decidedBy] of cases) {
    const decision = decideDirection(matching, np);
    assert.equal(decision.allowed, allowed, name);
    assert.equal(decision.decidedBy, decidedBy, name);
  }
});
