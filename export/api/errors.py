"""What the API refuses and how it says so: an ApiError is answered as JSON ``{"error", "parameter", "status"}``
with 400 (a bad or unknown parameter, a bad year, a range outside the data, too many rows), 404 (an unknown
country, year or path), 429 (too many requests: routes.py) or 503 (a table cannot be read). ``dumps`` is the one
JSON encoding of every answer (UTF-8, compact)."""
from __future__ import annotations

import json


class ApiError(Exception):
    """A request the API refuses: its status, the parameter at fault and a message that says what is allowed."""

    def __init__(self, status: int, parameter: str | None, message: str):
        super().__init__(message)
        self.status, self.parameter, self.message = status, parameter, message

    def body(self) -> bytes:
        return dumps({"error": self.message, "parameter": self.parameter, "status": self.status})


def dumps(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
