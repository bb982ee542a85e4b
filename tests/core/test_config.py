import pytest

from eventsite.config import ConfigError, build_config


def test_production_refuses_to_start_without_a_real_secret(tmp_path):
    with pytest.raises(ConfigError):
        build_config(tmp_path, {"EVENTSITE_ENV": "production"})
    with pytest.raises(ConfigError):
        build_config(tmp_path, {"EVENTSITE_ENV": "production", "SECRET_KEY": "short"})


def test_production_sets_secure_cookies(tmp_path):
    config = build_config(tmp_path, {"EVENTSITE_ENV": "production", "SECRET_KEY": "x" * 40,
                                     "DATABASE_URL": "postgres://u@db/eventsite"})
    assert (config["SESSION_COOKIE_SECURE"], config["REMEMBER_COOKIE_SECURE"]) == (True, True)
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/eventsite"


def test_development_secret_is_generated_once_into_instance(tmp_path):
    first = build_config(tmp_path, {})
    second = build_config(tmp_path, {})
    assert first["SECRET_KEY"] == second["SECRET_KEY"]
    assert len(first["SECRET_KEY"]) >= 48
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert first["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'eventsite.sqlite'}"
