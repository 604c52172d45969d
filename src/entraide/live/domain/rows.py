"""Rows read in plain SQL, for the reads of every push (live.domain.state, realtime.render):
building an ORM query cost several times more than running it (cProfile of bench/room.py's
load). Values go through their fields' converters, so encrypted texts are decrypted and dates
made aware as the ORM would; ``instances`` gives model instances the view builders use as if
the ORM had read them. Callers are inside ``all_tenants()``: no tenant filter applies here.
"""

from django.db import connection, models


class _Column:
    """What a database converter is given as its expression: the field's output field."""

    def __init__(self, field) -> None:
        self.output_field = field
        self.target = field


_found: dict[tuple, list] = {}


def _converters(fields) -> list:
    """(expression, converters) of each field, found once per process and backend: finding
    them for every query was a twentieth of a worker's time (py-spy, bench/room.py)."""
    key = (connection.vendor, *map(id, fields))  # model fields live as long as the process
    found = _found.get(key)
    if found is None:
        found = _found[key] = [
            (_Column(field), connection.ops.get_db_converters(_Column(field)) + field.get_db_converters(connection)) for field in fields
        ]
    return found


def _fetch(model, fields, where: str, params: list, order_by: list[str] | None) -> list[tuple]:
    quote = connection.ops.quote_name
    sql = f"SELECT {', '.join(quote(field.column) for field in fields)} FROM {quote(model._meta.db_table)} WHERE {where}"
    if order_by:
        sql += " ORDER BY " + ", ".join(_order_term(model, term) for term in order_by)
    return _run(sql, params, fields)


def _run(sql: str, params: list, fields) -> list[tuple]:
    """The rows of ``sql``, whose columns are those of ``fields``, converted as the ORM would."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found = _converters(fields)
    out = []
    for row in rows:
        values = []
        for (column, converters), value in zip(found, row):
            for converter in converters:
                value = converter(value, column, connection)
            values.append(value)
        out.append(tuple(values))
    return out


def _order_term(model, term: str) -> str:
    name = term.lstrip("-")
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    return connection.ops.quote_name(field.column) + (" DESC" if term.startswith("-") else " ASC")


def select(model: type[models.Model], fields: list[str], where: str, params: list) -> list[dict]:
    """Rows of ``model`` as {field name: value} (a foreign key by its name gives the id).
    ``where`` is SQL with %s placeholders for ``params``."""
    columns = [model._meta.get_field(name) for name in fields]
    return [dict(zip(fields, row)) for row in _fetch(model, columns, where, params, None)]


def instances(model: type[models.Model], where: str, params: list) -> list:
    """Every column of the rows of ``model`` matching ``where``, as instances (``from_db``, as
    the ORM makes them), in the model's ``Meta.ordering`` (plain field names and "pk")."""
    fields = model._meta.concrete_fields
    names = [field.attname for field in fields]
    return [model.from_db(connection.alias, names, row) for row in _fetch(model, fields, where, params, list(model._meta.ordering))]


def instances_with(model: type[models.Model], relation: str, where: str, params: list) -> list:
    """As ``instances``, each with the row its foreign key ``relation`` points to read in the
    same statement (a join: ``select_related(relation)`` of one level) and set on it. ``where``
    names the columns of ``model`` as ``t.column``. The join is what makes the two rows one
    snapshot (live.domain.commands.session_tables)."""
    quote = connection.ops.quote_name
    key = model._meta.get_field(relation)
    parent = key.related_model
    own, theirs = model._meta.concrete_fields, parent._meta.concrete_fields
    columns = [f"t.{quote(field.column)}" for field in own] + [f"p.{quote(field.column)}" for field in theirs]
    sql = (
        f"SELECT {', '.join(columns)} FROM {quote(model._meta.db_table)} t"
        f" JOIN {quote(parent._meta.db_table)} p ON p.{quote(parent._meta.pk.column)} = t.{quote(key.column)} WHERE {where}"
    )
    if model._meta.ordering:
        sql += " ORDER BY " + ", ".join("t." + _order_term(model, term) for term in model._meta.ordering)
    names, parent_names = [field.attname for field in own], [field.attname for field in theirs]
    out = []
    for row in _run(sql, params, [*own, *theirs]):
        instance = model.from_db(connection.alias, names, row[:len(own)])
        setattr(instance, relation, parent.from_db(connection.alias, parent_names, row[len(own):]))
        out.append(instance)
    return out
