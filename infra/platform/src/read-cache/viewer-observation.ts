import type { Role, Viewer } from '../auth/jwt';

/** Owners one answer may be compared with before it counts as depending on who asks, not only on their role. */
export const OBSERVED_OWNERS_MAX = 1_000;

/**
 * How a subgraph's answer depended on who asked, as its resolvers read the viewer: not at all; on whether
 * someone is signed in and their role; on whether they are one of `owners` (isOwnerOrAdmin); or on who they
 * are (an id read any other way). The gateway's read cache shares an answer only between viewers it cannot tell
 * apart by these.
 */
export class ViewerObservation {
  consulted = false;
  identityRead = false;
  readonly owners = new Set<string>();

  comparedWithOwner(ownerId: string): void {
    if (this.owners.size >= OBSERVED_OWNERS_MAX) this.identityRead = true;
    else this.owners.add(ownerId);
  }
}

/** The viewer as a resolver sees it: reading `id` is noted; `isOwnerOrAdmin` compares without reading it. */
export class ObservedViewer implements Viewer {
  constructor(
    private readonly viewer: Viewer,
    private readonly observation: ViewerObservation,
  ) {}

  get id(): string {
    this.observation.identityRead = true;
    return this.viewer.id;
  }

  get role(): Role {
    return this.viewer.role;
  }

  isOwnerOrAdmin(ownerId: string): boolean {
    if (this.viewer.role === 'ADMIN') return true;
    this.observation.comparedWithOwner(ownerId);
    return this.viewer.id === ownerId;
  }
}

/**
 * A request context whose `viewer` is observed: reading it notes that the answer depends on the viewer, and
 * what it returns notes how. A resolver may replace it (signing in); the new viewer is observed the same way.
 * The accessor lives on the prototype and the state in own fields, so Apollo's shallow copy of a context
 * (Object.create of its prototype, then its own fields) observes into the same ViewerObservation.
 */
class ObservedContext {
  readonly viewerObservation = new ViewerObservation();
  private observedViewer: ObservedViewer | null;

  constructor(viewer: Viewer | null) {
    this.observedViewer = viewer === null ? null : new ObservedViewer(viewer, this.viewerObservation);
  }

  get viewer(): Viewer | null {
    this.viewerObservation.consulted = true;
    return this.observedViewer;
  }

  set viewer(next: Viewer | null) {
    this.viewerObservation.identityRead = true;
    this.observedViewer = next === null ? null : new ObservedViewer(next, this.viewerObservation);
  }
}

/** `fields` with an observed `viewer` (and its ViewerObservation). */
export function observeViewer<TFields extends object>(
  fields: TFields,
  viewer: Viewer | null,
): TFields & { viewer: Viewer | null; readonly viewerObservation: ViewerObservation } {
  return Object.assign(new ObservedContext(viewer), fields);
}
