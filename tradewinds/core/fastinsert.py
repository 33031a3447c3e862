"""Plain INSERTs for file imports, the API's lodgings and the audit trail's appends.

Django's ``bulk_create`` spends most of its time preparing each value of each object in Python
(about 1 ms per declaration with its item, version and events); a 40,000-row file took over half a
minute that way. Here every column's adapter is looked up once and rows go straight to the driver,
five to ten times faster on SQLite and PostgreSQL alike. No signals, no ``save()``: the caller
sets ``auto_now`` fields itself and asks for the ids it needs."""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models

from .cursors import shared_cursor

CHUNK = 2000  # rows per executemany
# Rows per multi-row INSERT: beyond some fifty rows, each row costs more (measured on PostgreSQL).
ROWS_PER_STATEMENT = 50


def _adapter(field: models.Field) -> Callable[[Any], Any] | None:
    # The connection is looked up at each call: an adapter is kept for every thread's connection.
    if isinstance(field, models.DateTimeField):
        return lambda value: None if value is None else connection.ops.adapt_datetimefield_value(value)
    if isinstance(field, models.DecimalField):
        digits, places = field.max_digits, field.decimal_places
        return lambda value: None if value is None else connection.ops.adapt_decimalfield_value(value, digits, places)
    if isinstance(field, models.JSONField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


@dataclass(frozen=True)
class _Table:
    into: str  # table (columns)
    row: str  # (%s, %s, ...)
    pk_column: str
    getter: Callable[[models.Model], tuple]  # all the columns' values at once
    adapters: tuple[tuple[int, Callable[[Any], Any]], ...]  # (position, adapter) of the columns that need one

    def values(self, instance: models.Model) -> list[Any]:
        row = list(self.getter(instance))
        for position, adapt in self.adapters:
            row[position] = adapt(row[position])
        return row


_tables: dict[tuple[type[models.Model], str], _Table] = {}


def _table(model: type[models.Model]) -> _Table:
    """A model's INSERT parts, worked out once per database vendor (a lodging inserts eight times)."""
    key = (model, connection.vendor)
    table = _tables.get(key)
    if table is None:
        fields = [field for field in model._meta.concrete_fields if not field.primary_key]
        quote = connection.ops.quote_name
        getter = operator.attrgetter(*(field.attname for field in fields))
        table = _tables[key] = _Table(
            into=f"{quote(model._meta.db_table)} ({', '.join(quote(field.column) for field in fields)})",
            row="(" + ", ".join(["%s"] * len(fields)) + ")",
            pk_column=quote(model._meta.pk.column),
            getter=getter if len(fields) > 1 else lambda instance: (getter(instance),),
            adapters=tuple((i, adapt) for i, field in enumerate(fields) if (adapt := _adapter(field)) is not None),
        )
    return table


def insert_instances(model: type[models.Model], instances: Sequence[models.Model], *, fetch_ids: bool = False) -> int:
    """Insert unsaved instances; returns the number of rows written. Their `pk` stays None unless
    ``fetch_ids``: then the INSERTs return the ids (in row order, as Django's own ``bulk_create``
    relies on for PostgreSQL and SQLite) and each instance gets its own.

    A few rows (a lodging's) go in one multi-row INSERT: psycopg's ``executemany`` pipeline costs
    more than they do. Many rows (a file's) go to ``executemany``, twice as fast as big multi-row
    statements, unless their ids are wanted."""
    table = _table(model)
    with shared_cursor() as cursor:
        if len(instances) > ROWS_PER_STATEMENT and not fetch_ids:
            sql = f"INSERT INTO {table.into} VALUES {table.row}"
            for start in range(0, len(instances), CHUNK):
                cursor.executemany(sql, [table.values(instance) for instance in instances[start : start + CHUNK]])
            return len(instances)
        returning = f" RETURNING {table.pk_column}" if fetch_ids else ""
        for start in range(0, len(instances), ROWS_PER_STATEMENT):
            chunk = instances[start : start + ROWS_PER_STATEMENT]
            rows = ", ".join([table.row] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table.into} VALUES {rows}{returning}",
                [value for instance in chunk for value in table.values(instance)],
            )
            if fetch_ids:
                for instance, (pk,) in zip(chunk, cursor.fetchall(), strict=True):
                    instance.pk = pk
                    instance._state.adding, instance._state.db = False, connection.alias
    return len(instances)
