"""Where the question page spends its time: cProfile over the test client.

Builds the app on a throwaway SQLite file, a published question with a Markdown
context and 50 ideas by 50 citizens (one signed-in citizen supports every third),
then profiles GET /questions/<id> anonymous and signed in and prints the top
entries by own time and by cumulative time, with the calls to Flask-Babel's
translation look-up and the queries per page.

    .venv/bin/python bench/profile_question_page.py [--requests 50] [--top 25]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

from itsdangerous import URLSafeTimedSerializer
from sqlalchemy import event
from werkzeug.security import generate_password_hash

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from config import DevelopmentConfig
from ideation import create_app
from ideation.auth.models import User
from ideation.extensions import db
from ideation.ideas.models import Idea, Support
from ideation.questions.models import Question, QuestionStatus
from ideation.shared.db import utcnow

PASSWORD = "profile-password-123"
CONTEXT = """A saúde pública é a **prioridade** deste governo. Queremos ouvir você.

## O que já fazemos

- Postos de saúde abertos das 7h às 19h em 120 municípios;
- o programa *Saúde na Comunidade*, com agentes em cada bairro;
- consultas por telefone: veja https://saude.rs.gov.br/atendimento.

## O que perguntamos

Como melhorar o acesso à saúde pública no seu município? Pense no tempo de espera,
na distância até o posto, nos remédios e nos exames. Uma ideia por proposta, por
favor, com um título curto e claro.

| região | postos | espera média |
| --- | ---: | ---: |
| Metropolitana | 412 | 21 dias |
| Serra | 133 | 14 dias |
"""


def bench_config(database_uri: str):
    class BenchConfig(DevelopmentConfig):
        DEBUG = False
        SQLALCHEMY_DATABASE_URI = database_uri
        PROPAGATE_EXCEPTIONS = True
        PASSWORD_HASH_METHOD = "scrypt:1024:8:1"
        JOBS_MODE = "manual"
        SUPPORT_LIMIT_PER_ACCOUNT = "100000 per minute"

    return BenchConfig


def prepare(app, ideas: int = 50) -> int:
    """The question with `ideas` ideas; its id."""
    with app.app_context():
        db.create_all()
        password_hash = generate_password_hash(
            PASSWORD, method=app.config["PASSWORD_HASH_METHOD"]
        )
        now = utcnow()
        official = User(
            email="official@bench.invalid",
            display_name="Official",
            password_hash=password_hash,
            role="official",
            email_confirmed_at=now,
        )
        citizen = User(
            email="citizen@bench.invalid",
            display_name="Citizen",
            password_hash=password_hash,
            email_confirmed_at=now,
        )
        question = Question(
            title="Como podemos melhorar o acesso à saúde pública?",
            context=CONTEXT,
            status=QuestionStatus.PUBLISHED.value,
            published_at=now,
            author=official,
        )
        db.session.add_all([official, citizen, question])
        for n in range(ideas):
            author = User(
                email=f"author{n}@bench.invalid",
                display_name=f"Autora {n}",
                password_hash=password_hash,
                email_confirmed_at=now,
            )
            idea = Idea(
                question=question,
                author=author,
                title=f"Postos de saúde abertos à noite no bairro {n}",
                description="Mais horários para quem trabalha de dia.",
            )
            db.session.add(idea)
            if n % 3 == 0:
                db.session.flush()
                db.session.add(Support(idea_id=idea.id, user_id=citizen.id))
                idea.support_count = 1
        db.session.commit()
        # The count column of the question, where the schema has one.
        if hasattr(Question, "idea_count"):
            question.idea_count = ideas
            db.session.commit()
        return question.id


def signed_in_client(app, email="citizen@bench.invalid"):
    client = app.test_client()
    with client.session_transaction() as session:
        raw = session.setdefault("csrf_token", os.urandom(20).hex())
    token = URLSafeTimedSerializer(app.secret_key, salt="wtf-csrf-token").dumps(raw)
    response = client.post(
        "/login",
        data={
            "email": email,
            "password": PASSWORD,
            "csrf_token": token,
        },
    )
    if response.status_code != 302:
        sys.exit(f"Signing in failed: {response.status_code}")
    return client


def profile(app, client, url: str, requests: int, top: int) -> None:
    statements = []

    def count(*args):
        statements.append(1)

    for _ in range(3):  # warm-up: templates compiled, caches filled
        assert client.get(url).status_code == 200
    timings, cpu = [], []
    for _ in range(requests):
        began, began_cpu = time.perf_counter(), time.process_time()
        client.get(url).get_data()
        timings.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    timings.sort()
    cpu.sort()
    # CPU time: what the page costs, whatever else runs on a shared machine.
    print(
        f"without the profiler: CPU median {cpu[len(cpu) // 2]:.1f} ms per page;"
        f" wall median {timings[len(timings) // 2]:.1f} ms,"
        f" fastest {timings[0]:.1f} ms ({requests} requests)"
    )
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    for _ in range(requests):
        response = client.get(url)
        response.get_data()
    profiler.disable()
    elapsed = (time.perf_counter() - started) / requests * 1000
    event.remove(engine, "before_cursor_execute", count)
    if response.status_code != 200:
        sys.exit(f"GET {url} gave {response.status_code}")
    stats = pstats.Stats(profiler)
    babel_calls = sum(
        calls
        for (filename, _line, name), (calls, *_rest) in stats.stats.items()
        if name == "get_translations" and "flask_babel" in filename
    )
    print(
        f"{elapsed:.1f} ms per page (under the profiler), "
        f"{len(response.get_data())} bytes, "
        f"{len(statements) / requests:.1f} SQL statements per page, "
        f"{babel_calls / requests:.0f} calls to flask_babel.get_translations per page"
    )
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(top)
        lines = out.getvalue().splitlines()
        start = next(i for i, line in enumerate(lines) if "ncalls" in line)
        print(f"\nTop {top} by {order} ({requests} requests):")
        print("\n".join(lines[start : start + top + 1]))


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument(
        "--board", action="store_true", help="the shortlist board, as the official"
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(bench_config(f"sqlite:///{Path(tmp) / 'profile.db'}"))
        question_id = prepare(app)
        url = f"/questions/{question_id}?sort=top"
        visitors = [
            ("anonymous", app.test_client()),
            ("signed in", signed_in_client(app)),
        ]
        if args.board:
            url = f"/questions/{question_id}/board"
            visitors = [("official", signed_in_client(app, "official@bench.invalid"))]
        for who, client in visitors:
            print(f"\n=== GET {url}, {who} ===")
            profile(app, client, url, args.requests, args.top)
        with app.app_context():
            db.engine.dispose()


if __name__ == "__main__":
    main()
