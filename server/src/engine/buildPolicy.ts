/**
 * NetworkPolicy → PolicyModel, validating as it goes. The result is normalised
 * the way policy-assistant does it: a target selector plus rules made of a
 * closed set of peer matchers and port matchers.
 */
import type { Node } from 'yaml';
import { parsePrefix, RangeSet, type Prefix } from './cidr.js';
import { parseSelector } from './labels.js';
import type { Direction, PeerMatcher, PolicyModel, PolicyRule, PortMatcher } from './model.js';
import { parsePortValue, parseProtocol } from './ports.js';
import { appendToSequenceEdit, fix, removeItemEdit, replace } from './fixes.js';
import { finding, type Finding, type Fix } from './rules.js';
import type { ObjectHeader } from './buildWorkloads.js';
import type { SourceSpan } from './source.js';
import { entry, get, integer, isNullNode, isSeqNode, items, spanOf, text, type NodeContext } from './yamlNodes.js';

/** A policy's metadata, read the way every object's is. */
export type PolicyHeader = ObjectHeader;

export function buildPolicy(ctx: NodeContext, root: Node, header: PolicyHeader, findings: Finding[]): PolicyModel {
  const spec = get(ctx, root, 'spec');
  const podSelectorNode = get(ctx, spec, 'podSelector');
  const podSelector = parseSelector(ctx, podSelectorNode ?? spec ?? root, findings);

  const ingressEntry = entry(ctx, spec, 'ingress');
  const egressEntry = entry(ctx, spec, 'egress');
  const ingressItems = items(ctx, ingressEntry?.value);
  const egressItems = items(ctx, egressEntry?.value);

  const typesEntry = entry(ctx, spec, 'policyTypes');
  const declaredTypes = items(ctx, typesEntry?.value).map((n) => ({ node: n, value: text(ctx, n) }));
  let affectsIngress: boolean;
  let affectsEgress: boolean;
  const addPolicyTypeFixes: Partial<Record<Direction, Fix>> = {};
  if (declaredTypes.length === 0) {
    // Upstream defaulting: Ingress always, Egress only when egress rules exist.
    affectsIngress = true;
    affectsEgress = egressItems.length > 0;
  } else {
    affectsIngress = false;
    affectsEgress = false;
    for (const t of declaredTypes) {
      if (t.value === 'Ingress') affectsIngress = true;
      else if (t.value === 'Egress') affectsEgress = true;
      else findings.push(finding('object-invalid', spanOf(ctx, t.node), { says: `Unknown policyType ${JSON.stringify(t.value ?? null)}.`, next: 'Use Ingress or Egress.' }));
    }
    const typesSpan = spanOf(ctx, typesEntry?.keyNode);
    const addType = (type: string): Fix[] => {
      const edit = appendToSequenceEdit(ctx, spec, 'policyTypes', typesEntry?.keyNode, typesEntry?.value, declaredTypes.map((t) => t.node), [`- ${type}`], type);
      return edit === undefined ? [] : [fix(`Add ${type} to policyTypes`, [edit], true)];
    };
    if (!affectsIngress && ingressItems.length > 0) {
      addPolicyTypeFixes.ingress = addType('Ingress')[0];
      findings.push(
        finding(
          'policy-types-missing-ingress',
          typesSpan,
          'policyTypes does not list Ingress, so the ingress rules of this policy are ignored.',
          [{ span: spanOf(ctx, ingressEntry?.keyNode), message: 'ignored ingress rules' }],
          addType('Ingress'),
        ),
      );
    }
    if (!affectsEgress && egressItems.length > 0) {
      addPolicyTypeFixes.egress = addType('Egress')[0];
      findings.push(
        finding(
          'policy-types-missing-egress',
          typesSpan,
          'policyTypes does not list Egress, so the egress rules of this policy are ignored.',
          [{ span: spanOf(ctx, egressEntry?.keyNode), message: 'ignored egress rules' }],
          addType('Egress'),
        ),
      );
    }
  }

  // Rules of a direction the policy does not affect are still validated, so their mistakes show.
  const ingress = ingressItems.map((n, i) => buildRule(ctx, n, 'ingress', i, ingressItems.length, findings));
  const egress = egressItems.map((n, i) => buildRule(ctx, n, 'egress', i, egressItems.length, findings));

  return {
    id: `${header.namespace}/${header.name}`,
    namespace: header.namespace,
    name: header.name,
    podSelector,
    affectsIngress,
    affectsEgress,
    ingress: affectsIngress ? ingress : [],
    egress: affectsEgress ? egress : [],
    ignoredRules: [...(affectsIngress ? [] : ingress), ...(affectsEgress ? [] : egress)],
    policyTypesSpan: typesEntry === undefined ? undefined : spanOf(ctx, typesEntry.keyNode),
    addPolicyTypeFixes,
    span: header.span,
    nameSpan: header.nameSpan,
    ...(header.namespaceSpan === undefined ? {} : { namespaceSpan: header.namespaceSpan }),
    egressSpan: spanOf(ctx, egressEntry?.keyNode ?? typesEntry?.keyNode ?? podSelectorNode ?? header.nameSpan),
    addDnsEgressFix: affectsEgress ? dnsEgressFix(ctx, spec, egressEntry, egressItems) : undefined,
  };
}

