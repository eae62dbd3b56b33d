/**
 * Sets of (protocol, port) as sorted, disjoint, inclusive intervals on one
 * number line: TCP ports 1-65535 first, then UDP, then SCTP (PROTOCOLS order).
 * What a rule admits at a destination that declares no ports is such a set,
 * and "is some port allowed both ways" is an intersection, not a loop over
 * every port a policy mentions.
 */
import { PROTOCOLS, type PolicyRule, type Protocol } from './model.js';

const BAND = 65536;

/** Flat pairs: [from0, to0, from1, to1, ...], sorted and merged. */
export type PortLine = readonly number[];

export const EMPTY_LINE: PortLine = [];

const offset = (protocol: Protocol): number => PROTOCOLS.indexOf(protocol) * BAND;

/** Every port of one protocol, or of all of them. */
export function wholeLine(protocol: Protocol | undefined): PortLine {
  return protocol === undefined ? PROTOCOLS.flatMap((p) => [offset(p) + 1, offset(p) + 65535]) : [offset(protocol) + 1, offset(protocol) + 65535];
}

export function lineOf(protocol: Protocol, from: number, to: number): PortLine {
  return [offset(protocol) + from, offset(protocol) + to];
}

/** Sorts and merges intervals given as flat pairs in any order. */
function normalized(flat: number[]): PortLine {
  const pairs: Array<[number, number]> = [];
  for (let k = 0; k < flat.length; k += 2) pairs.push([flat[k]!, flat[k + 1]!]);
  pairs.sort((a, b) => a[0] - b[0]);
  const out: number[] = [];
  for (const [from, to] of pairs) {
    if (out.length > 0 && from <= out[out.length - 1]! + 1) out[out.length - 1] = Math.max(out[out.length - 1]!, to);
    else out.push(from, to);
  }
  return out;
}

export function unionLines(lines: readonly PortLine[]): PortLine {
  if (lines.length === 1) return lines[0]!;
  return normalized(lines.flatMap((l) => [...l]));
}

export function intersectLines(a: PortLine, b: PortLine): PortLine {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const from = Math.max(a[i]!, b[j]!);
    const to = Math.min(a[i + 1]!, b[j + 1]!);
    if (from <= to) out.push(from, to);
    if (a[i + 1]! < b[j + 1]!) i += 2;
    else j += 2;
  }
  return out;
}

/** The ports of a that b does not hold. */
export function subtractLines(a: PortLine, b: PortLine): PortLine {
  const gaps: number[] = [];
  let next = 0;
  for (let k = 0; k < b.length; k += 2) {
    if (b[k]! > next) gaps.push(next, b[k]! - 1);
    next = b[k + 1]! + 1;
  }
  gaps.push(next, PROTOCOLS.length * BAND);
  return intersectLines(a, gaps);
}

/**
 * What a rule's ports admit at a destination that declares no container
 * ports: named ports resolve to nothing there, invalid ones admit nothing.
 */
export function ruleLineAtPortless(rule: PolicyRule): PortLine {
  if (rule.ports === undefined) return wholeLine(undefined);
  const flat: number[] = [];
  for (const m of rule.ports) {
    if (m.kind === 'all') flat.push(offset(m.protocol) + 1, offset(m.protocol) + 65535);
    else if (m.kind === 'range') flat.push(offset(m.protocol) + m.from, offset(m.protocol) + m.to);
  }
  return normalized(flat);
}

/** The intervals as [protocol, from, to], in line order. */
export function lineRanges(line: PortLine): Array<[Protocol, number, number]> {
  const out: Array<[Protocol, number, number]> = [];
  for (let k = 0; k < line.length; k += 2) {
    const band = Math.floor(line[k]! / BAND);
    out.push([PROTOCOLS[band]!, line[k]! - band * BAND, line[k + 1]! - band * BAND]);
  }
  return out;
}
