"""How the audit log shows its entries: what each action is called, and where each
kind of target links (one AuditLink per table).

Features declare theirs (`Feature.audit_actions`, `Feature.audit_links`), so the
audit log needs to import none of them.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class AuditLink:
    """How the audit page shows a target of the table `table`.

    `label` names the kind; `endpoint` is its page, given the target's `key`
    attribute as the argument `argument`; `text` is the attribute shown as the link.
    """

    table: str
    model: type
    label: str
    endpoint: str
    argument: str
    key: str = "id"
    text: str = "title"


AUDIT_LINKS: dict[str, AuditLink] = {}


def register_audit_links(links) -> None:
    """Make the audit page link entries whose target is one of `links`' tables."""
    for link in links:
        AUDIT_LINKS[link.table] = link


# Action code ("idea.merged", or "*.hidden" for any kind) -> its lazy label.
AUDIT_ACTIONS: dict = {}


def register_audit_actions(labels: dict) -> None:
    """Name a feature's actions in the audit log."""
    AUDIT_ACTIONS.update(labels)


def action_label(action: str) -> str:
    """What the action is called in the reader's language; its code if unnamed."""
    label = AUDIT_ACTIONS.get(action)
    if label is None and "." in action:
        label = AUDIT_ACTIONS.get("*." + action.rsplit(".", 1)[1])
    return str(label) if label is not None else action


def target_label(table: str) -> str:
    """What a kind of target is called: its link's label, else the table's name."""
    link = AUDIT_LINKS.get(table)
    return str(link.label) if link is not None else table
