"""Keyset pages of a resource: `?after=<last id seen>&limit=<n>`, by ascending id,
so a page costs the same however deep a client reads, and a row added meanwhile
neither shifts nor repeats the others."""

from collections.abc import Mapping
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from ideation.extensions import db
from ideation.opendata.resources import Resource
from ideation.shared.errors import DomainError
from ideation.shared.web import as_id


class BadQuery(DomainError):
    """A query argument the API cannot use: the client is told which and why."""


@dataclass(frozen=True)
class ApiPage:
    items: list
    limit: int
    next_after: int | None  # the `after` of the next page; None on the last one
    filters: dict


def page_limit(args: Mapping) -> int:
    """`?limit=`: API_PAGE_SIZE when absent, at most API_PAGE_SIZE_MAX."""
    raw = args.get("limit")
    if raw is None:
        return current_app.config["API_PAGE_SIZE"]
    highest = current_app.config["API_PAGE_SIZE_MAX"]
    if not raw.isdigit() or not 1 <= int(raw) <= highest:
        raise BadQuery(
            _("limit must be a whole number from 1 to %(max)d.", max=highest),
            "limit",
        )
    return int(raw)


def _after(args: Mapping) -> int:
    raw = args.get("after")
    if raw is None:
        return 0
    after = as_id(raw)
    if after is None:
        raise BadQuery(_("after must be the id of an item."), "after")
    return after


def filter_values(resource: Resource, args: Mapping) -> dict:
    """The resource's filters present in `args`, checked."""
    values = {}
    for spec in resource.filters:
        raw = args.get(spec.name)
        if raw is None:
            continue
        if spec.type == "integer":
            value = as_id(raw)
            if value is None:
                raise BadQuery(_("%(name)s must be an id.", name=spec.name), spec.name)
        else:
            value = raw
        if spec.choices and value not in spec.choices:
            raise BadQuery(
                _(
                    "%(name)s must be one of: %(choices)s.",
                    name=spec.name,
                    choices=", ".join(spec.choices),
                ),
                spec.name,
            )
        values[spec.name] = value
    return values


def read_page(resource: Resource, args: Mapping) -> ApiPage:
    """The page of `resource` asked for by the query arguments."""
    limit = page_limit(args)
    filters = filter_values(resource, args)
    stmt = resource.select().where(resource.model.id > _after(args))
    for spec in resource.filters:
        if spec.name in filters:
            stmt = stmt.where(spec.column() == filters[spec.name])
    # One more row than asked says whether there is a next page.
    rows = list(
        db.session.scalars(stmt.order_by(resource.model.id).limit(limit + 1)).unique()
    )
    more = len(rows) > limit
    rows = rows[:limit]
    return ApiPage(rows, limit, rows[-1].id if more else None, filters)


def read_item(resource: Resource, item_id: int):
    """One public item of `resource`, or None."""
    stmt = resource.select().where(resource.model.id == item_id)
    return db.session.scalars(stmt).unique().first()
