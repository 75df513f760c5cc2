"""Querysets compiled once per process: ``PreparedQuery(build, name=type, …)``.

Building a queryset and compiling it to SQL is Python work that, for a page's
hottest queries (a story's row with its section, photo and video; its related
posts' ranking), costs several times what the database takes to answer them: the
story row took 5.0 ms in all where running its SQL took 0.6 ms (bench/RESULTS.md).
A PreparedQuery asks ``build`` for the queryset once per database, with stand-in
values for its parameters, compiles it, and from then on runs that SQL with the
values given, making the model instances the queryset would have made (objects
of its ``select_related()`` and its annotations included).

Only values that end up as SQL parameters may vary (filters, not slices or lists
whose length varies), and each must keep its own place. Both are checked when the
query is compiled, from two sets of stand-ins: the SQL must be the same and the
parameters must differ exactly where the stand-ins went, or ``ImproperlyConfigured``
says which value is at fault.
"""

import contextlib
import copy
import datetime
import threading

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router
from django.db.models.query import ModelIterable, get_related_populators

# Two stand-ins per type, unlike any real value (and unlike each other's).
_STAND_INS = {
    int: lambda n, copy: -(10**15) - 10 * n - copy,
    str: lambda n, copy: f"prepared-stand-in-{n}-{copy}",
    datetime.datetime: lambda n, copy: datetime.datetime(
        1901 + n, 1, 1 + copy, tzinfo=datetime.UTC
    ),
}


class PreparedQuery:
    """``build(**values)`` returns the queryset; the keywords name the type of each value
    (``int``, ``str`` or ``datetime.datetime``). Calling the PreparedQuery with the
    values returns the list of instances, as ``list(build(**values))`` would."""

    def __init__(self, build, **types):
        unknown = {name: kind for name, kind in types.items() if kind not in _STAND_INS}
        if unknown:
            raise ImproperlyConfigured(
                f"PreparedQuery values must be int, str or datetime, not {unknown}."
            )
        self.build = build
        self.model = None
        self.types = types
        self._compiled = {}
        self._lock = threading.Lock()

    def __call__(self, **values):
        (found,) = together((self, values))
        return found

    def database(self):
        if self.model is None:
            self.model = self.build(**self.stand_ins(1)).model
        return router.db_for_read(self.model)

    def sql_with_params(self, using="default", **values):
        """The SQL and parameters a call with ``values`` runs on ``using``."""
        return self.compiled(using).sql_with_params(values)

    def compiled(self, using):
        compiled = self._compiled.get(using)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(using) or _Compiled(self, using)
                self._compiled[using] = compiled
        return compiled

    def stand_ins(self, copy):
        return {
            name: _STAND_INS[kind](n, copy) for n, (name, kind) in enumerate(self.types.items())
        }


class _Compiled:
    """A PreparedQuery's SQL on one database, where each value goes, and how its rows
    become instances (what Django's ``ModelIterable`` works out for each query)."""

    def __init__(self, prepared, using):
        connection = connections[using]
        first, second = prepared.stand_ins(1), prepared.stand_ins(2)
        queryset = prepared.build(**first)
        if queryset._prefetch_related_lookups or queryset._known_related_objects:
            raise ImproperlyConfigured(
                "A PreparedQuery makes its instances from one query's rows: "
                "prefetch_related() has no place in it."
            )
        if queryset._iterable_class is not ModelIterable:
            raise ImproperlyConfigured("A PreparedQuery returns instances, not values().")
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        other_sql, other_params = prepared.build(**second).query.get_compiler(using).as_sql()
        if other_sql != sql or len(other_params) != len(params):
            raise ImproperlyConfigured(
                "The SQL of a PreparedQuery changed with its values: only values that "
                "become SQL parameters may vary (not slices, not lists' lengths)."
            )
        self.model = queryset.model
        self.sql = sql
        self.params = list(params)
        self.slots = []  # (position, name, adapt)
        for name, kind in prepared.types.items():
            places = {  # a position each (on PostgreSQL both ways give the same)
                i: adapt
                for i, param in enumerate(params)
                for adapt in _adapters(kind, connection)
                if param == adapt(first[name]) and other_params[i] == adapt(second[name])
            }
            if not places:
                raise ImproperlyConfigured(
                    f"The PreparedQuery's value {name!r} does not reach its SQL as a "
                    "parameter of its own: pass what the query compares, not a value "
                    "computed from it."
                )
            self.slots.extend((i, name, adapt) for i, adapt in places.items())
        changed = {i for i, (p, q) in enumerate(zip(params, other_params, strict=True)) if p != q}
        if changed != {i for i, *_ in self.slots}:
            raise ImproperlyConfigured(
                "A PreparedQuery's parameters changed where none of its values went: "
                "pass what the query compares, not a value computed from it."
            )
        self._read_plan(compiler, using)

    def _read_plan(self, compiler, using):
        """As ModelIterable does: which columns make the instance, its related objects,
        its annotations, and which converters each column needs."""
        select, klass_info = compiler.select, compiler.klass_info
        fields = klass_info["select_fields"]
        self.model_columns = (fields[0], fields[-1] + 1)
        self.init_list = [column[0].target.attname for column in select[slice(*self.model_columns)]]
        self.related_populators = get_related_populators(klass_info, select, using)
        self.annotations = list(compiler.annotation_col_map.items())
        expressions = [column[0] for column in select[: compiler.col_count]]
        self.converters = list(compiler.get_converters(expressions).items())
        self.using = using

    def sql_with_params(self, values):
        params = list(self.params)
        for position, name, adapt in self.slots:
            params[position] = adapt(values[name])
        return self.sql, params

    def instances(self, rows, connection):
        start, end = self.model_columns
        found = []
        for row in rows:
            if self.converters:
                row = list(row)
                for position, (converters, expression) in self.converters:
                    value = row[position]
                    for convert in converters:
                        value = convert(value, expression, connection)
                    row[position] = value
            instance = self.model.from_db(self.using, self.init_list, row[start:end])
            for populator in self.related_populators:
                populator.populate(row, instance)
            for attribute, position in self.annotations:
                setattr(instance, attribute, row[position])
            found.append(instance)
        return found


