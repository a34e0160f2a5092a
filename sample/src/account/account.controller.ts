import { Controller, Get, Inject, UseFilters, UseGuards } from '@nestjs/common';
import { Session, SESSION_CONFIG, type SessionConfig } from 'nest-flask-session';
import { LoginRedirectFilter } from '../auth/login-redirect.filter.js';
import { LoginRequiredGuard } from '../auth/login-required.guard.js';
import { UsersService } from '../auth/users.service.js';
import { html } from '../common/html.js';
import { PagesService } from '../common/pages.service.js';
import type { SampleSession } from '../common/sample-session.js';
import { sessionCard } from '../common/session-summary.js';
import { HtmlPage } from '../common/html-page.decorator.js';

/** A page only logged-in users see: the guard sends everyone else to /login and back here. */
@Controller('account')
@UseGuards(LoginRequiredGuard)
@UseFilters(LoginRedirectFilter)
export class AccountController {
  constructor(
    private readonly pages: PagesService,
    private readonly users: UsersService,
    @Inject(SESSION_CONFIG) private readonly config: SessionConfig,
  ) {}

  @Get()
  @HtmlPage()
  account(@Session() session: SampleSession, @Session('user_id') userId: string): string {
    // The guard has checked that this user exists.
    const user = this.users.findById(userId)!;
    return this.pages.render(session, {
      title: 'Your account',
      body: () => html`<section class="card" id="profile">
  <h2>Profile</h2>
  <table>
    <tr><th>User id</th><td id="profile-id"><code>${user.id}</code></td></tr>
    <tr><th>Name</th><td id="profile-name">${user.name}</td></tr>
    <tr><th>Email</th><td>${user.email}</td></tr>
  </table>
</section>
${sessionCard(session, this.config.PERMANENT_SESSION_LIFETIME)}`,
    });
  }
}
