"""pydantic's validation errors of a deployment record as ``(path, rule)`` pairs in the file's terms: unknown
fields first at each level, then the fields in the order the models list them; a single quote mapping (read as a
list of one) keeps its path."""
from __future__ import annotations

import typing
from typing import Any

from pydantic import BaseModel, ValidationError

from .fields import Issue
from .model import Record


def _child_model(model: type | None, key: Any) -> type | None:
    """The model a field (or, for a list, its items) holds, to follow a problem's path down the models."""
    if model is None or not isinstance(key, str) or key not in model.model_fields:
        return None
    stack = [model.model_fields[key].annotation]
    while stack:
        tp = stack.pop()
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            return tp
        stack.extend(typing.get_args(tp))
    return None


def _models_along(path: tuple) -> list[type | None]:
    """The model at each level of ``path`` (None where the level is a list or a plain value)."""
    models, model = [Record], Record
    for key in path:
        if not isinstance(key, int):
            model = _child_model(model, key)
        models.append(model)
    return models


def _sort_key(path: tuple) -> tuple:
    """Unknown fields first at each level, then fields in model order, list items in order."""
    key, model = [], Record
    for part in path:
        if isinstance(part, int):
            key.append(part)
            continue
        fields = list(model.model_fields) if model is not None else []
        key.append(fields.index(part) if part in fields else -1)
        model = _child_model(model, part)
    return tuple(key)


def _rule(error: dict, path: tuple, doc: Any) -> str:
    kind, models = error["type"], _models_along(path)
    parent = models[-2] if len(models) > 1 else None
    if kind == "rule":
        return error["ctx"]["rule"]
    if kind == "missing":
        return "required"
    if kind == "extra_forbidden":
        return f"unknown field (allowed: {', '.join(parent.model_fields) if parent else ''})"
    if error.get("input", 0) is None:
        return "required"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        model = models[-1]
        if path and isinstance(path[-1], int):
            return "must be a mapping"
        return f"must be a mapping: {model.MAPPING}" if model is not None and model.MAPPING else "must be a mapping"
    if kind == "list_type":
        return "must be a list"
    if kind == "too_short" and path == ("sources",):
        return "must list at least one entry"
    return error["msg"]


def _doc_path(loc: tuple, doc: Any) -> tuple:
    """pydantic's location as a path in the file: a single quote mapping was read as a list of one."""
    out: list = []
    node = doc
    for part in loc:
        if isinstance(part, int) and out and out[-1] == "quote" and isinstance(node, dict):
            continue
        out.append(part)
        node = node.get(part) if isinstance(node, dict) else (
            node[part] if isinstance(node, list) and isinstance(part, int) and part < len(node) else None)
    return tuple(out)


def validate(doc: dict) -> tuple[Record | None, list[Issue]]:
    """The record, or None and every structure and type problem as (path, rule)."""
    try:
        return Record.model_validate(doc), []
    except ValidationError as exc:
        found = []
        for error in exc.errors(include_url=False):
            loc = tuple(error["loc"])
            path = _doc_path(loc, doc)
            found.append((_sort_key(loc), path, _rule(error, loc, doc)))
        found.sort(key=lambda f: f[0])
        return None, [(path, rule) for _, path, rule in found]
