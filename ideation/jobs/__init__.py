"""Background jobs: a queue in the database, run by a thread in each web process or by
`flask jobs work`; the admins' page of jobs.
"""

from ideation.features import Feature

feature = Feature(
    modules=("models",),
    blueprints=("views",),
    commands=("commands:jobs_cli",),
    audit_actions="messages:AUDIT_ACTIONS",
)
