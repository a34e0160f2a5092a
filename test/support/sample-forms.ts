import type request from 'supertest';

/** The CSRF token a page's forms carry (Flask-WTF's hidden `csrf_token` field). */
export function csrfTokenIn(html: string): string {
  const match = /name="csrf_token" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('the page has no csrf_token field');
  return match[1]!;
}

/**
 * Logs in to the sample app as alice, as a browser does: with the token of the form it was shown
 * (returned too, for the next form).
 */
export async function logInToSample(
  agent: request.Agent,
  fields: Record<string, string> = {},
): Promise<{ login: request.Response; csrf_token: string }> {
  const csrf_token = csrfTokenIn((await agent.get('/login')).text);
  const login = await agent
    .post('/login')
    .type('form')
    .send({ username: 'alice', password: 'wonderland', ...fields, csrf_token });
  return { login, csrf_token };
}
