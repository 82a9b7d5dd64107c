/** `serve --token`: one shared bearer token guards the API. */
import { createHash, timingSafeEqual } from 'node:crypto';

/** The principal of requests carrying the token. */
export const TOKEN_PRINCIPAL = 'api-token';

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * A principal hook: `api-token` when the `Authorization: Bearer <token>` header matches (compared in
 * constant time), else `undefined` (401).
 */
export function bearerPrincipal(token: string): (req: { get(name: string): string | undefined }) => string | undefined {
  const expected = digest(token);
  return (req) => {
    const match = /^Bearer\s+(.+)$/i.exec(req.get('authorization') ?? '');
    if (!match) return undefined;
    return timingSafeEqual(digest(match[1]!.trim()), expected) ? TOKEN_PRINCIPAL : undefined;
  };
}