const DNS_RULE_BLOCK = [
  '- to:',
  '    - namespaceSelector:',
  '        matchLabels:',
  '          kubernetes.io/metadata.name: kube-system',
  '      podSelector:',
  '        matchLabels:',
  '          k8s-app: kube-dns',
  '  ports:',
  '    - port: 53',
  '      protocol: UDP',
  '    - port: 53',
  '      protocol: TCP',
];
const DNS_RULE_FLOW =
  '{to: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: {k8s-app: kube-dns}}}], ports: [{port: 53, protocol: UDP}, {port: 53, protocol: TCP}]}';

function dnsEgressFix(ctx: NodeContext, spec: Node | undefined, egressEntry: { keyNode: Node; value: Node | undefined } | undefined, egressItems: Node[]): Fix | undefined {
  const edit = appendToSequenceEdit(ctx, spec, 'egress', egressEntry?.keyNode, egressEntry?.value, egressItems, DNS_RULE_BLOCK, DNS_RULE_FLOW);
  return edit === undefined ? undefined : fix('Allow DNS egress to kube-dns (UDP and TCP 53)', [edit], true);
}

function buildRule(ctx: NodeContext, node: Node, direction: Direction, index: number, ruleCount: number, findings: Finding[]): PolicyRule {
  const peersKey = direction === 'ingress' ? 'from' : 'to';
  const peerNodes = items(ctx, get(ctx, node, peersKey));
  const portNodes = items(ctx, get(ctx, node, 'ports'));
  const span = spanOf(ctx, node);
  // A lone `{}` is how an allow-all is written on purpose (`egress: [{}]`): nothing to say. Beside other
  // rules of its direction it makes them pointless, which is rarely what the author of those rules meant.
  if (peerNodes.length === 0 && portNodes.length === 0 && ruleCount > 1) {
    const others = ruleCount - 1;
    const what = direction === 'ingress' ? 'ingress from every source' : 'egress to every destination';
    findings.push(
      finding(
        'rule-allows-all',
        span,
        `This empty rule allows ${what} on every port, so ${others === 1 ? `the other ${direction} rule of this policy adds` : `the other ${others} ${direction} rules of this policy add`} nothing.`,
      ),
    );
  }
  return {
    direction,
    index,
    peers: peerNodes.length === 0 ? undefined : peerNodes.map((p) => buildPeer(ctx, p, findings)),
    ports: portNodes.length === 0 ? undefined : portNodes.map((p) => buildPortMatcher(ctx, p, findings)),
    span,
  };
}

