"""The SQL a server process runs, counted: one byte appended to ``$BENCH_QUERY_LOG`` a query.

Python imports ``sitecustomize`` at start-up from its path: a benchmark puts this folder
first in a server's ``PYTHONPATH`` (bench/live_polling.py), and every worker counts what
it asks the database, whatever the database, without a setting of the site's changed.
"""

import os

from django.db.backends.signals import connection_created

LOG = os.environ["BENCH_QUERY_LOG"]


def count(execute, sql, params, many, context):
    fd = os.open(LOG, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
    try:
        os.write(fd, b".")
    finally:
        os.close(fd)
    return execute(sql, params, many, context)


def watch(sender, connection, **kwargs):
    if count not in connection.execute_wrappers:
        connection.execute_wrappers.append(count)


connection_created.connect(watch, weak=False)
