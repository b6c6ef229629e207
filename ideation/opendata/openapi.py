"""The OpenAPI 3.1 document of the API, built from the resources' declarations so
that it cannot drift from the routes (tests/functional/test_opendata.py checks
both ways)."""

from ideation.opendata.resources import RESOURCES, Resource

PREFIX = "/api/v1"
ERROR = {"$ref": "#/components/responses/Error"}


def _list_path(resource: Resource) -> dict:
    parameters = [
        {
            "name": "limit",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1},
            "description": "Items per page (API_PAGE_SIZE by default, at most "
            "API_PAGE_SIZE_MAX).",
        },
        {
            "name": "after",
            "in": "query",
            "schema": {"type": "integer", "minimum": 1},
            "description": "The last id of the previous page (links.next has it).",
        },
    ]
    for spec in resource.filters:
        schema = {"type": spec.type}
        if spec.choices:
            schema["enum"] = list(spec.choices)
        parameters.append(
            {
                "name": spec.name,
                "in": "query",
                "schema": schema,
                "description": spec.description,
            }
        )
    return {
        "get": {
            "summary": resource.summary,
            "operationId": f"list_{resource.name.replace('-', '_')}",
            "parameters": parameters,
            "responses": {
                "200": {
                    "description": "A page, oldest first (by id).",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "data": {
                                        "type": "array",
                                        "items": {"$ref": _ref(resource)},
                                    },
                                    "links": {"$ref": "#/components/schemas/Links"},
                                },
                            }
                        }
                    },
                },
                "400": ERROR,
                "429": ERROR,
            },
        }
    }


def _item_path(resource: Resource) -> dict:
    return {
        "get": {
            "summary": f"One item of {resource.name}.",
            "operationId": f"get_{resource.name.replace('-', '_')}",
            "parameters": [
                {
                    "name": "id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer"},
                }
            ],
            "responses": {
                "200": {
                    "description": "The item.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "properties": {"data": {"$ref": _ref(resource)}},
                            }
                        }
                    },
                },
                "404": ERROR,
                "429": ERROR,
            },
        }
    }


def _ref(resource: Resource) -> str:
    return f"#/components/schemas/{_schema_name(resource)}"


def _schema_name(resource: Resource) -> str:
    return "".join(part.capitalize() for part in resource.name.split("-"))


def _csv_path() -> dict:
    return {
        "get": {
            "summary": "Every public idea of a question, as CSV (UTF-8 with a "
            "byte-order mark; cells that a spreadsheet would run as a formula "
            "start with an apostrophe).",
            "operationId": "question_ideas_csv",
            "parameters": [
                {
                    "name": "id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer"},
                }
            ],
            "responses": {
                "200": {
                    "description": "The CSV file.",
                    "content": {"text/csv": {"schema": {"type": "string"}}},
                },
                "404": ERROR,
                "429": ERROR,
            },
        }
    }


def document(title: str, version: str) -> dict:
    """The whole OpenAPI document."""
    paths = {}
    for resource in RESOURCES:
        paths[f"{PREFIX}/{resource.name}"] = _list_path(resource)
        paths[f"{PREFIX}/{resource.name}/{{id}}"] = _item_path(resource)
    paths[f"{PREFIX}/questions/{{id}}/ideas.csv"] = _csv_path()
    paths[f"{PREFIX}/openapi.json"] = {
        "get": {
            "summary": "This document.",
            "operationId": "openapi",
            "responses": {"200": {"description": "The OpenAPI document."}},
        }
    }
    schemas = {
        _schema_name(resource): {
            "type": "object",
            "properties": resource.properties,
            "required": list(resource.properties),
        }
        for resource in RESOURCES
    }
    schemas["Links"] = {
        "type": "object",
        "properties": {
            "self": {"type": "string"},
            "next": {"type": ["string", "null"]},
        },
    }
    schemas["Error"] = {
        "type": "object",
        "properties": {
            "error": {
                "type": "object",
                "properties": {
                    "status": {"type": "integer"},
                    "message": {"type": "string"},
                    "parameter": {"type": ["string", "null"]},
                },
            }
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": title,
            "version": version,
            "description": "Read-only open data of what the site shows in public. "
            "No personal data: authors appear by the name the site shows (null "
            "for a deleted account); nothing hidden, withdrawn, merged, in draft "
            "or by a blocked account. Rate-limited per client address.",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "responses": {
                "Error": {
                    "description": "What was wrong, in the client's language.",
                    "content": {
                        "application/json": {
                            "schema": {"$ref": "#/components/schemas/Error"}
                        }
                    },
                }
            },
        },
    }