function buildPeer(ctx: NodeContext, node: Node, findings: Finding[]): PeerMatcher {
  const span = spanOf(ctx, node);
  const ipBlock = entry(ctx, node, 'ipBlock');
  const podSel = entry(ctx, node, 'podSelector');
  const nsSel = entry(ctx, node, 'namespaceSelector');
  const hasPodSel = podSel !== undefined && !isNullNode(ctx, podSel.value);
  const hasNsSel = nsSel !== undefined && !isNullNode(ctx, nsSel.value);
  if (ipBlock !== undefined && !isNullNode(ctx, ipBlock.value)) {
    if (hasPodSel || hasNsSel) {
      findings.push(
        finding('ipblock-with-selector', spanOf(ctx, ipBlock.keyNode), 'A peer with ipBlock cannot also have podSelector or namespaceSelector; split them into separate peers.', [
          { span: spanOf(ctx, (hasPodSel ? podSel : nsSel)!.keyNode), message: 'selector in the same peer' },
        ]),
      );
      return { kind: 'invalid', span };
    }
    return buildIPBlock(ctx, ipBlock.value!, span, findings);
  }
  if (!hasPodSel && !hasNsSel) {
    findings.push(finding('object-invalid', span, { says: 'This peer is empty, which the API server rejects.', next: 'Give it a podSelector, a namespaceSelector or an ipBlock; an empty podSelector means all pods of the namespace.' }));
    return { kind: 'invalid', span };
  }
  return {
    kind: 'pods',
    podSelector: hasPodSel ? parseSelector(ctx, podSel!.value, findings) : undefined,
    namespaceSelector: hasNsSel ? parseSelector(ctx, nsSel!.value, findings) : undefined,
    span,
  };
}

/** Where a CIDR peer is written when it is not an ipBlock mapping (Cilium's toCIDR strings), and whether a bare address is a /32 or /128. */
export interface CidrPeerParts {
  readonly cidrNode?: Node | undefined;
  readonly exceptNode?: Node | undefined;
  readonly bareAddress?: boolean;
}

export function buildIPBlock(ctx: NodeContext, node: Node, span: SourceSpan, findings: Finding[], parts?: CidrPeerParts): PeerMatcher {
  const cidrNode = parts ? parts.cidrNode : get(ctx, node, 'cidr');
  const cidrText = text(ctx, cidrNode);
  if (cidrText === undefined) {
    findings.push(finding('cidr-invalid', spanOf(ctx, cidrNode ?? node), 'ipBlock needs a cidr, e.g. 10.0.0.0/8.'));
    return { kind: 'invalid', span };
  }
  const parsed = parsePrefix(parts?.bareAddress && !cidrText.includes('/') ? `${cidrText}/${cidrText.includes(':') ? 128 : 32}` : cidrText);
  if (!parsed.ok) {
    findings.push(finding('cidr-invalid', spanOf(ctx, cidrNode), parsed.error));
    return { kind: 'invalid', span };
  }
  const cidr = parsed.value;
  if (!cidr.isCanonical) {
    findings.push(
      finding('cidr-not-canonical', spanOf(ctx, cidrNode), `${cidr.toString()} has host bits set; it means ${cidr.canonical().toString()}.`, [], [
        fix(`Change to ${cidr.canonical().toString()}`, [replace(spanOf(ctx, cidrNode), cidr.canonical().toString())], true),
      ]),
    );
  }
  // 0.0.0.0/1 (with 128.0.0.0/1) is a way to write "anywhere" in halves; from /8 on the range is reserved and tiny.
  if (cidr.bits >= 8 && cidr.first === 0n) {
    const anywhere = cidr.family === 4 ? '0.0.0.0/0' : '::/0';
    findings.push(
      finding('cidr-zero-address-with-prefix', spanOf(ctx, cidrNode), `${cidr.toString()} is a small unroutable range at the all-zeros address, not "anywhere"; ${anywhere} means anywhere.`, [], [
        fix(`Change to ${anywhere}`, [replace(spanOf(ctx, cidrNode), anywhere)], true),
      ]),
    );
  }
  const except: Prefix[] = [];
  const exceptNode = parts ? parts.exceptNode : get(ctx, node, 'except');
  if (exceptNode !== undefined && !isNullNode(ctx, exceptNode) && !isSeqNode(ctx, exceptNode)) {
    findings.push(finding('object-invalid', spanOf(ctx, exceptNode), { says: 'except must be a list of CIDRs.', next: 'Write it as a list, for example except: [10.0.1.0/24].' }));
  }
  for (const e of items(ctx, exceptNode)) {
    const t = text(ctx, e);
    const p = t === undefined ? undefined : parsePrefix(t);
    if (p === undefined || !p.ok) {
      findings.push(finding('cidr-invalid', spanOf(ctx, e), p ? p.error : 'except entries must be CIDR strings.'));
      continue;
    }
    if (p.value.family !== cidr.family) {
      findings.push(
        finding(
          'except-outside-cidr',
          spanOf(ctx, e),
          `except ${p.value.toString()} is IPv${p.value.family} but cidr ${cidr.toString()} is IPv${cidr.family}.`,
          [{ span: spanOf(ctx, cidrNode), message: 'the ipBlock cidr' }],
          [fix(`Remove except ${p.value.toString()}`, [removeItemEdit(ctx, e)], true)],
        ),
      );
      continue;
    }
    if (!p.value.isCanonical) {
      findings.push(
        finding('cidr-not-canonical', spanOf(ctx, e), `${p.value.toString()} has host bits set; it means ${p.value.canonical().toString()}.`, [], [
          fix(`Change to ${p.value.canonical().toString()}`, [replace(spanOf(ctx, e), p.value.canonical().toString())], true),
        ]),
      );
    }
    // Upstream validation demands a strict subset; an except equal to or outside the cidr is rejected.
    const inside = cidr.canonical().contains(p.value.canonical()) && p.value.bits > cidr.bits;
    if (!inside) {
      findings.push(
        finding(
          'except-outside-cidr',
          spanOf(ctx, e),
          `except ${p.value.toString()} is not strictly inside cidr ${cidr.toString()}.`,
          [{ span: spanOf(ctx, cidrNode), message: 'the ipBlock cidr' }],
          [fix(`Remove except ${p.value.toString()}`, [removeItemEdit(ctx, e)], true)],
        ),
      );
      continue;
    }
    except.push(p.value.canonical());
  }
  const addresses = RangeSet.fromPrefix(cidr.canonical()).subtract(RangeSet.fromPrefixes(cidr.family, except));
  return { kind: 'ipBlock', cidr, cidrSpan: spanOf(ctx, cidrNode), except, addresses, span };
}

