"""A real Flask 3.1 app with Flask-Login 0.6.3 and Flask-WTF 1.3, for flask-login-csrf.e2e-spec.ts.

Usage: python3 flask_login_app.py PORT SECRET_KEY BACKEND REDIS_URL SESSION_PROTECTION
BACKEND is "cookie" (Flask's signed cookie) or "redis" (Flask-Session 0.8 on REDIS_URL, its
defaults otherwise). CSRFProtect guards every POST. Prints "ready" on stdout once it listens.
  GET  /flask/login?user=ID&remember=1&fresh=0  -> login_user(); "logged in" (403 for an inactive user)
  GET  /flask/whoami      -> JSON: user, fresh, remembered, and the Flask-Login session keys
  GET  /flask/logout      -> logout_user()
  GET  /flask/protected   -> @login_required
  GET  /flask/fresh       -> @fresh_login_required
  GET  /flask/form        -> generate_csrf(), the token a template would render
  GET  /flask/csrf-raw    -> the raw token kept in the session
  POST /flask/submit      -> "accepted" (CSRFProtect checked the token); a CSRFError is a 400 with its reason
"""
import sys
import warnings

import flask_login
import flask_wtf
from flask import Flask, jsonify, request, session
from flask_login import (
    LoginManager,
    UserMixin,
    current_user,
    fresh_login_required,
    login_fresh,
    login_remembered,
    login_required,
    login_user,
    logout_user,
)
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf
from werkzeug.serving import make_server

assert flask_login.__version__ == "0.6.3", flask_login.__version__
assert flask_wtf.__version__.startswith("1.3"), flask_wtf.__version__
warnings.simplefilter("ignore", DeprecationWarning)

port, secret_key, backend, redis_url, protection = sys.argv[1:6]

app = Flask("flask-login-interop")
app.config.update(SECRET_KEY=secret_key, SESSION_PROTECTION=None if protection == "none" else protection)
if backend == "redis":
    import flask_session
    from redis import Redis

    app.config.update(SESSION_TYPE="redis", SESSION_REDIS=Redis.from_url(redis_url))
    flask_session.Session(app)

login_manager = LoginManager(app)
CSRFProtect(app)


class User(UserMixin):
    def __init__(self, user_id, active=True):
        self.id = user_id
        self.active = active

    @property
    def is_active(self):
        return self.active


USERS = {"alice": User("alice"), "bob": User("bob"), "carol": User("carol", active=False)}


@login_manager.user_loader
def load_user(user_id):
    return USERS.get(user_id)


@app.errorhandler(CSRFError)
def csrf_error(error):
    return error.description, 400


@app.route("/flask/login")
def login():
    user = USERS[request.args["user"]]
    ok = login_user(user, remember=request.args.get("remember") == "1", fresh=request.args.get("fresh") != "0")
    return ("logged in", 200) if ok else ("inactive", 403)


LOGIN_KEYS = ("_user_id", "_fresh", "_id", "_remember", "_remember_seconds")


@app.route("/flask/whoami")
def whoami():
    user = current_user.id if current_user.is_authenticated else None
    keys = {key: session[key] for key in LOGIN_KEYS if key in session}
    return jsonify({"user": user, "fresh": bool(login_fresh()), "remembered": login_remembered(), "keys": keys})


@app.route("/flask/logout")
def logout():
    logout_user()
    return "logged out"


@app.route("/flask/protected")
@login_required
def protected():
    return f"protected for {current_user.id}"


@app.route("/flask/fresh")
@fresh_login_required
def fresh():
    return f"fresh for {current_user.id}"


@app.route("/flask/form")
def form():
    return generate_csrf()


@app.route("/flask/csrf-raw")
def csrf_raw():
    return session.get("csrf_token", "")


@app.route("/flask/submit", methods=["POST"])
def submit():
    return "accepted"


if __name__ == "__main__":
    server = make_server("127.0.0.1", int(port), app, threaded=True)
    print("ready", flush=True)
    server.serve_forever()
