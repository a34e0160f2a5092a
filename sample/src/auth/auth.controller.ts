import { Body, Controller, Get, Inject, Post, Redirect, Req } from '@nestjs/common';
import { flash, RedisSession, Session, SESSION_CONFIG, type SessionConfig } from 'nest-flask-session';
import { LoginManager } from 'nest-flask-session/flask-login';
import { html } from '../common/html.js';
import { PagesService } from '../common/pages.service.js';
import type { SampleSession } from '../common/sample-session.js';
import { describeSeconds } from '../common/session-summary.js';
import { safeNextUrl } from './safe-next-url.js';
import { DEMO_CREDENTIALS, UsersService, type DemoUser } from './users.service.js';
import { HtmlPage } from '../common/html-page.decorator.js';

/** The login form's fields (`application/x-www-form-urlencoded`). */
interface LoginForm {
  username?: unknown;
  password?: unknown;
  /** Present (`"on"`) when "remember me" is ticked. */
  remember?: unknown;
}

type RedirectTo = { url: string; statusCode: number };

/** 303 See Other: after a POST, the browser follows with a GET. */
const seeOther = (url: string): RedirectTo => ({ url, statusCode: 303 });

@Controller()
export class AuthController {
  constructor(
    private readonly pages: PagesService,
    private readonly users: UsersService,
    private readonly loginManager: LoginManager<DemoUser>,
    @Inject(SESSION_CONFIG) private readonly config: SessionConfig,
  ) {}

  @Get('login')
  @HtmlPage()
  async loginForm(@Req() req: object, @Session() session: SampleSession): Promise<string> {
    const user = await this.loginManager.currentUser(req);
    const next = session.get('next');
    const csrf = await this.pages.csrfField(req);
    return this.pages.render(req, session, {
      title: 'Log in',
      body: html`${user ? html`<p class="card">You are already logged in as <strong>${user.name}</strong>. Logging in again switches user.</p>` : ''}
<section class="card">
  <form method="post" action="/login" id="login-form">
    ${csrf}
    <label for="username">Username</label>
    <input type="text" id="username" name="username" autocomplete="username" required autofocus>
    <label for="password">Password</label>
    <input type="password" id="password" name="password" autocomplete="current-password" required>
    <label class="check"><input type="checkbox" id="remember" name="remember"> Remember me (a <code>remember_token</code> cookie, and a permanent session for ${describeSeconds(this.config.PERMANENT_SESSION_LIFETIME)})</label>
    <p><button class="button" type="submit">Log in</button></p>
  </form>
  ${next ? html`<p class="muted" id="next-hint">After logging in you will go back to <code>${next}</code>.</p>` : ''}
</section>
<section class="card">
  <h2>Demo accounts</h2>
  <table><tr><th>Username</th><th>Password</th></tr>
  ${DEMO_CREDENTIALS.map(({ username, password }) => html`<tr><td><code>${username}</code></td><td><code>${password}</code></td></tr>`)}
  </table>
</section>`,
    });
  }

  /**
   * Checks the password and logs the user in as Flask-Login's `login_user` does (`_user_id`,
   * `_fresh`, `_id`; with "remember me" also the `remember_token` cookie and a permanent
   * session), keeps the plain `user_id` key a Flask app without Flask-Login would read, and goes
   * back to the page the login guard stopped (`next`), or home.
   */
  @Post('login')
  @Redirect()
  async login(@Req() req: object, @Session() session: SampleSession, @Body() form: LoginForm): Promise<RedirectTo> {
    const user = this.users.authenticate(form.username, form.password);
    if (!user) {
      flash(session, 'Invalid username or password.', 'error');
      return seeOther('/login');
    }
    const next = safeNextUrl(session.pop('next', undefined));
    const remember = form.remember !== undefined && form.remember !== '';
    // On Redis the cookie holds an id: loginUser moves the session to a new one, so an id planted
    // in the browser before login (session fixation) is worthless. The data (cart, flashes) moves along.
    await this.loginManager.loginUser(req, user, { remember });
    session.set('user_id', user.id);
    // Flask's `session.permanent = True`: the cookie gets Expires = now + PERMANENT_SESSION_LIFETIME,
    // refreshed on every request (SESSION_REFRESH_EACH_REQUEST). Otherwise it is a browser-session cookie.
    session.permanent = remember;
    flash(session, `Welcome, ${user.name}! You are logged in.`, 'success');
    return seeOther(next);
  }

  /**
   * Ends the session. On Redis, `destroy()` deletes it from the store at once, so a copy of the
   * cookie (or a request still in flight) cannot use it again. A signed cookie cannot be revoked:
   * clearing it makes the server delete the browser's cookie, but a copy stays valid until it
   * expires (README, Security). Flask-Login's `logout_user` then deletes the remember-me cookie.
   */
  @Post('logout')
  @Redirect('/logged-out', 303)
  async logout(@Req() req: object, @Session() session: SampleSession): Promise<void> {
    if (session instanceof RedisSession) await session.destroy();
    else session.clear();
    await this.loginManager.logoutUser(req);
  }
}