function buildPortMatcher(ctx: NodeContext, node: Node, findings: Finding[]): PortMatcher {
  const span = spanOf(ctx, node);
  const protocol = parseProtocol(ctx, get(ctx, node, 'protocol'), findings);
  const portNode = get(ctx, node, 'port');
  const endPortEntry = entry(ctx, node, 'endPort');
  const endPortNode = endPortEntry && !isNullNode(ctx, endPortEntry.value) ? endPortEntry.value : undefined;
  if (protocol === undefined) return { kind: 'invalid', span };
  if (portNode === undefined || isNullNode(ctx, portNode)) {
    if (endPortNode !== undefined) {
      findings.push(finding('end-port-invalid', spanOf(ctx, endPortEntry!.keyNode), 'endPort needs a numeric port to start the range.'));
      return { kind: 'invalid', span };
    }
    return { kind: 'all', protocol, span };
  }
  const port = parsePortValue(ctx, portNode, findings, 'port');
  if (port === undefined) return { kind: 'invalid', span };
  if (port.kind === 'name') {
    if (endPortNode !== undefined) {
      findings.push(finding('end-port-invalid', spanOf(ctx, endPortEntry!.keyNode), `endPort cannot be used with the named port "${port.name}".`));
      return { kind: 'invalid', span };
    }
    // Named-port findings point at the name itself.
    return { kind: 'named', protocol, name: port.name, span: spanOf(ctx, portNode) };
  }
  if (endPortNode === undefined) return { kind: 'range', protocol, from: port.port, to: port.port, span };
  const endPort = integer(ctx, endPortNode);
  if (endPort === undefined || endPort < 1 || endPort > 65535) {
    findings.push(finding('end-port-invalid', spanOf(ctx, endPortNode), 'endPort must be a number from 1 to 65535.'));
    return { kind: 'invalid', span };
  }
  if (endPort < port.port) {
    findings.push(finding('end-port-invalid', spanOf(ctx, endPortNode), `endPort ${endPort} is smaller than port ${port.port}.`, [{ span: spanOf(ctx, portNode), message: 'the start port' }]));
    return { kind: 'invalid', span };
  }
  return { kind: 'range', protocol, from: port.port, to: endPort, span };
}
