"""One error hierarchy. Services raise these; the API turns them into
{"detail", "code", "errors"} with the status below, pages into a message on the form."""

from __future__ import annotations

from typing import Any


class TradewindsError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, detail: str, *, errors: list[dict[str, Any]] | None = None, code: str | None = None):
        super().__init__(detail)
        self.detail = detail
        self.errors = errors or []
        if code:
            self.code = code

    def as_dict(self) -> dict[str, Any]:
        return {"detail": self.detail, "code": self.code, "errors": self.errors}


class InvalidInput(TradewindsError):
    """Field-level problems: each error is {"loc": [...], "msg": str, "field": str}."""

    status = 422
    code = "invalid"


class NotAuthenticated(TradewindsError):
    status = 401
    code = "not_authenticated"


class Forbidden(TradewindsError):
    status = 403
    code = "forbidden"


class NotFound(TradewindsError):
    status = 404
    code = "not_found"


class Conflict(TradewindsError):
    status = 409
    code = "conflict"


def field_error(field: str, message: str, *, row: int | None = None) -> dict[str, Any]:
    """The shape of one field error, shared by the API, forms and file imports."""
    loc: list[Any] = [field] if row is None else ["row", row, field]
    error: dict[str, Any] = {"loc": loc, "field": field, "msg": message}
    if row is not None:
        error["row"] = row
    return error


def from_django_validation(exc: Any) -> InvalidInput:
    """Turn a django ValidationError (from Model.clean) into our error with field paths."""
    errors = []
    if hasattr(exc, "message_dict"):
        for field, messages in exc.message_dict.items():
            errors.extend(field_error(field, str(message)) for message in messages)
    else:
        errors.extend(field_error("__all__", str(message)) for message in exc.messages)
    return InvalidInput("Some fields are not valid.", errors=errors)
