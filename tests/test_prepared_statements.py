"""PostgreSQL prepares the queries a connection runs over and over (prepared statements,
``DATABASE_PREPARED_STATEMENTS``) and stops planning those whose plan the values do not
change: planning the story row cost three times what running it did."""

import json

import pytest
from django.db import connection

from articles.models import Article
from tests.factories import make_article
from tests.test_deploy_settings import django_env, run_python

SHOWN_OPTIONS = """
import json
from django.conf import settings
options = settings.DATABASES["default"].get("OPTIONS", {})
print(json.dumps({key: options.get(key) for key in ("server_side_binding", "prepare_threshold")}))
"""
POSTGRES = "postgres://newsroom@127.0.0.1:5432/newsroom"


def database_options(tmp_path, **variables):
    result = run_python(["-c", SHOWN_OPTIONS], django_env(tmp_path, **variables))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_postgresql_prepares_statements_by_default(tmp_path):
    assert database_options(tmp_path, DATABASE_URL=POSTGRES) == {
        "server_side_binding": True,
        "prepare_threshold": 5,
    }


def test_prepared_statements_can_be_turned_off_for_a_pooler(tmp_path):
    options = database_options(
        tmp_path, DATABASE_URL=POSTGRES, DATABASE_PREPARED_STATEMENTS="false"
    )
    assert options == {"server_side_binding": None, "prepare_threshold": None}


def test_sqlite_has_no_such_options(tmp_path):
    assert database_options(tmp_path) == {"server_side_binding": None, "prepare_threshold": None}


def test_a_bad_value_refuses_to_start_and_says_why(tmp_path):
    env = django_env(tmp_path, DATABASE_URL=POSTGRES, DATABASE_PREPARED_STATEMENTS="maybe")
    result = run_python(["-c", "import django; django.setup()"], env)
    assert result.returncode != 0
    assert "DATABASE_PREPARED_STATEMENTS" in result.stderr


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_a_query_run_again_and_again_is_prepared_and_no_longer_planned():
    """Fourteen readers' stories by their slugs: one statement, its values bound apart from
    its text, prepared after its fifth run; PostgreSQL plans its first five prepared runs
    for their values (custom plans), then keeps one generic plan and plans no more."""
    slugs = [make_article(headline=f"Story {n}").slug for n in range(14)]
    for slug in slugs:
        assert Article.objects.published().get(slug=slug).slug == slug
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT statement, custom_plans, generic_plans FROM pg_prepared_statements "
            "WHERE statement LIKE %s",
            ['%FROM "articles_article" WHERE%"slug" = $%'],
        )
        prepared = cursor.fetchall()
    assert len(prepared) == 1, prepared
    statement, custom_plans, generic_plans = prepared[0]
    assert not any(slug in statement for slug in slugs)
    # Runs 1-5 were sent unprepared, 6-10 planned for their slugs, 11-14 used the one
    # generic plan (made once, counted once per run that used it).
    assert (custom_plans, generic_plans) == (5, 4)
