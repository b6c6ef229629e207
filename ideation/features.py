"""What a package adds to the app, declared once in the package's `__init__.py`.

`create_app` reads these declarations from one list of packages (FEATURES in
`ideation/__init__.py`): it imports every module a package names, so that each
process, a web worker as much as `flask jobs work` or Alembic, knows every table
and every job; registers its blueprints and its `flask` command groups; and
collects its notification messages and the pages its audit-log entries link to.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Feature:
    """One package's contributions, named relative to the package.

    `modules` are imported in every process: modules with tables or jobs.
    `blueprints` are the modules whose `bp` is registered. `commands` are
    "module:attribute" click groups. `messages` is a "module:attribute" dict of
    notification kinds to lazy sentences. `audit_links` maps a table name to
    "module:Model", the endpoint of its public page and the endpoint's id argument
    (or None when it has no page), for the audit log to link its entries.
    `audit_actions` is a "module:attribute" dict of the audit-log actions the
    package records to their lazy labels ("*.hidden" for any kind of item).
    `personal_data` is "module:function" giving an account's rows of the package,
    for the copy of their data an account downloads (shared/personal_data.py).
    """

    modules: tuple[str, ...] = ()
    blueprints: tuple[str, ...] = ()
    commands: tuple[str, ...] = ()
    messages: str | None = None
    audit_links: str | None = None
    audit_actions: str | None = None
    moderated: str | None = None
    personal_data: str | None = None
