"""Lookups every API request makes, with their SQL built by the ORM once.

Building a query's SQL costs Django more than the database spends running it: about 1 ms of Python
for an API key with its user, against 0.1 ms for the indexed lookup itself, and a lodging makes a
handful of such lookups. A :class:`Lookup` builds its QuerySet once per thread's connection with
marker values in place of its parameters, remembers where each marker landed among the SQL's
parameters, and from then on runs that SQL with the values of the call. Rows come back through the
compiler's own converters and, for a model QuerySet, become instances (with their ``select_related``
relations) as Django's iterable would make them.

Only scalar parameters can vary (``str``, ``int``, ``date``): a list (``__in``) changes the SQL's shape."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Model, QuerySet
from django.db.models.query import ModelIterable, get_related_populators

from .cursors import shared_cursor

# Values no real call passes, so each is found among the SQL parameters exactly where it was used.
_MARKERS: dict[type, Callable[[int], Any]] = {
    str: lambda index: f"\x1ftradewinds-lookup-parameter-{index}\x1f",
    int: lambda index: -(2**62) + index,
    dt.date: lambda index: dt.date(1000, 1, 1) + dt.timedelta(days=index),
}


def _adapted(value: Any) -> Any:
    """A value as the ORM hands it to the driver (SQLite takes dates as text)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return connection.ops.adapt_datefield_value(value)
    return value


@dataclass(frozen=True)
class _Compiled:
    compiler: Any
    sql: str
    params: tuple
    slots: tuple[tuple[int, int], ...]  # (position among the SQL parameters, index of the call's value)
    converters: dict  # the compiler's converters of the selected columns, as results_iter would find them
    model: _ModelRows | None  # how rows become instances, for a model QuerySet

    def read(self, rows: list[tuple]) -> list[Any]:
        if self.converters:
            rows = [tuple(row) for row in self.compiler.apply_converters(rows, self.converters)]
        return rows if self.model is None else self.model.instances(rows)


@dataclass(frozen=True)
class _ModelRows:
    """Rows to model instances, as ``ModelIterable`` does (with ``select_related`` relations)."""

    model: type[Model]
    using: str
    start: int
    end: int
    attnames: list[str]
    populators: list[Any]

    @classmethod
    def of(cls, compiler: Any) -> _ModelRows:
        select, klass_info = compiler.select, compiler.klass_info
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        attnames = [column[0].target.attname for column in select[start:end]]
        populators = get_related_populators(klass_info, select, compiler.using)
        return cls(klass_info["model"], compiler.using, start, end, attnames, populators)

    def instances(self, rows: list[tuple]) -> list[Model]:
        instances = []
        for row in rows:
            instance = self.model.from_db(self.using, self.attnames, row[self.start : self.end])
            for populator in self.populators:
                populator.populate(row, instance)
            instances.append(instance)
        return instances


class Lookup:
    """``Lookup(lambda key_hash: ApiKey.objects.filter(key_hash=key_hash), str)``, then
    ``lookup.first(value)`` or ``lookup.all(value)``. The QuerySet should carry its own order."""

    def __init__(self, build: Callable[..., QuerySet], *parameter_types: type) -> None:
        unknown = [kind for kind in parameter_types if kind not in _MARKERS]
        if unknown:
            raise TypeError(f"a Lookup's parameters are str, int or date, not {unknown}")
        self._build = build
        self._types = parameter_types
        self._local = threading.local()  # a compiler belongs to its thread's connection

    def all(self, *values: Any) -> list[Any]:
        compiled = self._compiled()
        params = list(compiled.params)
        for position, index in compiled.slots:
            params[position] = _adapted(values[index])
        with shared_cursor() as cursor:
            cursor.execute(compiled.sql, params)
            return compiled.read(cursor.fetchall())

    def first(self, *values: Any) -> Any | None:
        found = self.all(*values)
        return found[0] if found else None

    def _compiled(self) -> _Compiled:
        by_alias = getattr(self._local, "by_alias", None)
        if by_alias is None:
            by_alias = self._local.by_alias = {}
        compiled = by_alias.get(connection.alias)
        if compiled is None:
            compiled = by_alias[connection.alias] = self._compile()
        return compiled

    def _compile(self) -> _Compiled:
        markers = [_MARKERS[kind](index) for index, kind in enumerate(self._types)]
        queryset = self._build(*markers)
        compiler = queryset.query.get_compiler(using=connection.alias)
        sql, params = compiler.as_sql()  # also fills the compiler's select, which reads the rows
        slots = []
        for index, marker in enumerate(markers):
            positions = [position for position, value in enumerate(params) if value == _adapted(marker)]
            if not positions:
                raise ValueError(f"parameter {index} of the lookup does not reach its SQL")
            slots.extend((position, index) for position in positions)
        columns = [column[0] for column in compiler.select[: compiler.col_count]]
        rows = _ModelRows.of(compiler) if queryset._iterable_class is ModelIterable else None
        return _Compiled(compiler, sql, tuple(params), tuple(slots), compiler.get_converters(columns), rows)
