import { Controller, Get, Inject, Req } from '@nestjs/common';
import { Session, SESSION_CONFIG, type SessionConfig } from 'nest-flask-session';
import { LoginManager } from 'nest-flask-session/flask-login';
import { html } from '../common/html.js';
import { PagesService } from '../common/pages.service.js';
import type { SampleSession } from '../common/sample-session.js';
import { sessionCard } from '../common/session-summary.js';
import type { DemoUser } from '../auth/users.service.js';
import { whoCard } from '../common/who-card.js';
import { HtmlPage } from '../common/html-page.decorator.js';

@Controller()
export class HomeController {
  constructor(
    private readonly pages: PagesService,
    private readonly login: LoginManager<DemoUser>,
    @Inject(SESSION_CONFIG) private readonly config: SessionConfig,
  ) {}

  /** The visit counter: a top-level write, so the session is saved without further ado. */
  @Get()
  @HtmlPage()
  async home(@Req() req: object, @Session() session: SampleSession): Promise<string> {
    // Flask-Login's session protection looks at the session as the request brought it: load the user first.
    const user = await this.login.currentUser(req);
    const visits = session.get('visits', 0) + 1;
    session.set('visits', visits);
    const who = await whoCard(req, session, this.login);
    return this.pages.render(req, session, {
      title: user ? `Hello, ${user.name}` : 'Welcome',
      body: () => html`<section class="card">
  <h2>Visit counter</h2>
  <p>You have viewed this page <span class="big" id="visits">${visits}</span> time${visits === 1 ? '' : 's'} in this session.</p>
</section>
<section class="card">
  <h2>Try it</h2>
  <ul>
    <li><a href="/account">Open your account page</a>: it is protected, so you are sent to log in first, then brought back.</li>
    <li><a href="/login">Log in</a> with or without “remember me” and compare the cookie's expiry in your browser's developer tools.</li>
    <li><a href="/cart">Fill the cart</a>: nested data in the session.</li>
  </ul>
  <p class="muted">${user ? html`You are logged in as <strong id="user-id">${user.id}</strong>.` : 'You are not logged in.'}</p>
</section>
${who}
${sessionCard(session, this.config.PERMANENT_SESSION_LIFETIME)}`,
    });
  }

  /** Where logging out lands. It writes nothing, so the deleted cookie stays deleted. */
  @Get('logged-out')
  @HtmlPage()
  loggedOut(@Req() req: object, @Session() session: SampleSession): Promise<string> {
    return this.pages.render(req, session, {
      title: 'Logged out',
      body: html`<section class="card" id="logged-out">
  <p>You are logged out. The session was cleared, so the server told the browser to delete the cookie.</p>
  <p><a href="/login">Log in again</a> or go <a href="/">home</a> (the counter starts again at 1).</p>
</section>`,
    });
  }
}
