"""A real Flask 3.1 + Flask-Session 0.8 app on Redis, for flask-session-redis.e2e-spec.ts.

Usage: python3 flask_session_app.py PORT REDIS_URL SECRET_KEY FORMAT USE_SIGNER LIFETIME
Serves on 127.0.0.1:PORT with SESSION_TYPE="redis" and Flask-Session's defaults otherwise.
Prints "ready" on stdout once it listens.
  GET /flask/login    -> user_id, a tuple, an aware datetime and bytes; then regenerate()
  GET /flask/read     -> the session as JSON, each value described with its Python type
  GET /flask/bump     -> flask_visits + 1
  GET /flask/logout   -> session.clear() (Flask-Session deletes the entry and the cookie)
  GET /flask/nothing  -> never touches the session
"""
import sys
import warnings
from datetime import datetime, timedelta, timezone

import flask_session
from flask import Flask, jsonify, session
from redis import Redis
from werkzeug.serving import make_server

warnings.simplefilter("ignore", DeprecationWarning)  # SESSION_USE_SIGNER is deprecated upstream

port, redis_url, secret_key, fmt, use_signer, lifetime = sys.argv[1:7]

app = Flask("flask-session-interop")
app.config.update(
    SECRET_KEY=secret_key,
    SESSION_TYPE="redis",
    SESSION_REDIS=Redis.from_url(redis_url),
    SESSION_SERIALIZATION_FORMAT=fmt,
    SESSION_USE_SIGNER=use_signer == "true",
    PERMANENT_SESSION_LIFETIME=timedelta(seconds=int(lifetime)),
)
flask_session.Session(app)


def describe(value):
    """Each value with the Python type Flask-Session gave this handler."""
    if isinstance(value, datetime):
        return {"datetime": value.isoformat(), "aware": value.tzinfo is not None}
    if isinstance(value, bytes):
        return {"bytes": value.hex()}
    if isinstance(value, tuple):
        return {"tuple": [describe(item) for item in value]}
    if isinstance(value, list):
        return [describe(item) for item in value]
    if isinstance(value, dict):
        return {key: describe(item) for key, item in value.items()}
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 2**53:
        return {"int": str(value)}
    return value


@app.route("/flask/login")
def login():
    session["user_id"] = "alice"
    session["roles"] = ("admin", "dev")
    session["since"] = datetime(2026, 11, 30, 9, 30, 15, 250000, tzinfo=timezone.utc)
    session["blob"] = b"\x00\xff\x10"
    session["big"] = 2**60
    app.session_interface.regenerate(session)
    return "logged in on flask"


@app.route("/flask/read")
def read():
    return jsonify({"sid": session.sid, "permanent": session.permanent, "empty": not session, "data": describe(dict(session))})


@app.route("/flask/bump")
def bump():
    session["flask_visits"] = session.get("flask_visits", 0) + 1
    return str(session["flask_visits"])


@app.route("/flask/logout")
def logout():
    session.clear()
    return "logged out on flask"


@app.route("/flask/nothing")
def nothing():
    return "nothing"


if __name__ == "__main__":
    server = make_server("127.0.0.1", int(port), app, threaded=True)
    print("ready", flush=True)
    server.serve_forever()
