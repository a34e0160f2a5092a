"""A real Flask app that says which session it opened, for flask-cookie-bytes.e2e-spec.ts.

Usage: python3 flask_session_reader.py PORT SECRET_KEY
Serves on 127.0.0.1:PORT with Flask's own SecureCookieSessionInterface and the default cookie
name. Prints "ready" on stdout once it listens.
  GET /session -> the session's data as JSON ({} when no cookie opened)
"""
import json
import sys

from flask import Flask, session
from werkzeug.serving import make_server

app = Flask("cookie-bytes")
app.config.update(SECRET_KEY=sys.argv[2], SESSION_COOKIE_NAME="session")


@app.route("/session")
def read():
    return json.dumps(dict(session), sort_keys=True)


if __name__ == "__main__":
    server = make_server("127.0.0.1", int(sys.argv[1]), app, threaded=True)
    print("ready", flush=True)
    server.serve_forever()
