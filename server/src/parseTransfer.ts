/**
 * Parsed models across a thread boundary. postMessage copies plain data (objects, arrays, Maps, Sets, bigints) and
 * keeps which parts of one message are the same object, but it drops class instances' prototypes and cannot copy
 * functions. The engine classes a model holds (the CIDR values) are listed here and get their prototypes back on
 * arrival; a file whose model holds anything else (a Calico selector keeps closures) is not sent: the main thread
 * parses it as it always did, so what crosses is exactly what a parse there would have built.
 */
import { IPAddress, Prefix, RangeSet } from './engine/cidr.js';

const PROTOTYPES: readonly object[] = [IPAddress.prototype, Prefix.prototype, RangeSet.prototype];

/** The objects of a message to give a prototype back, and which (an index into PROTOTYPES). */
export interface Revivals {
  readonly objects: object[];
  readonly classes: number[];
}

/**
 * Checks that a value can cross and notes its class instances in `revivals`. False (and `revivals` as it was) when
 * it holds a function, a symbol key, an instance of another class, or an object an earlier value held: postMessage
 * would copy that one twice, and code that compares by identity would tell the copies apart.
 */
export function prepareTransfer(value: unknown, earlier: WeakSet<object>, revivals: Revivals): boolean {
  const mark = revivals.objects.length;
  const own = new Set<object>();
  const stack: unknown[] = [value];
  const fail = () => {
    revivals.objects.length = mark;
    revivals.classes.length = mark;
    return false;
  };
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'function' || typeof v === 'symbol') return fail();
    if (v === null || typeof v !== 'object') continue;
    if (own.has(v)) continue;
    if (earlier.has(v)) return fail();
    own.add(v);
    const proto = Object.getPrototypeOf(v) as object | null;
    if (v instanceof Map && proto === Map.prototype) {
      for (const [k, x] of v) stack.push(k, x);
      continue;
    }
    if (v instanceof Set && proto === Set.prototype) {
      for (const x of v) stack.push(x);
      continue;
    }
    if (proto !== Object.prototype && proto !== Array.prototype && proto !== null) {
      const index = PROTOTYPES.indexOf(proto!);
      if (index < 0) return fail();
      revivals.objects.push(v);
      revivals.classes.push(index);
    }
    if (Object.getOwnPropertySymbols(v).length > 0) return fail();
    for (const key of Object.keys(v)) stack.push((v as Record<string, unknown>)[key]);
  }
  for (const v of own) earlier.add(v);
  return true;
}

/** On arrival: the noted instances become instances of their classes again. */
export function revive(revivals: Revivals): void {
  revivals.objects.forEach((o, i) => Object.setPrototypeOf(o, PROTOTYPES[revivals.classes[i]!]!));
}
