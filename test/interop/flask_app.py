"""A real Flask app for the shared cookie jar test (flask-cookie-jar.e2e-spec.ts).

Usage: python3 flask_app.py PORT SECRET_KEY
Serves on 127.0.0.1:PORT with Flask's own SecureCookieSessionInterface and the default cookie
name. Prints "ready" on stdout once it listens.
  GET /flask/read           -> the session as Flask's tagged JSON
  GET /flask/modify         -> adds flask_visits (+1), a tuple, bytes and a datetime; marks it permanent
"""
import sys
from datetime import datetime, timezone

from flask import Flask, session
from flask.sessions import session_json_serializer
from werkzeug.serving import make_server

app = Flask("cookie-jar")
app.config.update(SECRET_KEY=sys.argv[2], SESSION_COOKIE_NAME="session")


@app.route("/flask/read")
def read():
    return session_json_serializer.dumps(dict(session))


@app.route("/flask/modify")
def modify():
    session["flask_visits"] = session.get("flask_visits", 0) + 1
    session["from_flask"] = ("tuple", 1)
    session["raw"] = b"\xff\x00"
    session["when"] = datetime(2026, 11, 30, 12, 0, 0, tzinfo=timezone.utc)
    if "nest_user" in session:
        session["seen_nest_user"] = session["nest_user"]
    session.permanent = True
    return "modified"


if __name__ == "__main__":
    server = make_server("127.0.0.1", int(sys.argv[1]), app, threaded=True)
    print("ready", flush=True)
    server.serve_forever()
