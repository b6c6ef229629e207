"""What the similarity package announces to the features that compute from its vectors.

The similarity package knows nothing of them: duplicates and themes connect their
receivers in modules every process imports (their Feature.modules), so a web worker,
`flask jobs work` and a `flask similarity` command all reach them.
"""

from blinker import Namespace

_signals = Namespace()

question_vectors_changed = _signals.signal(
    "question-vectors-changed",
    doc="""Sent after a question's idea vectors were stored (sender: the app;
    question_id). Receivers run in the sender's transaction: what they enqueue is
    committed with the vectors.""",
)
