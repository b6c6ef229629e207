"""gunicorn settings read from the working directory (`gunicorn wsgi:app` finds it).

Each worker starts loading the embedding model as soon as it has loaded the app, on
a background thread: the first suggestions while typing, and the check before
publishing, find it ready instead of answering "unavailable" for half a minute. The
hook runs in the worker after the fork, never in the master: a model loaded before
the fork would be shared by copy-on-write pages that torch soon touches, and the
threads that load it do not survive a fork.
"""


def post_worker_init(worker):
    """Start loading this worker's embedding model in the background."""
    from ideation.similarity.queries import start_warm_up

    start_warm_up(worker.wsgi)
