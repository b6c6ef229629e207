"""Where the audit log links its entries: one AuditLink per kind of target.

Features declare theirs (`Feature.audit_links`), so the audit log needs to import
none of them.
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
