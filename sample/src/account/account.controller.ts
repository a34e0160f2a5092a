import { Controller, Get, Inject, Req } from '@nestjs/common';
import { Session, SESSION_CONFIG, type SessionConfig } from 'nest-flask-session';
import { CurrentUser, LoginManager, LoginRequired } from 'nest-flask-session/flask-login';
import type { DemoUser } from '../auth/users.service.js';
import { whoCard } from '../common/who-card.js';
import { html } from '../common/html.js';
import { PagesService } from '../common/pages.service.js';
import type { SampleSession } from '../common/sample-session.js';
import { sessionCard } from '../common/session-summary.js';
import { HtmlPage } from '../common/html-page.decorator.js';

/**
 * A page only logged-in users see: Flask-Login's `@login_required` sends everyone else to /login
 * (the page they wanted kept in the session's `next`) and the login view brings them back.
 */
@Controller('account')
@LoginRequired()
export class AccountController {
  constructor(
    private readonly pages: PagesService,
    private readonly login: LoginManager<DemoUser>,
    @Inject(SESSION_CONFIG) private readonly config: SessionConfig,
  ) {}

  @Get()
  @HtmlPage()
  async account(@Req() req: object, @Session() session: SampleSession, @CurrentUser() user: DemoUser): Promise<string> {
    const who = await whoCard(req, session, this.login);
    return this.pages.render(req, session, {
      title: 'Your account',
      body: () => html`<section class="card" id="profile">
  <h2>Profile</h2>
  <table>
    <tr><th>User id</th><td id="profile-id"><code>${user.id}</code></td></tr>
    <tr><th>Name</th><td id="profile-name">${user.name}</td></tr>
    <tr><th>Email</th><td>${user.email}</td></tr>
  </table>
</section>
${who}
${sessionCard(session, this.config.PERMANENT_SESSION_LIFETIME)}`,
    });
  }
}
