"""What the duplicates feature's notifications say (see notifications/messages.py)."""

from flask_babel import lazy_gettext as _l

MESSAGES = {
    "merge.source_author": _l(
        "Your idea “%(source)s” was merged into the similar idea “%(target)s”. "
        "You are credited there as a co-author, and its supporters now support it."
    ),
    "merge.target_author": _l(
        "The similar idea “%(source)s” was merged into your idea “%(target)s”: "
        "its author is credited as a co-author and its supporters now support yours."
    ),
    "merge.supporter": _l(
        "The idea “%(source)s” was merged into the similar idea “%(target)s”. "
        "Your support counts there now, once."
    ),
    "merge_undone.source_author": _l(
        "The merge of your idea “%(source)s” into “%(target)s” was undone: "
        "your idea is listed again with its supports."
    ),
    "merge_undone.target_author": _l(
        "The merge of “%(source)s” into your idea “%(target)s” was undone: "
        "the supports it brought went back to it."
    ),
    "merge_undone.supporter": _l(
        "The merge of “%(source)s” into “%(target)s” was undone: "
        "your supports are as they were before the merge."
    ),
}


# What the audit log calls this feature's actions, in the reader's language ("*."
# stands for any kind of item).
AUDIT_ACTIONS = {
    "duplicates.dismissed": _l("Marked as not duplicates"),
    "idea.merged": _l("Ideas merged"),
    "idea.merge_undone": _l("Merge undone"),
}
