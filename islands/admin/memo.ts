/**
 * A component that re-renders only when its props change (shallowly): what keeps a live burst
 * from re-rendering every row on screen. preact/compat's memo without the rest of compat.
 */
import { type FunctionComponent, h } from "preact";

function same(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  for (const k in a) if (k !== "children" && a[k] !== b[k]) return false;
  for (const k in b) if (k !== "children" && !(k in a)) return false;
  return true;
}

export function memo<P extends object>(inner: FunctionComponent<P>): FunctionComponent<P> {
  function Memo(this: { shouldComponentUpdate?: (next: P) => boolean; props: P }, props: P) {
    this.shouldComponentUpdate = (next: P) =>
      !same(this.props as Record<string, unknown>, next as Record<string, unknown>);
    return h(inner as FunctionComponent<P>, props);
  }
  return Memo as unknown as FunctionComponent<P>;
}
