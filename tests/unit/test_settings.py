"""Settings: environment over secrets file over defaults."""

from dashboard.settings import DEFAULT_DATABASE_URL, Settings, describe_settings


def test_defaults_without_environment_or_secrets(tmp_path):
    settings = Settings.load(environ={}, secrets_file=tmp_path / "none.toml")
    assert settings == Settings()
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.is_sqlite and settings.demo_mode and not settings.require_login


def test_environment_wins_over_secrets_file(tmp_path):
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        'cookie_key = "fran-filen"\nrequire_login = true\ndatabase_url = "sqlite://"\n'
    )
    environ = {"DASHBOARD_COOKIE_KEY": "fran-miljon", "DASHBOARD_DEMO_MODE": "0"}
    settings = Settings.load(environ=environ, secrets_file=secrets)
    assert settings.cookie_key == "fran-miljon"
    assert settings.require_login is True
    assert settings.demo_mode is False
    assert settings.database_url == "sqlite://"


def test_every_setting_is_documented():
    documented = describe_settings()
    assert len(documented) == len(Settings.__dataclass_fields__)
    assert all(env.startswith("DASHBOARD_") and help for env, _default, help in documented)
