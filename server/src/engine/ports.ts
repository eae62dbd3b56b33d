/**
 * Ports and protocols as NetworkPolicy and Services write them.
 */
import { fix, replace } from './fixes.js';
import { finding, type Finding } from './rules.js';
import type { ContainerPort, Protocol } from './model.js';
import { PROTOCOLS } from './model.js';
import { spanOf, scalar, type NodeContext } from './yamlNodes.js';
import type { Node } from 'yaml';

/** IANA_SVC_NAME, as Kubernetes validates named ports. */
const PORT_NAME = /^(?=.*[a-z])[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

export function isValidPortName(name: string): boolean {
  return name.length <= 15 && PORT_NAME.test(name) && !name.includes('--');
}

/** Reads `protocol`, defaulting to TCP; an invalid value is reported and yields undefined. */
export function parseProtocol(ctx: NodeContext, node: Node | undefined, findings: Finding[]): Protocol | undefined {
  if (node === undefined) return 'TCP';
  const value = scalar(ctx, node);
  if (value === null) return 'TCP';
  if (typeof value === 'string' && (PROTOCOLS as readonly string[]).includes(value)) return value as Protocol;
  const upper = typeof value === 'string' && (PROTOCOLS as readonly string[]).includes(value.toUpperCase()) ? value.toUpperCase() : undefined;
  const hint = upper !== undefined ? ` (protocols are case-sensitive: ${upper})` : '';
  const span = spanOf(ctx, node);
  const fixes = upper !== undefined ? [fix(`Change to ${upper}`, [replace(span, upper)], true)] : [];
  findings.push(finding('port-protocol-invalid', span, `Invalid protocol ${JSON.stringify(value)}: must be TCP, UDP or SCTP${hint}.`, [], fixes));
  return undefined;
}

export type PortValue = { kind: 'number'; port: number } | { kind: 'name'; name: string };

/** A port written as a number or an IANA_SVC_NAME; reports anything else. */
export function parsePortValue(ctx: NodeContext, node: Node, findings: Finding[], what: string): PortValue | undefined {
  const value = scalar(ctx, node);
  if (typeof value === 'number' && Number.isInteger(value)) {
    if (value >= 1 && value <= 65535) return { kind: 'number', port: value };
    findings.push(finding('port-invalid', spanOf(ctx, node), `${what} ${value} is out of range: ports are 1-65535.`));
    return undefined;
  }
  if (typeof value === 'string') {
    if (/^[0-9]+$/.test(value)) {
      // "8080" as a string is a name to the API server, and an invalid one.
      const span = spanOf(ctx, node);
      const number = Number(value);
      const fixes = number >= 1 && number <= 65535 ? [fix(`Write ${number} unquoted`, [replace(span, String(number))], true)] : [];
      findings.push(finding('port-invalid', span, { says: `${what} "${value}" is a quoted number, which the API reads as an invalid port name.`, next: 'Write it unquoted, or use a port name.' }, [], fixes));
      return undefined;
    }
    if (isValidPortName(value)) return { kind: 'name', name: value };
    findings.push(
      finding('port-invalid', spanOf(ctx, node), `${what} "${value}" is not a valid port name (at most 15 lowercase letters, digits and dashes, with at least one letter).`),
    );
    return undefined;
  }
  findings.push(finding('port-invalid', spanOf(ctx, node), `${what} must be a number or a port name.`));
  return undefined;
}

/** The container port a name refers to on one pod (first match, like the kubelet). */
export function resolveNamedPort(ports: readonly ContainerPort[], name: string, protocol: Protocol): ContainerPort | undefined {
  return ports.find((p) => p.name === name && p.protocol === protocol);
}

/** The port a named matcher stands for on a pod, unless the matcher's excepted ranges take it away. */
export function resolveNamedMatcher(ports: readonly ContainerPort[], matcher: { readonly name: string; readonly except?: ReadonlyArray<readonly [number, number]> }, protocol: Protocol): ContainerPort | undefined {
  const resolved = resolveNamedPort(ports, matcher.name, protocol);
  if (resolved === undefined || matcher.except?.some(([from, to]) => from <= resolved.port && resolved.port <= to) === true) return undefined;
  return resolved;
}
