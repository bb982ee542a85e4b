"""The schema built by the migrations is the schema the models describe."""
import uuid

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from eventsite import create_app
from eventsite.extensions import db
from tests.conftest import TEST_DATABASE_URL, make_test_config


def _fresh_database_url(tmp_path):
    if not TEST_DATABASE_URL:
        return f"sqlite:///{tmp_path / 'migrations.sqlite'}", None
    schema = f"migration_check_{uuid.uuid4().hex[:8]}"
    engine = create_engine(TEST_DATABASE_URL.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as connection:
        connection.execute(text(f"CREATE SCHEMA {schema}"))
    separator = "&" if "?" in TEST_DATABASE_URL else "?"
    return f"{TEST_DATABASE_URL}{separator}options=-csearch_path%3D{schema}", (engine, schema)


def test_migrations_build_exactly_the_models_schema(tmp_path):
    url, cleanup = _fresh_database_url(tmp_path)
    app = create_app(make_test_config(url, tmp_path))
    try:
        with app.app_context():
            upgrade()
            with db.engine.connect() as connection:
                context = MigrationContext.configure(connection, opts={"compare_type": True,
                                                                       "compare_server_default": False})
                differences = compare_metadata(context, db.metadata)
            assert differences == []
            downgrade(revision="base")
            with db.engine.connect() as connection:
                assert set(inspect(connection).get_table_names()) <= {"alembic_version"}
            db.engine.dispose()
    finally:
        if cleanup:
            engine, schema = cleanup
            with engine.begin() as connection:
                connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            engine.dispose()
