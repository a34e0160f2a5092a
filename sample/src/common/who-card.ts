import type { Markup } from 'nest-flask-session/tagged-json';
import type { LoginManager } from 'nest-flask-session/flask-login';
import type { DemoUser } from '../auth/users.service.js';
import { html } from './html.js';
import type { SampleSession } from './sample-session.js';

/**
 * Who is logged in, by both conventions a Flask app may use: Flask-Login's `current_user`
 * (`_user_id`, or the remember-me cookie) and the plain `session['user_id']` key.
 */
export async function whoCard(request: object, session: SampleSession, login: LoginManager<DemoUser>): Promise<Markup> {
  const user = await login.currentUser(request);
  const fresh = await login.loginFresh(request);
  const remembered = await login.loginRemembered(request);
  const plain = session.get('user_id');
  return html`<section class="card" id="who-card">
  <h2>Who is logged in</h2>
  <table>
    <tr><th>Flask-Login <code>current_user</code></th><td id="who-flask-login">${
      user
        ? html`<strong>${user.id}</strong> (${fresh ? 'fresh login' : 'not fresh: restored or stale'}${remembered ? ', remember-me cookie' : ''})`
        : 'nobody'
    }</td></tr>
    <tr><th><code>session['user_id']</code></th><td id="who-session-key">${plain ? html`<strong>${plain}</strong>` : 'nobody'}</td></tr>
  </table>
  <p class="muted">A Flask app sharing this cookie and <code>SECRET_KEY</code> sees the same: Flask-Login reads
  <code>_user_id</code> (or the <code>remember_token</code> cookie when the session is gone), plain Flask code reads
  <code>user_id</code>.</p>
</section>`;
}
