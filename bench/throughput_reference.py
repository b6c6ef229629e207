"""The references of bench/page_throughput.py: what bare Flask does on this machine.

`GET /page?bytes=N&forms=0|1` renders a Jinja page of 50 cards padded to N bytes,
with a form per card when forms=1, and touches no database. `POST /insert` inserts
one row through SQLAlchemy into `bench_rows` of DATABASE_URL (the app's database)
and answers in JSON. gunicorn starts it with `throughput_reference:create_reference()`.
"""

import os

from flask import Flask, jsonify, request
from sqlalchemy import create_engine, event, text

CARDS = 50
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ title }}</title>
<meta name="csrf-token" content="{{ token }}"></head>
<body><main><h1>{{ title }}</h1><ol>
{% for card in cards %}<li class="card" id="idea-{{ card.id }}">
<h3><a href="/ideas/{{ card.id }}">{{ card.title }}</a></h3>
<p class="meta">Proposed by {{ card.author }} on {{ card.date }}</p>
<p class="support-count">{{ card.count }} supports</p>
{% if forms %}<form method="post" action="/ideas/{{ card.id }}/support">
<input type="hidden" name="csrf_token" value="{{ token }}">
<input type="hidden" name="next" value="/questions/1#idea-{{ card.id }}">
<button type="submit">Support<span>: {{ card.title }}</span></button></form>{% endif %}
</li>
{% endfor %}</ol><p>{{ padding }}</p></main></body></html>
"""


def create_reference() -> Flask:
    app = Flask(__name__)
    template = app.jinja_env.from_string(PAGE)
    engine = create_engine(os.environ["DATABASE_URL"], pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        # The app's own settings for SQLite (WAL, waiting for the write lock).
        @event.listens_for(engine, "connect")
        def _pragmas(connection, _record):
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

    serial = "INTEGER PRIMARY KEY" if engine.dialect.name == "sqlite" else "SERIAL"
    with engine.begin() as connection:
        connection.execute(
            text(
                f"CREATE TABLE IF NOT EXISTS bench_rows (id {serial}"
                + (" PRIMARY KEY" if serial == "SERIAL" else "")
                + ", value INTEGER NOT NULL)"
            )
        )

    @app.get("/page")
    def page():
        size = request.args.get("bytes", 0, type=int)
        cards = [
            {
                "id": n,
                "title": f"Postos de saúde abertos à noite no bairro {n}",
                "author": f"Autora {n}",
                "date": "7 de dez. de 2026",
                "count": n,
            }
            for n in range(1, CARDS + 1)
        ]
        context = {
            "title": "Como podemos melhorar o acesso à saúde pública?",
            "token": "x" * 91,
            "cards": cards,
            "forms": request.args.get("forms") == "1",
        }
        body = template.render(padding="", **context)
        missing = max(0, size - len(body.encode()))
        return template.render(padding="p" * missing, **context)

    @app.post("/insert")
    def insert():
        with engine.begin() as connection:
            connection.execute(
                text("INSERT INTO bench_rows (value) VALUES (:value)"),
                {"value": len(request.get_data())},
            )
        return jsonify(ok=True)

    return app
