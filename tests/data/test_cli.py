"""The CLI: migrate, users, backup and its one-line errors (issue 2, item 6 and "Bad input")."""

import sqlite3

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dashboard import cli
from dashboard.admin.users import verify_password
from db import make_engine
from db.models import AppUser, AuditLog, Organisation, RoleGrant


@pytest.fixture
def passwords(monkeypatch):
    """Answers for the two getpass prompts, in order."""
    answers: list[str] = []
    monkeypatch.setattr(cli.getpass, "getpass", lambda prompt="": answers.pop(0))
    return answers


def _users(url: str) -> list[AppUser]:
    engine = make_engine(url)
    with Session(engine) as session:
        rows = list(session.scalars(select(AppUser)))
    engine.dispose()
    return rows


def _audit_count(url: str) -> int:
    engine = make_engine(url)
    with Session(engine) as session:
        count = session.scalar(select(func.count()).select_from(AuditLog))
    engine.dispose()
    return count


def test_migrate_reports_success(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    assert cli.main(["--database-url", url, "migrate"]) == 0
    assert "är migrerad" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("::::", "går inte att tolka"),
        ("nosuchdb://x", "okänd databasdrivrutin"),
        ("postgresql+psycopg://nobody@127.0.0.1:1/x", "svarar inte"),
    ],
)
def test_bad_database_url_gives_one_line_and_exit_2(url, message, capsys):
    assert cli.main(["--database-url", url, "migrate"]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err


def _grants(url: str) -> dict[str, list[tuple[str, str, str | None]]]:
    """username → (role, organisation kind, name) of each grant; the nation as ("", "")."""
    engine = make_engine(url)
    with Session(engine) as session:
        rows = session.execute(
            select(AppUser.username, RoleGrant.role, Organisation.kind, Organisation.name)
            .join(RoleGrant, RoleGrant.user_id == AppUser.id)
            .outerjoin(Organisation, Organisation.id == RoleGrant.organisation_id)
            .order_by(RoleGrant.id)
        ).all()
    engine.dispose()
    grants: dict[str, list] = {}
    for username, role, kind, name in rows:
        grants.setdefault(username, []).append((role, kind or "", name or ""))
    return grants


def test_users_add_stores_bcrypt_hash_and_audits(db_url, passwords, capsys):
    passwords.extend(["ett-langt-losenord", "ett-langt-losenord"])
    argv = ["--database-url", db_url, "users", "add", "anna.s", "--name", "Anna Samordnare",
            "--email", "anna@example.se", "--role", "samordnare", "--kommun", "0486"]  # fmt: skip
    assert cli.main(argv) == 0
    assert "(samordnare, Strängnäs kommun) är skapad" in capsys.readouterr().out
    [user] = _users(db_url)
    assert user.roles == ["samordnare"] and user.active
    assert user.password_hash.startswith("$2b$")
    assert verify_password("ett-langt-losenord", user.password_hash)
    assert not verify_password("fel", user.password_hash)
    assert _audit_count(db_url) == 2  # the user and its grant

    assert cli.main(["--database-url", db_url, "users", "list"]) == 0
    listed = capsys.readouterr().out
    assert "anna.s" in listed and "samordnare: Strängnäs kommun" in listed


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        (["--kommun", "0428"], ("kommun", "Vingåker")),
        (["--polisomrade", "Lokalpolisområde Eskilstuna/Strängnäs"],
         ("lokalpolisomrade", "Lokalpolisområde Eskilstuna/Strängnäs")),
        (["--region", "Öst"], ("polisregion", "Polisregion Öst")),
        (["--region", "polisregion stockholm"], ("polisregion", "Polisregion Stockholm")),
        (["--nationell"], ("", "")),
        ([], ("kommun", "Strängnäs")),  # the one partnership's kommun
    ],
    ids=["kommun", "polisomrade", "region", "region-by-full-name", "nationell", "default"],
)  # fmt: skip
def test_users_add_holds_the_role_in_the_scope_given(demo_url, passwords, capsys, scope, expected):
    passwords.extend(["ett-langt-losenord"] * 2)
    argv = ["--database-url", demo_url, "users", "add", "eva", "--name", "Eva", "--role", "admin"]
    assert cli.main([*argv, *scope]) == 0, capsys.readouterr().err
    assert _grants(demo_url) == {"eva": [("admin", *expected)]}


@pytest.mark.parametrize(
    ("scope", "message"),
    [
        ([], "ange var rollen gäller: --kommun KOD"),  # no partnership to default to
        (["--kommun", "9999"], "Kommunen 9999 finns inte"),
        (["--polisomrade", "Lokalpolisområde Ingenstans"], "Lokalpolisområdet Lokalpolisområde"),
        (["--region", "Mellan"], "Polisregionen Mellan finns inte"),
    ],
)
def test_users_add_without_a_known_scope_is_refused(sqlite_url, passwords, capsys, scope, message):
    passwords.extend(["ett-langt-losenord"] * 2)
    argv = ["--database-url", sqlite_url, "users", "add", "eva", "--name", "Eva", "--role", "admin"]
    assert cli.main([*argv, *scope]) == 2
    assert message in capsys.readouterr().err
    assert _users(sqlite_url) == [] and _audit_count(sqlite_url) == 0


@pytest.mark.parametrize(
    ("args", "answers", "message"),
    [
        (["--role", "chef"], [], "Okänd roll"),
        (["--role", "lasare"], ["", ""], "får inte vara tomt"),
        (["--role", "lasare"], ["ett-langt-losenord", "ett-annat-losenord"], "stämmer inte"),
        (["--role", "lasare"], ["kort", "kort"], "minst 10 tecken"),
    ],
)
def test_users_add_refuses_bad_input_and_writes_nothing(
    sqlite_url, passwords, capsys, args, answers, message
):
    passwords.extend(answers)
    argv = [
        "--database-url",
        sqlite_url,
        "users",
        "add",
        "bo",
        "--name",
        "Bo",
        "--nationell",
        *args,
    ]
    assert cli.main(argv) == 2
    assert message in capsys.readouterr().err
    assert _users(sqlite_url) == []
    assert _audit_count(sqlite_url) == 0


def test_users_add_refuses_an_existing_username(sqlite_url, passwords, capsys):
    passwords.extend(["ett-langt-losenord"] * 2)
    argv = ["--database-url", sqlite_url, "users", "add", "bo", "--name", "Bo", "--role", "admin",
            "--nationell"]  # fmt: skip
    assert cli.main(argv) == 0
    assert cli.main(argv) == 2
    assert "finns redan" in capsys.readouterr().err
    assert len(_users(sqlite_url)) == 1


def test_backup_copies_a_consistent_sqlite_file(sqlite_url, passwords, tmp_path):
    passwords.extend(["ett-langt-losenord"] * 2)
    cli.main(
        ["--database-url", sqlite_url, "users", "add", "bo", "--name", "Bo", "--role", "admin",
         "--nationell"]
    )  # fmt: skip
    target = tmp_path / "copies" / "backup.sqlite3"
    assert cli.main(["--database-url", sqlite_url, "backup", str(target)]) == 0
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT username FROM app_user").fetchall() == [("bo",)]
    assert cli.main(["--database-url", sqlite_url, "backup", str(target)]) == 2


def test_backup_on_postgres_points_to_pg_dump(postgres_url, tmp_path, capsys):
    assert cli.main(["--database-url", postgres_url, "backup", str(tmp_path / "x")]) == 2
    assert "pg_dump" in capsys.readouterr().err
