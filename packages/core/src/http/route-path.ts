/** Matching of Express/Fastify-style paths (`/instances/:id`) and their OpenAPI form (`/instances/{id}`). */

/** `/instances/:id/history` → `/instances/{id}/history`. */
export function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** Names of a path's `:params`, in order. */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]!);
}

/**
 * The params of `actual` when it matches `pattern` (query string and a trailing slash ignored,
 * segments URI-decoded), else `undefined`.
 */
export function matchPath(pattern: string, actual: string): Record<string, string> | undefined {
  const clean = actual.split('?')[0]!.replace(/\/+$/, '') || '/';
  const want = pattern.split('/');
  const got = clean.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(':')) {
      if (g === '') return undefined;
      try {
        params[w.slice(1)] = decodeURIComponent(g);
      } catch {
        return undefined;
      }
    } else if (w !== g) {
      return undefined;
    }
  }
  return params;
}
