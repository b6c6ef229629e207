"""Events one feature announces and others act on, so that neither imports the
other. Receivers connect in modules every process imports (their Feature.modules),
and run in the sender's transaction: what they enqueue commits with the change.
"""

from blinker import Namespace

_signals = Namespace()

question_retitled = _signals.signal(
    "question-retitled",
    doc="""Sent when a question's title changed (sender: the question's id).
    Ideas are embedded after their question's title, so similarity re-embeds them.""",
)
