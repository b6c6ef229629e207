"""Every action the app writes to the audit log has a name in every language."""

import ast
from pathlib import Path

from flask_babel import force_locale

from ideation.audit.links import AUDIT_ACTIONS, action_label

ROOT = Path(__file__).resolve().parents[2] / "ideation"


def recorded_actions() -> set[str]:
    """The action codes passed to record_action anywhere in the app; an f-string's
    literal tail (f"{kind}.hidden") stands for any kind: "*.hidden"."""
    found = set()
    for path in ROOT.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name != "record_action":
                continue
            literals = [
                sub.value
                for sub in ast.walk(node.args[1])
                if isinstance(sub, ast.Constant) and isinstance(sub.value, str)
            ]
            assert literals, f"{path}:{node.lineno}: an action without a literal code"
            found.update(
                "*" + code if code.startswith(".") else code for code in literals
            )
    return found


def test_every_recorded_action_has_a_label(app):
    actions = recorded_actions()
    assert len(actions) > 20  # the scan found the app's actions
    assert sorted(actions - AUDIT_ACTIONS.keys()) == []


def test_labels_are_translated_and_any_kind_matches_a_star(app):
    with app.test_request_context(), force_locale("pt_BR"):
        assert action_label("question.published") != "question.published"
        assert action_label("comment.hidden") == action_label("idea.hidden")
        assert action_label("no.such_action") == "no.such_action"
