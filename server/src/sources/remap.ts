/**
 * Moving findings off a rendered text (kustomize, Helm) onto the files the
 * user edits, given how one span moves; and the YAML paths both directions
 * go by.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import type { Finding, SourceSpan } from '../engine/index.js';

export function remapFindings(virtualFile: string, findings: readonly Finding[], mapSpan: (span: SourceSpan) => SourceSpan): Finding[] {
  return findings.map((f) => {
    if (f.span.file !== virtualFile && !f.related.some((r) => r.span.file === virtualFile)) return f;
    const related = f.related.map((r) => ({ ...r, span: mapSpan(r.span) }));
    if (f.span.file !== virtualFile) return { ...f, related };
    // Fixes edit the rendered text, which the user never sees: leave them out.
    const { fixes: _fixes, ...rest } = f;
    return { ...rest, span: mapSpan(f.span), related };
  });
}

/** The path of keys and indices to the deepest node that holds all of [start, end). */
export function pathAt(root: unknown, start: number, end: number): Array<string | number> {
  const out: Array<string | number> = [];
  const holds = (n: unknown) => {
    const r = (n as Node | null | undefined)?.range;
    return r !== undefined && r !== null && r[0] <= start && end <= Math.max(r[1], r[0] + 1);
  };
  let node = root;
  for (;;) {
    if (isMap(node)) {
      const pair = node.items.find((p) => holds(p.value) || holds(p.key));
      if (pair === undefined || !isScalar(pair.key)) return out;
      out.push(String(pair.key.value));
      if (!holds(pair.value)) return out;
      node = pair.value;
    } else if (isSeq(node)) {
      const i = node.items.findIndex(holds);
      if (i === -1) return out;
      out.push(i);
      node = node.items[i];
    } else return out;
  }
}

/** The deepest node along `steps` that the source object has; its range. `whole`: undefined unless it has every step. */
export function rangeAlong(root: unknown, steps: ReadonlyArray<string | number>, whole = false): [number, number] | undefined {
  let node = root as Node | null | undefined;
  let best = node?.range ? ([node.range[0], node.range[1]] as [number, number]) : undefined;
  for (const step of steps) {
    let next: unknown;
    if (typeof step === 'string' && isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === step);
      next = step === 'name' || step === 'namespace' ? (pair?.value ?? pair?.key) : pair?.value;
    } else if (typeof step === 'number' && isSeq(node)) next = node.items[step];
    if (next === undefined || next === null || (next as Node).range === undefined) {
      if (whole) return undefined;
      break;
    }
    node = next as Node;
    best = [node.range![0], node.range![1]];
  }
  return best;
}

/**
 * Where an offset into one YAML tree lands in another of the same shape (a
 * source object and the object rendered from it, either way): the node at
 * the same path, the same distance into it, at most its end. Undefined where
 * neither holds a node along the path.
 */
export function samePlaceIn(from: unknown, to: unknown, offset: number): number | undefined {
  const steps = pathAt(from, offset, offset);
  const source = rangeAlong(from, steps);
  const target = rangeAlong(to, steps);
  if (source === undefined || target === undefined) return undefined;
  return Math.min(target[0] + Math.max(0, offset - source[0]), target[1]);
}
