"""The command line: ``python -m dashboard migrate|setup|demo|users|indikatorer|paminnelser``
and ``backup``.

Every command prints one clear line on failure and exits non-zero; no tracebacks for the
errors a user can make (a bad database URL, a server that does not answer, bad input).
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from dashboard.access import scope_name
from dashboard.admin import kolada_values
from dashboard.admin.indicator_values import ValuesRefused
from dashboard.admin.queries import load_users
from dashboard.admin.scopes import NewUser, UserError, default_scope, find_scope, scope_of
from dashboard.admin.users import create_user, validate_new_user
from dashboard.kolada import KoladaClient, KoladaError
from dashboard.labels import count as label_count
from dashboard.labels import format_years
from dashboard.settings import Settings
from db import DatabaseUnavailable, check_connection, describe_url, make_engine, migrate
from db.models import ROLES, Indicator, IndicatorValue, Partnership
from db.vocabulary import DIRECTIONS

SCOPE_NEEDED = (
    "ange var rollen gäller: --kommun KOD, --polisomrade NAMN, --region NAMN eller "
    "--nationell (utan det gäller rollen den enda samverkan, och databasen har inte exakt en)."
)

FETCH_ERRORS = (KoladaError, kolada_values.FetchRefused, ValuesRefused)


class CliError(Exception):
    """An error the user can fix; printed as one line."""


def main(
    argv: Sequence[str] | None = None,
    *,
    settings: Settings | None = None,
    kolada: KoladaClient | None = None,
    today: dt.date | None = None,
) -> int:
    """Run the CLI; returns the exit code. ``kolada`` overrides the client built from settings;
    ``today`` the day reminders count from."""
    parser = _parser()
    args = parser.parse_args(argv)
    settings = settings or Settings.load()
    args.settings, args.today = settings, today or dt.date.today()
    args.kolada = kolada or KoladaClient(base_url=settings.kolada_url)
    url = args.database_url or settings.database_url
    engine = None
    try:
        engine = make_engine(url)
        check_connection(engine)
        return args.run(engine, args) or 0
    except (CliError, DatabaseUnavailable, UserError, *FETCH_ERRORS) as exc:
        print(f"fel: {exc}", file=sys.stderr)
        return 2
    except DBAPIError as exc:
        first = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        print(f"fel: databasen {describe_url(url)}: {first}", file=sys.stderr)
        return 2
    finally:
        if engine is not None:
            engine.dispose()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard", description="Medborgarlöften – uppföljning: administration."
    )
    parser.add_argument(
        "--database-url", help="överstyr DASHBOARD_DATABASE_URL (SQLAlchemy-adress)"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    _command(sub, "migrate", "migrera databasen till senaste schemat", _migrate)
    _command(sub, "setup", "migrera och ladda exempeldata om databasen är tom", _setup)
    demo = _command(sub, "demo", "ladda exempeldata (Strängnäs 2007–i år)", _demo)
    demo.add_argument(
        "--national",
        action="store_true",
        help="alla 290 kommuner med påhittade lokalpolisområden och löften (Strängnäs som vanligt)",
    )
    demo.add_argument("--replace", action="store_true", help="ersätt befintliga data")

    users = sub.add_parser("users", help="användare").add_subparsers(dest="users", required=True)
    add = _command(users, "add", "lägg till en användare (lösenordet frågas efter)", _users_add)
    add.add_argument("username")
    add.add_argument("--name", required=True, help="visningsnamn")
    add.add_argument("--email", default="")
    add.add_argument("--role", required=True, help="|".join(ROLES))
    scope = add.add_mutually_exclusive_group()
    scope.add_argument("--kommun", metavar="KOD", help="rollen gäller kommunen (SCB-kod)")
    scope.add_argument("--polisomrade", metavar="NAMN", help="rollen gäller lokalpolisområdet")
    scope.add_argument("--region", metavar="NAMN", help="rollen gäller polisregionen, t.ex. Öst")
    scope.add_argument("--nationell", action="store_true", help="rollen gäller hela landet")
    _command(users, "list", "lista användare och deras roller", _users_list)

    indicators = sub.add_parser("indikatorer", help="indikatorer (Kolada med flera)")
    indicator_commands = indicators.add_subparsers(dest="indikatorer", required=True)
    fetch = _command(
        indicator_commands, "hamta", "hämta en kommuns värden för ett nyckeltal från Kolada",
        _indicators_fetch,
    )  # fmt: skip
    fetch.add_argument("--kpi", required=True, metavar="ID", help="Koladas nyckeltal, t.ex. N07403")
    fetch.add_argument("--kommun", required=True, metavar="KOD", help="SCB-kod, t.ex. 0486")
    fetch.add_argument("--fran", type=int, metavar="ÅR", help="första året (standard 2007)")
    fetch.add_argument("--till", type=int, metavar="ÅR", help="sista året (standard i år)")
    fetch.add_argument(
        "--battre", choices=DIRECTIONS,
        help="vilket håll som är bättre, för en ny indikator (standard lagre)",
    )  # fmt: skip
    _command(indicator_commands, "lista", "lista indikatorer och antal värden", _indicators_list)
    import_values = _command(
        indicator_commands, "importera", "läs in indikatorvärden från en CSV- eller Excel-fil",
        _indicators_import,
    )  # fmt: skip
    import_values.add_argument("fil", type=Path, help="filen, som mallen på Administration")

    remind = _command(
        sub, "paminnelser",
        "mejla samordnarna om aktiviteter som saknar utvärdering för senaste avslutade "
        "perioden (en gång per period och uppsättning aktiviteter)",
        _reminders,
    )  # fmt: skip
    remind.add_argument(
        "--dry-run", action="store_true",
        help="visa vad som skulle skickas; skicka och anteckna inget",
    )  # fmt: skip
    remind.add_argument(
        "--dagar", type=int, metavar="N",
        help="dagar efter periodens slut innan påminnelsen går (standard "
        "DASHBOARD_REMINDER_DAYS, 14)",
    )  # fmt: skip

    backup = _command(sub, "backup", "säkerhetskopiera SQLite-databasen till en fil", _backup)
    backup.add_argument("path", type=Path)
    return parser


def _command(sub, name: str, help: str, run: Callable) -> argparse.ArgumentParser:
    parser = sub.add_parser(name, help=help, description=help)
    parser.set_defaults(run=run)
    return parser


def _migrate(engine: Engine, _args) -> None:
    migrate.upgrade(engine)
    print(f"Databasen {describe_url(str(engine.url))} är migrerad.")


def _setup(engine: Engine, _args) -> None:
    from db import demo

    migrate.upgrade(engine)
    with Session(engine) as session:
        empty = session.scalar(select(Partnership.id).limit(1)) is None
    if empty:
        summary = demo.load(engine)
        print(f"Exempeldata laddade: {summary}.")
    else:
        print("Databasen har redan data; inga exempeldata laddades.")


def _demo(engine: Engine, args) -> None:
    from db import demo

    migrate.upgrade(engine)
    with Session(engine) as session:
        has_data = session.scalar(select(Partnership.id).limit(1)) is not None
    if has_data and not args.replace:
        raise CliError("databasen har redan data. Använd --replace för att ersätta dem.")
    summary = demo.load(engine, national=args.national, replace=args.replace)
    print(f"Exempeldata laddade: {summary}.")


def _users_add(engine: Engine, args) -> None:
    with Session(engine) as session:
        user = NewUser(
            args.username, args.name, args.email, args.role,
            organisation_id=_scope(session, args), national=args.nationell,
        )  # fmt: skip
        # Check everything but the password before asking for it.
        validate_new_user(session, user, "x" * 64, "x" * 64)
        scope = scope_name(session, scope_of(session, user))
    password = getpass.getpass("Lösenord: ")
    repeated = getpass.getpass("Lösenord igen: ")
    with Session(engine) as session, session.begin():
        create_user(session, user, password, repeated, by="cli")
    print(f"Användaren {args.username} ({args.role}, {scope}) är skapad.")


def _scope(session: Session, args) -> int | None:
    """The organisation of --kommun, --polisomrade or --region (None: none of them given)."""
    if not (args.kommun or args.polisomrade or args.region):
        try:
            return None if args.nationell else default_scope(session)
        except UserError as exc:
            raise CliError(SCOPE_NEEDED) from exc
    return find_scope(session, kommun=args.kommun, police_area=args.polisomrade, region=args.region)


def _users_list(engine: Engine, _args) -> None:
    with engine.connect() as conn:
        rows = load_users(conn)
    if rows.is_empty():
        print("Inga användare ännu. Lägg till med: python -m dashboard users add ...")
        return
    for user in rows.iter_rows(named=True):
        state = "aktiv" if user["active"] else "inaktiv"
        grants = user["roles"] or "inga roller"
        print(f"{user['username']:20} {state:8} {user['display_name']:24} {grants}")


def _indicators_fetch(engine: Engine, args) -> None:
    request = kolada_values.make_request(
        args.kpi, args.kommun, args.fran, args.till, better=args.battre
    )
    # Everything is read from Kolada before the one transaction that writes.
    with Session(engine) as session:
        fetched = kolada_values.fetch(session, args.kolada, request)
    stored = None
    if fetched.values:
        with Session(engine) as session, session.begin():
            stored = kolada_values.store(session, fetched, better=request.better)
    for line in kolada_values.describe(fetched, request, stored):
        print(line)


def _indicators_import(engine: Engine, args) -> None:
    from dashboard.admin import indicator_import

    try:
        print(indicator_import.import_file_cli(engine, args.fil))
    except indicator_import.FileRefused as exc:
        raise CliError(str(exc)) from exc


def _indicators_list(engine: Engine, _args) -> None:
    with Session(engine) as session:
        rows = session.execute(
            select(Indicator.code, Indicator.name, Indicator.source_name,
                   func.count(IndicatorValue.id), func.min(IndicatorValue.year),
                   func.max(IndicatorValue.year))
            .outerjoin(IndicatorValue, IndicatorValue.indicator_id == Indicator.id)
            .group_by(Indicator.id, Indicator.code, Indicator.name, Indicator.source_name)
            .order_by(Indicator.code)
        ).all()  # fmt: skip
    if not rows:
        print(
            "Inga indikatorer ännu. Hämta från Kolada med: "
            "python -m dashboard indikatorer hamta --kpi N07403 --kommun KOD"
        )
        return
    for code, name, source_name, count, first, last in rows:
        years = f", {format_years(first, last)}" if count else ""
        print(f"{code:30} {name} ({source_name}): {label_count(count, 'värde', 'värden')}{years}")


def _reminders(engine: Engine, args) -> int:
    from dashboard import reminder_mail, reminders

    settings: Settings = args.settings
    days = settings.reminder_days if args.dagar is None else args.dagar
    if days < 0:
        raise CliError("--dagar ska vara 0 eller fler.")
    try:
        config = None if args.dry_run else reminder_mail.SmtpConfig.from_settings(settings)
    except reminder_mail.MailUnavailable as exc:
        raise CliError(str(exc)) from exc
    with engine.connect() as conn:
        due = reminders.due_reminders(conn, args.today, days=days)
    if not due:
        print("Inga nya påminnelser att skicka.")
        return 0
    if args.dry_run:
        for reminder in due:
            print(f"Till {reminder.recipient}: {reminders.subject(reminder)}")
            for line in reminders.body(reminder, settings.base_url).splitlines():
                print(f"    {line}".rstrip())
        n = label_count(len(due), "påminnelse", "påminnelser")
        print(f"Torrkörning: {n} skulle skickas; inget skickades och inget antecknades.")
        return 0
    try:
        outcome = reminder_mail.send(engine, due, config, base_url=settings.base_url)
    except reminder_mail.MailUnavailable as exc:
        raise CliError(str(exc)) from exc
    for reminder in outcome.sent:
        print(f"Skickat till {reminder.recipient}: {reminders.subject(reminder)}")
    for reminder, answer in outcome.refused:
        print(
            f"fel: {reminder.recipient} togs inte emot ({answer}); påminnelsen antecknades "
            "inte och försöks igen nästa körning.",
            file=sys.stderr,
        )
    if outcome.stopped:
        print(f"fel: {outcome.stopped}", file=sys.stderr)
    sent = label_count(len(outcome.sent), "påminnelse skickad", "påminnelser skickade")
    print(f"{sent}, {len(outcome.refused)} nekade av {len(due)}.")
    if outcome.stopped:
        return 2
    return 1 if outcome.refused else 0


def _backup(engine: Engine, args) -> None:
    if engine.dialect.name != "sqlite":
        raise CliError(
            "backup gäller SQLite. För PostgreSQL: pg_dump --format=custom "
            "--file=medborgarloften.dump <databas>."
        )
    target: Path = args.path
    if target.exists():
        raise CliError(f"{target} finns redan; välj ett nytt filnamn.")
    target.parent.mkdir(parents=True, exist_ok=True)
    # The online backup API copies a consistent snapshot while the app keeps writing.
    raw = engine.raw_connection()
    try:
        with sqlite3.connect(target) as destination:
            raw.driver_connection.backup(destination)
    finally:
        raw.close()
    print(f"Säkerhetskopia skriven till {target}.")