def together(*calls):
    """The instances of each ``(prepared_query, values)`` in ``calls``, as a list per
    call, in one round trip to a PostgreSQL server (psycopg's pipeline mode) when
    they read the same database: a trip costs about 0.12 ms of a story page's 9,
    where the server spends 0.01 ms on a story's tags. Elsewhere one after another.
    """
    compiled = [(query.compiled(query.database()), values) for query, values in calls]
    using = {plan.using for plan, _ in compiled}
    if len(using) > 1:
        return [found for call in calls for found in together(call)]
    connection = connections[using.pop()]
    statements = [plan.sql_with_params(values) for plan, values in compiled]
    cursors = [connection.cursor() for _ in statements]
    try:
        with connection.wrap_database_errors, _pipeline(connection, count=len(statements)):
            for cursor, (sql, params) in zip(cursors, statements, strict=True):
                cursor.execute(sql, params)
        rows = [cursor.fetchall() for cursor in cursors]
    finally:
        for cursor in cursors:
            cursor.close()
    return [
        plan.instances(found, connection) for (plan, _), found in zip(compiled, rows, strict=True)
    ]


def _pipeline(connection, count):
    if count > 1 and connection.vendor == "postgresql":
        return connection.connection.pipeline()  # the cursors above opened the connection
    return contextlib.nullcontext()


def _adapters(kind, connection):
    """How a value of ``kind`` may appear among the compiled parameters: as given (a
    RawSQL parameter), or for a datetime compared with a field, as the backend stores
    it (text on SQLite)."""
    if kind is datetime.datetime:
        return (_as_given, connection.ops.adapt_datetimefield_value)
    return (_as_given,)


def _as_given(value):
    return value


def is_prefetched(instance, name):
    """Whether ``instance.<name>.all()`` would run no query (see ``adopt_prefetched()``)."""
    return _cache_name(getattr(instance, name)) in getattr(
        instance, "_prefetched_objects_cache", {}
    )


def without_prefetched(instance):
    """A copy of ``instance`` without what was prefetched for it (``adopt_prefetched()``),
    e.g. to keep in a cache what is read again more often than what came with it."""
    shallow = copy.copy(instance)  # its own __dict__, the values shared
    shallow.__dict__.pop("_prefetched_objects_cache", None)
    return shallow


def adopt_prefetched(instance, name, objects):
    """Leave ``objects`` where ``prefetch_related(name)`` would have left what it read:
    then ``instance.<name>.all()`` returns them with no query, and a further filter on
    it queries as usual. For a reverse foreign key or a django-taggit manager."""
    manager = getattr(instance, name)
    queryset = manager.get_queryset()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[_cache_name(manager)] = queryset


def _cache_name(manager):
    """Where ``prefetch_related()`` leaves what a related manager's ``all()`` returns."""
    cache_name = getattr(manager, "prefetch_cache_name", None)  # django-taggit's
    return cache_name or manager.field.remote_field.cache_name
