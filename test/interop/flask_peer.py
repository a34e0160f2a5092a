"""Real Flask on the other end of the wire, for nest-flask-session's interop tests.

Reads one JSON list of operations on stdin and prints one JSON list of results. Each operation:
  {"op": "mint", "secret_key": str, "config": {...}, "tagged": "<Flask tagged JSON of the session>"}
      -> {"cookie": "<value of the Set-Cookie 'session' cookie>", "set_cookie": "<whole header>"}
      The session is filled inside a real Flask request, so Flask's save_session mints it.
  {"op": "open", "secret_key": str, "fallbacks": [str] | null, "cookie": str}
      -> {"tagged": "<the opened session, re-dumped by Flask>"} or {"error": "<exception class>"}
      Without fallbacks the cookie goes through a real request and Flask's open_session; with
      fallbacks the serializer is built the way Flask >= 3.1.1 builds it (fallbacks, then the key).
"""
import json
import sys
from datetime import datetime, timezone

import flask
from flask import Flask, request, session
from flask.sessions import session_json_serializer
from itsdangerous import URLSafeTimedSerializer
import hashlib


def make_app(secret_key, config):
    app = Flask("interop")
    app.config.update(SECRET_KEY=secret_key, **(config or {}))

    @app.route("/mint", methods=["POST"])
    def mint():
        data = session_json_serializer.loads(request.get_data(as_text=True))
        for key, value in data.items():
            session[key] = value
        return ""

    @app.route("/read")
    def read():
        if not session:
            return "{}"
        return session_json_serializer.dumps(dict(session))

    return app


def mint(op):
    app = make_app(op["secret_key"], op.get("config"))
    rv = app.test_client().post("/mint", data=op["tagged"].encode("utf-8"))
    header = rv.headers.get("Set-Cookie")
    cookie = header.split(";", 1)[0].split("=", 1)[1] if header else None
    return {"cookie": cookie, "set_cookie": header}


def open_cookie(op):
    fallbacks = op.get("fallbacks")
    app = make_app(op["secret_key"], None)
    try:
        if fallbacks:
            with app.app_context():
                serializer = URLSafeTimedSerializer(
                    [*fallbacks, op["secret_key"]],
                    salt="cookie-session",
                    serializer=session_json_serializer,
                    signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha1},
                )
                data = serializer.loads(op["cookie"], max_age=int(app.permanent_session_lifetime.total_seconds()))
                return {"tagged": session_json_serializer.dumps(dict(data))}
        rv = app.test_client(use_cookies=False).get("/read", headers={"Cookie": "session=" + op["cookie"]})
        if rv.status_code != 200:
            return {"error": "HTTP %d" % rv.status_code}
        return {"tagged": rv.get_data(as_text=True)}
    except Exception as exc:  # the class name is the answer
        return {"error": type(exc).__name__}


def main():
    ops = json.load(sys.stdin)
    results = [mint(op) if op["op"] == "mint" else open_cookie(op) for op in ops]
    json.dump({"flask": flask.__version__, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
