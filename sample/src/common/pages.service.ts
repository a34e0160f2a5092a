import { Injectable } from '@nestjs/common';
import { getFlashedMessages } from 'nest-flask-session';
import { CsrfService } from 'nest-flask-session/csrf';
import { LoginManager } from 'nest-flask-session/flask-login';
import { Markup } from 'nest-flask-session/tagged-json';
import type { DemoUser } from '../auth/users.service.js';
import { cartQuantity } from '../cart/catalog.js';
import { html } from './html.js';
import type { SampleSession } from './sample-session.js';

export interface PageContent {
  title: string;
  /**
   * The page's content. A function runs after the layout has popped the flash messages, so a
   * page that shows the session shows it as it will be saved.
   */
  body: Markup | (() => Markup);
}

const STYLE = `
  :root { color-scheme: light; --ink: #1f2933; --muted: #52606d; --line: #d9e2ec; --brand: #2d6a4f; --bg: #f5f7fa; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
  header { background: var(--brand); color: #fff; }
  header .bar { max-width: 46rem; margin: 0 auto; padding: .75rem 1rem; display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
  header a { color: #fff; text-decoration: none; } header a:hover { text-decoration: underline; }
  header .brand { font-weight: 700; margin-right: auto; }
  header form { margin: 0; } header .who { opacity: .9; }
  header button { background: transparent; color: #fff; border: 1px solid rgba(255,255,255,.6); border-radius: 4px; padding: .2rem .6rem; cursor: pointer; font: inherit; }
  main { max-width: 46rem; margin: 1.5rem auto; padding: 0 1rem; }
  h1 { margin: 0 0 1rem; font-size: 1.6rem; }
  .card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 1rem 1.25rem; margin: 0 0 1rem; }
  .card h2 { margin: 0 0 .5rem; font-size: 1.1rem; }
  .flashes { list-style: none; padding: 0; margin: 0 0 1rem; }
  .flash { padding: .6rem 1rem; border-radius: 6px; margin-bottom: .5rem; border: 1px solid; }
  .flash-success { background: #e3f9e5; border-color: #8ede99; }
  .flash-info, .flash-message { background: #e6f6ff; border-color: #84c5f4; }
  .flash-warning { background: #fffbea; border-color: #f7d070; }
  .flash-error { background: #ffe3e3; border-color: #f29b9b; }
  .muted { color: var(--muted); } .big { font-size: 2rem; font-weight: 700; }
  table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid var(--line); }
  td.num, th.num { text-align: right; }
  form.inline { display: inline; margin: 0; }
  label { display: block; margin: .5rem 0 .2rem; font-weight: 600; } label.check { font-weight: 400; }
  input[type=text], input[type=password] { width: 100%; max-width: 20rem; padding: .45rem .6rem; border: 1px solid var(--line); border-radius: 4px; font: inherit; }
  .button { background: var(--brand); color: #fff; border: 0; border-radius: 4px; padding: .45rem .9rem; font: inherit; cursor: pointer; }
  .button.secondary { background: #fff; color: var(--brand); border: 1px solid var(--brand); }
  pre { background: #102a43; color: #d9e2ec; padding: .75rem 1rem; border-radius: 6px; overflow-x: auto; font-size: .85rem; margin: .5rem 0 0; }
  code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
`;

/**
 * The site layout: header with the user and cart, flash messages, then the page. It reads the
 * session like a Jinja base template would (`current_user`, `session`, `get_flashed_messages()`,
 * `csrf_token()`).
 */
@Injectable()
export class PagesService {
  constructor(
    private readonly login: LoginManager<DemoUser>,
    private readonly csrf: CsrfService,
  ) {}

  /** `{{ form.csrf_token }}`: the hidden field every POST form carries (one token per request). */
  async csrfField(request: object): Promise<Markup> {
    return html`<input type="hidden" name="csrf_token" value="${await this.csrf.generateCsrf(request)}">`;
  }

  async render(request: object, session: SampleSession, page: PageContent): Promise<string> {
    const user = await this.login.currentUser(request);
    const csrfField = user ? await this.csrfField(request) : '';
    const items = cartQuantity(session.get('cart'));
    const flashes = getFlashedMessages(session, { withCategories: true });
    const body = typeof page.body === 'function' ? page.body() : page.body;
    return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title} · nest-flask-session sample</title>
<style>${new Markup(STYLE)}</style>
</head>
<body>
<header><nav class="bar">
  <a class="brand" href="/">nest-flask-session</a>
  <a href="/">Home</a>
  <a href="/cart">Cart (<span id="cart-count">${items}</span>)</a>
  <a href="/account">Account</a>
  ${
    user
      ? html`<span class="who" id="current-user">${user.name}</span>
  <form class="inline" method="post" action="/logout">${csrfField}<button type="submit">Log out</button></form>`
      : html`<a href="/login" id="login-link">Log in</a>`
  }
</nav></header>
<main>
${
  flashes.length > 0
    ? html`<ul class="flashes">${flashes.map(([category, message]) => html`<li class="flash flash-${category}" role="status">${message}</li>`)}</ul>`
    : ''
}
<h1>${page.title}</h1>
${body}
</main>
</body>
</html>
`.toString();
  }
}
