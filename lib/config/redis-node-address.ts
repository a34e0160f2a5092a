/** One Redis node (a cluster seed or a sentinel) as `host:port`, or `[v6 address]:port`. */
export interface RedisNodeAddress {
  host: string;
  port: number;
}

const HOST_PORT = /^(?:\[([0-9A-Fa-f:.]+)\]|([A-Za-z0-9_.-]+)):(\d{1,5})$/;

/**
 * The address in `host:port` (or `[::1]:port`), or a sentence saying what is wrong with it. The
 * config layer turns the sentence into a start-up error naming its key.
 */
export function parseRedisNodeAddress(text: string): RedisNodeAddress | string {
  const match = HOST_PORT.exec(text.trim());
  if (!match) return `'${text}' is not host:port`;
  const port = Number(match[3]);
  if (port < 1 || port > 65535) return `'${text}' has port ${match[3]}, outside 1-65535`;
  return { host: match[1] ?? match[2]!, port };
}

/** Every address of a list, or the first problem found in it; an empty list is a problem too. */
export function parseRedisNodeList(list: readonly unknown[]): RedisNodeAddress[] | string {
  if (list.length === 0) return 'must list at least one host:port';
  const nodes: RedisNodeAddress[] = [];
  for (const item of list) {
    if (typeof item !== 'string') return `must be a list of host:port strings, got ${typeof item}`;
    const node = parseRedisNodeAddress(item);
    if (typeof node === 'string') return node;
    nodes.push(node);
  }
  return nodes;
}
