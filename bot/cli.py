"""The deployer's command line: organizations, their administrators and staff lists, straight
in the database through the same services the bot uses. It never talks to VK, so it needs
only DATABASE_PATH (and DEFAULT_LOCALE for the export's column names), not the VK settings.

Operator-facing text here is English; the rules' own messages come from the en locale.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from bot.clock import Clock, SystemClock
from bot.i18n import SUPPORTED, Translator
from bot.services import organizations as svc
from storage.applications import ApplicationsRepo
from storage.classes import ClassesRepo
from storage.db import Database
from storage.memberships import MembershipsRepo
from storage.models import OrgType
from storage.organizations import OrganizationsRepo

CSV_HELP = f"""\
The file: UTF-8 (with or without BOM, as Excel's "CSV UTF-8" saves it), one organization
per line, a header line first naming the columns, separated by ";" or "," (whichever the
header uses). Columns, in any order:
  name        full name, {svc.LIMITS["name"][0]}-{svc.LIMITS["name"][1]} characters (required)
  short_name  short name (optional; empty means the same as name)
  type        {", ".join(t.value for t in OrgType)} (or the type's Russian name)
  inn         10 digits (12 for an individual entrepreneur), check digits verified (required)
  region      region, e.g. Sverdlovsk Oblast (required)
  city        city or town (required)
Example:
  name;short_name;type;inn;region;city
  "Gymnasium No 2, Pushkin street";Gymnasium No 2;school;7707083893;Moscow;Moscow

All or nothing: if any line is bad, nothing is imported and every bad line is listed with
its number and why. Organizations whose INN is already in the database are left as they
are, so importing the same file again adds nothing.
"""

ACTOR = None  # the deployer: audit entries carry no VK id


class CliError(Exception):
    """One line for the operator; exit code 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One clear line instead of argparse's usage block.
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


@dataclass(frozen=True, slots=True)
class CliSettings:
    """The two settings the command line needs, read as the bot reads them (the environment
    over .env) but without the bot's validation of VK settings it has no use for."""

    database_path: Path
    default_locale: str


def load_cli_settings(env_file: Path = Path(".env")) -> CliSettings:
    from dotenv import dotenv_values

    values: dict[str, str] = {}
    if env_file.is_file():
        values = {k.upper(): v for k, v in dotenv_values(env_file).items() if v is not None}
    values.update((k.upper(), v) for k, v in os.environ.items())
    path = values.get("DATABASE_PATH", "data/bot.sqlite3").strip()
    locale = values.get("DEFAULT_LOCALE", "ru").strip()
    for name, ok in (("DATABASE_PATH", bool(path)), ("DEFAULT_LOCALE", locale in SUPPORTED)):
        if not ok:
            # Imported only here: the bot's settings module pulls in pydantic, slow to load.
            from bot.config import HINTS

            raise CliError(f"setting {name} is invalid: {HINTS[name]}")
    return CliSettings(Path(path), locale)


@dataclass
class CliDeps:
    """The part of the bot's Deps the services need here; no VK, no superadmins."""

    db: Database
    clock: Clock
    t: Translator
    orgs: OrganizationsRepo
    members: MembershipsRepo
    classes: ClassesRepo
    applications: ApplicationsRepo
    locale: str

    def is_superadmin(self, vk_id: int) -> bool:
        return False


def explain(error: svc.OrgError, t: Translator) -> str:
    text = svc.describe(error, t, "en")
    if error.code == "type":
        text += " Use one of: " + ", ".join(o.value for o in OrgType) + "."
    return f"{error.field}: {text}" if error.field else text


# --- commands -------------------------------------------------------------------------------


async def org_add(deps: CliDeps, args: argparse.Namespace) -> None:
    fields, errors = svc.check_fields(
        {
            "name": args.name,
            "short_name": args.short_name or "",
            "type": args.type,
            "inn": args.inn,
            "region": args.region,
            "city": args.city,
        },
        svc.type_names(deps.t),
    )
    if fields is None:
        raise CliError("; ".join(explain(e, deps.t) for e in errors))
    org_id = await svc.create(deps, ACTOR, fields, admin_id=args.admin)
    print(org_id)


async def org_import(deps: CliDeps, args: argparse.Namespace) -> None:
    try:
        data = await asyncio.to_thread(Path(args.file).read_bytes)
    except OSError as exc:
        raise CliError(f"cannot read {args.file}: {exc.strerror or exc}") from None
    try:
        result = await svc.import_csv(deps, ACTOR, data, deps.t)
    except svc.ImportFileError as exc:
        raise CliError(str(exc)) from None
    if result.bad:
        for row in result.bad:
            reasons = "; ".join(explain(e, deps.t) for e in row.errors)
            print(f"line {row.line}: {reasons}", file=sys.stderr)
        raise CliError(
            f"nothing imported: {len(result.bad)} of {result.rows} rows are bad (listed above)"
        )
    print(
        f"rows: {result.rows}, new organizations: {result.created},"
        f" already present (same INN): {result.existing}"
    )


async def org_list(deps: CliDeps, args: argparse.Namespace) -> None:
    orgs = await svc.list_all(deps, ACTOR, archived=args.archived, query=args.search or "")
    print("id\tinn\ttype\tname\tregion\tcity")
    for o in orgs:
        print(f"{o.id}\t{o.inn or ''}\t{o.type.value}\t{o.name}\t{o.region}\t{o.city}")


async def org_archive(deps: CliDeps, args: argparse.Namespace) -> None:
    done = await svc.archive(deps, ACTOR, args.org_id)
    print("archived" if done else "already archived")


async def org_restore(deps: CliDeps, args: argparse.Namespace) -> None:
    done = await svc.restore(deps, ACTOR, args.org_id)
    print("restored" if done else "not archived")


async def admin_add(deps: CliDeps, args: argparse.Namespace) -> None:
    done = await svc.appoint(deps, ACTOR, args.org_id, args.vk_id)
    print("appointed" if done else "already an administrator")


async def staff_export(deps: CliDeps, args: argparse.Namespace) -> None:
    from bot.services.export import staff_csv

    org = await svc.get_org(deps, ACTOR, args.org_id)
    data = await staff_csv(deps, org.id, deps.locale)
    try:
        await asyncio.to_thread(Path(args.out).write_bytes, data)
    except OSError as exc:
        raise CliError(f"cannot write {args.out}: {exc.strerror or exc}") from None
    count = await deps.members.count(org.id)
    print(f"{count} staff of organization {org.id} written to {args.out}")


Command = Callable[[CliDeps, argparse.Namespace], Awaitable[None]]


def build_parser() -> Parser:
    parser = Parser(
        prog="python -m bot",
        description="Without a command: run the bot (settings from the environment and .env)."
        " With one: manage the database directly; only DATABASE_PATH is needed.",
    )
    groups = parser.add_subparsers(title="commands", metavar="{org,admin,staff}", required=True)

    org = groups.add_parser("org", help="organizations").add_subparsers(
        title="org commands", metavar="{add,import,list,archive,restore}", required=True
    )
    add = org.add_parser("add", help="create an organization; prints its id")
    add.add_argument("--name", required=True, help="full name")
    add.add_argument("--short-name", help="short name (default: the full name)")
    add.add_argument("--type", required=True, help="one of: " + ", ".join(t.value for t in OrgType))
    add.add_argument("--inn", required=True, help="10 digits (12 for an entrepreneur)")
    add.add_argument("--region", required=True)
    add.add_argument("--city", required=True)
    add.add_argument("--admin", type=int, metavar="VK_ID", help="VK id of its first administrator")
    add.set_defaults(run=org_add)

    imp = org.add_parser(
        "import",
        help="import organizations from a CSV file",
        description=CSV_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument("file", help="the CSV file")
    imp.set_defaults(run=org_import)

    lst = org.add_parser("list", help="list organizations (tab-separated)")
    lst.add_argument("--archived", action="store_true", help="list the archived ones instead")
    lst.add_argument("--search", metavar="QUERY", help="only those matching name, city or INN")
    lst.set_defaults(run=org_list)

    arc = org.add_parser("archive", help="archive an organization (hidden from search and menus)")
    arc.add_argument("org_id", type=int)
    arc.set_defaults(run=org_archive)

    res = org.add_parser("restore", help="bring an archived organization back")
    res.add_argument("org_id", type=int)
    res.set_defaults(run=org_restore)

    admin = groups.add_parser("admin", help="organization administrators").add_subparsers(
        title="admin commands", metavar="{add}", required=True
    )
    adm = admin.add_parser("add", help="appoint an administrator of an organization")
    adm.add_argument("org_id", type=int)
    adm.add_argument("vk_id", type=int, help="the person's numeric VK id")
    adm.set_defaults(run=admin_add)

    staff = groups.add_parser("staff", help="organization staff").add_subparsers(
        title="staff commands", metavar="{export}", required=True
    )
    exp = staff.add_parser(
        "export", help="write an organization's verified staff to a CSV file (UTF-8, ;)"
    )
    exp.add_argument("org_id", type=int)
    exp.add_argument("out", help="the CSV file to write")
    exp.set_defaults(run=staff_export)
    return parser


async def _run(command: Command, args: argparse.Namespace, settings: CliSettings) -> None:
    db = await Database.open(settings.database_path)
    try:
        await db.migrate()
        deps = CliDeps(
            db=db,
            clock=SystemClock(),
            t=Translator(settings.default_locale),
            orgs=OrganizationsRepo(db),
            members=MembershipsRepo(db),
            classes=ClassesRepo(db),
            applications=ApplicationsRepo(db),
            locale=settings.default_locale,
        )
        await command(deps, args)
    finally:
        await db.close()


def run(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    from bot import logs

    # Migrations and the like log at INFO; the operator wants only the command's own output.
    logs.configure("WARNING", "text")
    try:
        settings = load_cli_settings()
        asyncio.run(_run(args.run, args, settings))
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except svc.OrgError as exc:
        print(f"error: {explain(exc, Translator('en'))}", file=sys.stderr)
        return 2
    except (sqlite3.Error, OSError) as exc:
        print(f"error: database {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0
