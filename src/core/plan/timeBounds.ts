/**
 * Inclusive times corrected for what the server's rounding hides.
 *
 * PostgreSQL prints a node's time per loop to the microsecond, so a node that
 * runs 60,000 times in 0.3 µs each (a Memoize cache hit) prints 0.000 ms and
 * multiplies to nothing, while its child, run 100 times at 0.001 ms, adds up
 * to more than it. Left alone, the parent of such a node is charged with the
 * whole loop's work and the node with none. Two corrections, both bounded by
 * what the figures allow:
 *
 * - a node's time is at least what its attributed children account for;
 * - a node printed as 0.000 ms per loop over many loops took up to half a
 *   microsecond per loop: it gets that much, but never more than half of what
 *   its parent has left after its other children, so the parent keeps a
 *   share of the time neither figure can place.
 */
import { sum, type Attribution, type TreeNode } from './attribution';

/** Half of the last printed digit of a per-loop time (ms). */
export const HALF_DIGIT_MS = 0.0005;

export function boundInclusive(
  tree: readonly TreeNode[],
  attribution: Attribution,
  inclusive: readonly number[],
  divisors: readonly number[],
): number[] {
  const out = [...inclusive];
  const children = attribution.full;
  const order = postorder(tree.length, children);
  // Bottom-up: a node holds at least its children.
  for (const id of order) {
    const inner = sum(children[id]!.map((c) => out[c]!));
    if (inner > out[id]!) out[id] = inner;
  }
  // Top-down: a node printed as 0.000 per loop gets its rounding, within what its parent leaves.
  for (let k = order.length - 1; k >= 0; k--) {
    const parent = order[k]!;
    const kids = children[parent]!;
    for (const id of kids) {
      const raw = tree[id]!.raw;
      const loops = raw['Actual Loops'] ?? 0;
      if (raw['Actual Total Time'] !== 0 || loops < 2) continue;
      const slack = out[parent]! - sum(kids.map((c) => out[c]!));
      if (slack <= 0) continue;
      const ceiling = (HALF_DIGIT_MS * loops) / divisors[id]!;
      const raised = Math.max(out[id]!, Math.min(ceiling, out[id]! + slack / 2));
      out[id] = raised;
    }
  }
  return out;
}

/**
 * Children before parents over the attribution's containment, which is not
 * the JSON tree's (an InitPlan can be owned by a node listed after it).
 * Nodes outside any containment (top-level pieces, CTEs) start a walk.
 */
function postorder(count: number, children: readonly number[][]): number[] {
  const contained = new Array<boolean>(count).fill(false);
  for (const kids of children) for (const c of kids) contained[c] = true;
  const out: number[] = [];
  const visited = new Array<boolean>(count).fill(false);
  for (let root = 0; root < count; root++) {
    if (contained[root]) continue;
    const stack: Array<{ id: number; next: number }> = [{ id: root, next: 0 }];
    visited[root] = true;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const kids = children[top.id]!;
      if (top.next < kids.length) {
        const c = kids[top.next++]!;
        if (!visited[c]) {
          visited[c] = true;
          stack.push({ id: c, next: 0 });
        }
      } else {
        out.push(top.id);
        stack.pop();
      }
    }
  }
  return out;
}
