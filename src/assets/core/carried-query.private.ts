// The state a call carries from step to step in its URLs (the "hunt" pattern): Studio's `Reason` and
// `Line`, and the paths already tried (`exclude`); and the way back to the menu without a path. Pure.
import type { MenuAfter } from './menu.private';
import { PATHS, type Path } from './model.private';
import type { Step, Utterance } from './steps.private';
import { encodeQuery, stepUrl, type Query } from './urls.private';

/** The longest `Reason` carried and logged. */
export const MAX_REASON_LENGTH = 200;

/** `Reason`, `Line` and `exclude` from `params` (with `extra`), encoded for the next step's URL. */
export function carriedQuery(params: Query, extra: Query = {}): string {
  const carried: Record<string, string | undefined> = { ...extra };
  if (params.Reason) carried.Reason = params.Reason.slice(0, MAX_REASON_LENGTH);
  if (params.Line) carried.Line = params.Line;
  if (params.exclude) carried.exclude = params.exclude;
  return encodeQuery(carried);
}

/** The paths named in a comma-separated list (`offered`, `exclude`), in SPEC order; unknown names dropped. */
export function parsePaths(raw: string | undefined): Path[] {
  const names = new Set((raw ?? '').split(','));
  return PATHS.filter((p) => names.has(p));
}

/**
 * Back to the menu without `path` (and whatever was excluded before): after a path failed or is not
 * available, the caller hears why (`after`) and the paths that remain.
 */
export function menuWithout(params: Query, path: Path, after: MenuAfter, say: readonly Utterance[] = []): Step {
  const exclude = [...parsePaths(params.exclude), path].join(',');
  return { kind: 'say-and-redirect', say, url: stepUrl('/escalate', carriedQuery({ ...params, exclude }, { after })) };
}
