import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { NodeSessionRequest, NodeSessionResponse } from '../../lib/http/index.js';

/** A real Node request/response pair with no network behind it, for interface-level tests. */
export function fakeExchange(cookieHeader?: string) {
  const incoming = new IncomingMessage(new Socket());
  incoming.url = '/';
  if (cookieHeader !== undefined) incoming.headers.cookie = cookieHeader;
  const outgoing = new ServerResponse(incoming);
  const request = new NodeSessionRequest(incoming);
  const response = new NodeSessionResponse(outgoing, request);
  const setCookies = (): string[] => {
    const value = outgoing.getHeader('set-cookie');
    return value === undefined ? [] : (value as string[]);
  };
  const vary = (): string | undefined => outgoing.getHeader('vary') as string | undefined;
  return { incoming, outgoing, request, response, setCookies, vary };
}
