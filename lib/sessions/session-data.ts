/**
 * The data of every session in the app: any string key, any value that tagged JSON stores. An app
 * types its keys once by augmenting it, and `@Session()`, `getSession()`, `flash()` and the
 * testing helpers all see those types:
 *
 * ```ts
 * declare module 'nest-flask-session' {
 *   interface SessionData {
 *     userId?: number;
 *     cart?: string[];
 *   }
 * }
 * ```
 */
export interface SessionData {
  [key: string]: unknown;
}
