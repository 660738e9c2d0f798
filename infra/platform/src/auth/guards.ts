import { CommonErrors } from '../errors';
import { ObservedViewer } from '../read-cache/viewer-observation';
import type { Role, Viewer } from './jwt';

/** The part of every request context that authorization reads. */
export interface ViewerContext {
  viewer: Viewer | null;
}

export function requireViewer(context: ViewerContext): Viewer {
  if (context.viewer === null) throw CommonErrors.unauthenticated();
  return context.viewer;
}

/**
 * The one way a role is checked: first thing in a resolver or reference resolver (which no decorator
 * reaches), answering the viewer. No viewer is UNAUTHENTICATED, a wrong role FORBIDDEN.
 */
export function requireRole(context: ViewerContext, roles: readonly Role[]): Viewer {
  const viewer = requireViewer(context);
  if (!roles.includes(viewer.role)) throw CommonErrors.forbidden(`requires role ${roles.join(' or ')}`);
  return viewer;
}

/** Owners see their own records; admins see everyone's. A request's viewer notes the comparison (read cache). */
export function isOwnerOrAdmin(viewer: Viewer | null, ownerId: string): boolean {
  if (viewer instanceof ObservedViewer) return viewer.isOwnerOrAdmin(ownerId);
  return viewer !== null && (viewer.role === 'ADMIN' || viewer.id === ownerId);
}

/** The owner or an admin; anyone else is refused this one field (or root field) without failing the rest. */
export function requireOwnerOrAdmin(context: ViewerContext, ownerId: string, what: string): Viewer {
  const viewer = context.viewer;
  if (viewer === null) throw CommonErrors.signInToSee(what);
  if (!isOwnerOrAdmin(viewer, ownerId)) throw CommonErrors.forbidden(`only the owner or an admin may see ${what}`);
  return viewer;
}
