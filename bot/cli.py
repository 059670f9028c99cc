"""The deployer's command line: organizations, their administrators and staff lists, straight
in the database through the same services the bot uses; backups; the community check.

Everything but `check` works without VK, so it needs only DATABASE_PATH (and DEFAULT_LOCALE
for the exports' column names). It speaks the terminal's language (bot.deployer): Russian, or
English when LANG is English; the texts, argparse's own included, come from locales/*/cli.ftl.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NoReturn

from bot import deployer
from bot.clock import Clock, SystemClock
from bot.i18n import SUPPORTED, Translator
from bot.services import organizations as svc
from storage.applications import ApplicationsRepo
from storage.audit import AuditRepo
from storage.classes import ClassesRepo
from storage.db import Database
from storage.memberships import MembershipsRepo
from storage.models import OrgType
from storage.organizations import OrganizationsRepo
from storage.users import UsersRepo

ACTOR = None  # the deployer: audit entries carry no VK id
say = deployer.say

# argparse's own words (usage, errors) by their English text → our locale keys.
_ARGPARSE = {
    "usage: ": "argparse-usage",
    "positional arguments": "argparse-positional",
    "options": "argparse-options",
    "show this help message and exit": "argparse-help",
    "show program's version number and exit": "argparse-version",
    "invalid choice: %(value)r (choose from %(choices)s)": "argparse-invalid-choice",
    "the following arguments are required: %s": "argparse-required",
    "unrecognized arguments: %s": "argparse-unrecognized",
    "argument %(argument_name)s: %(message)s": "argparse-argument",
    "invalid %(type)s value: %(value)r": "argparse-invalid-value",
    "expected one argument": "argparse-expected-one",
}


def _argparse_text(message: str) -> str:
    key = _ARGPARSE.get(message)
    if key is None:
        return message
    # Fluent trims a trailing space; argparse's usage prefix needs it.
    return say(key) + (" " if message.endswith(" ") else "")


class CliError(Exception):
    """One line for the operator; exit code 2."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # One clear line instead of argparse's usage block.
        text = say("cli-error", message=f"{message} ({say('argparse-see-help')})")
        self.exit(2, f"{self.prog}: {text}\n")


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
            hint = say("hint-" + name.lower().replace("_", "-"))
            raise CliError(say("cli-setting-invalid", name=name, hint=hint))
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
    users: UsersRepo
    audit: AuditRepo
    locale: str
    settings: CliSettings

    def is_superadmin(self, vk_id: int) -> bool:
        return False


def type_list() -> str:
    return ", ".join(t.value for t in OrgType)


def explain(error: svc.OrgError, t: Translator) -> str:
    text = svc.describe(error, t, deployer.locale())
    if error.code == "type":
        text += " " + say("cli-use-type", types=type_list())
    return f"{error.field}: {text}" if error.field else text


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return say("cli-size-mb", value=f"{size / 1024 / 1024:.1f}")
    return say("cli-size-kb", value=f"{max(size, 1) / 1024:.1f}")


def _date(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M UTC")


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
    if args.admin is None:
        print(say("cli-org-created", id=org_id, name=fields.name))
    else:
        print(say("cli-org-created-admin", id=org_id, name=fields.name, admin=args.admin))


async def org_import(deps: CliDeps, args: argparse.Namespace) -> None:
    try:
        data = await asyncio.to_thread(Path(args.file).read_bytes)
    except OSError as exc:
        raise CliError(say("cli-cannot-read", file=args.file, reason=exc.strerror or exc)) from None
    try:
        result = await svc.import_csv(deps, ACTOR, data, deps.t)
    except svc.ImportFileError as exc:
        raise CliError(deps.t(deployer.locale(), exc.key, **exc.args_)) from None
    if result.bad:
        for row in result.bad:
            reasons = "; ".join(explain(e, deps.t) for e in row.errors)
            print(say("cli-import-line", line=row.line, reasons=reasons), file=sys.stderr)
        raise CliError(say("cli-import-bad", bad=len(result.bad), rows=result.rows))
    print(
        say("cli-import-done", rows=result.rows, created=result.created, existing=result.existing)
    )


async def org_list(deps: CliDeps, args: argparse.Namespace) -> None:
    orgs = await svc.list_all(deps, ACTOR, archived=args.archived, query=args.search or "")
    print(say("cli-org-list-header"))
    for o in orgs:
        print(f"{o.id}\t{o.inn or ''}\t{o.type.value}\t{o.name}\t{o.region}\t{o.city}")


async def org_show(deps: CliDeps, args: argparse.Namespace) -> None:
    org = await svc.get_org(deps, ACTOR, args.org_id)
    admins = await _admins(deps, org.id)
    status = (
        say("cli-show-active")
        if org.archived_at is None
        else say("cli-show-archived", date=_date(org.archived_at))
    )
    lines = [
        f"No. {org.id}",
        say("cli-show-name", value=org.name),
        say("cli-show-short", value=org.short_name),
        say(
            "cli-show-type",
            value=f"{org.type.value} ({deps.t(deployer.locale(), 'orgtype-' + org.type.value)})",
        ),
        say("cli-show-inn", value=org.inn or "-"),
        say("cli-show-place", region=org.region, city=org.city),
        say("cli-show-status", value=status),
        say("cli-show-staff", count=await deps.members.count(org.id)),
        say("cli-show-pending", count=await deps.applications.pending_count([org.id])),
        say("cli-show-admins", list=", ".join(f"{vk_id} ({name})" for vk_id, name, _ in admins))
        if admins
        else say("cli-show-no-admins"),
    ]
    print("\n".join(lines))


async def org_archive(deps: CliDeps, args: argparse.Namespace) -> None:
    done = await svc.archive(deps, ACTOR, args.org_id)
    print(say("cli-archived" if done else "cli-already-archived"))


async def org_restore(deps: CliDeps, args: argparse.Namespace) -> None:
    done = await svc.restore(deps, ACTOR, args.org_id)
    print(say("cli-restored" if done else "cli-not-archived"))


async def admin_add(deps: CliDeps, args: argparse.Namespace) -> None:
    done = await svc.appoint(deps, ACTOR, args.org_id, args.vk_id)
    print(say("cli-appointed" if done else "cli-already-admin"))


async def _admins(deps: CliDeps, org_id: int) -> list[tuple[int, str, int]]:
    """(VK id, the name the bot knows, appointed at): from the database only, no VK."""
    found = []
    for vk_id, appointed_at in await deps.orgs.admins(org_id):
        member = await deps.members.active(org_id, vk_id)
        user = await deps.users.get(vk_id)
        name = (member.full_name if member else "") or (user.vk_name if user else "")
        found.append((vk_id, name or say("cli-unknown-name"), appointed_at))
    return found


async def admin_list(deps: CliDeps, args: argparse.Namespace) -> None:
    org = await svc.get_org(deps, ACTOR, args.org_id)
    print(say("cli-admin-list-header"))
    for vk_id, name, appointed_at in await _admins(deps, org.id):
        print(f"{vk_id}\t{name}\t{_date(appointed_at)}")


async def admin_remove(deps: CliDeps, args: argparse.Namespace) -> None:
    org = await svc.get_org(deps, ACTOR, args.org_id)
    async with deps.db.transaction() as tx:
        if args.vk_id not in await deps.orgs.admin_ids(org.id):
            raise CliError(say("cli-not-admin", vk_id=args.vk_id, id=org.id))
        removed = await deps.orgs.remove_admin(
            tx, org.id, args.vk_id, deps.clock.now(), ACTOR, force=args.force
        )
    if not removed:
        raise CliError(say("cli-last-admin", vk_id=args.vk_id, id=org.id))
    print(say("cli-removed"))


async def staff_export(deps: CliDeps, args: argparse.Namespace) -> None:
    from bot.services.export import staff_csv

    org = await svc.get_org(deps, ACTOR, args.org_id)
    data = await staff_csv(deps, org.id, deps.locale)
    await _write(args.out, data)
    count = await deps.members.count(org.id)
    print(say("cli-staff-written", count=count, id=org.id, file=args.out))


async def audit_export(deps: CliDeps, args: argparse.Namespace) -> None:
    from bot.services.audit_trail import trail_csv

    org = await svc.get_org(deps, ACTOR, args.org_id)
    data, count = await trail_csv(deps, org.id, deps.locale)
    await _write(args.out, data)
    print(say("cli-audit-written", count=count, id=org.id, file=args.out))


async def _write(file: str, data: bytes) -> None:
    try:
        await asyncio.to_thread(Path(file).write_bytes, data)
    except OSError as exc:
        raise CliError(say("cli-cannot-write", file=file, reason=exc.strerror or exc)) from None


Command = Callable[[CliDeps, argparse.Namespace], Awaitable[None]]


def version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("staff-verify-bot")
    except PackageNotFoundError:
        return "0+unknown"


def build_parser() -> Parser:
    setattr(argparse, "_", _argparse_text)  # noqa: B010 - argparse reads it as a module global
    parser = Parser(
        prog="python -m bot",
        description=say("cli-description"),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"staff-verify-bot {version()}",
        help=say("cli-version"),
    )
    groups = parser.add_subparsers(
        title=say("cli-commands"),
        metavar="{org,admin,staff,audit,check,backup,restore}",
        required=True,
    )

    org = groups.add_parser("org", help=say("cli-org")).add_subparsers(
        title=say("cli-org-commands"),
        metavar="{add,import,list,show,archive,restore}",
        required=True,
    )
    add = org.add_parser("add", help=say("cli-org-add"))
    add.add_argument("--name", required=True, help=say("cli-org-add-name"))
    add.add_argument("--short-name", help=say("cli-org-add-short"))
    add.add_argument("--type", required=True, help=say("cli-org-add-type", types=type_list()))
    add.add_argument("--inn", required=True, help=say("cli-org-add-inn"))
    add.add_argument("--region", required=True, help=say("cli-org-add-region"))
    add.add_argument("--city", required=True, help=say("cli-org-add-city"))
    add.add_argument("--admin", type=int, metavar="VK_ID", help=say("cli-org-add-admin"))
    add.set_defaults(run=org_add)

    lo, hi = svc.LIMITS["name"]
    imp = org.add_parser(
        "import",
        help=say("cli-org-import"),
        description=say("cli-csv-help", min=lo, max=hi, types=type_list()),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    imp.add_argument("file", help=say("cli-org-import-file"))
    imp.set_defaults(run=org_import)

    lst = org.add_parser("list", help=say("cli-org-list"))
    lst.add_argument("--archived", action="store_true", help=say("cli-org-list-archived"))
    lst.add_argument("--search", metavar="QUERY", help=say("cli-org-list-search"))
    lst.set_defaults(run=org_list)

    for name, run_it in (("show", org_show), ("archive", org_archive), ("restore", org_restore)):
        sub = org.add_parser(name, help=say(f"cli-org-{name}"))
        sub.add_argument("org_id", type=int, help=say("cli-org-id"))
        sub.set_defaults(run=run_it)

    admin = groups.add_parser("admin", help=say("cli-admin")).add_subparsers(
        title=say("cli-admin-commands"), metavar="{add,list,remove}", required=True
    )
    adm = admin.add_parser("add", help=say("cli-admin-add"))
    adm.add_argument("org_id", type=int, help=say("cli-org-id"))
    adm.add_argument("vk_id", type=int, help=say("cli-vk-id"))
    adm.set_defaults(run=admin_add)
    als = admin.add_parser("list", help=say("cli-admin-list"))
    als.add_argument("org_id", type=int, help=say("cli-org-id"))
    als.set_defaults(run=admin_list)
    arm = admin.add_parser("remove", help=say("cli-admin-remove"))
    arm.add_argument("org_id", type=int, help=say("cli-org-id"))
    arm.add_argument("vk_id", type=int, help=say("cli-vk-id"))
    arm.add_argument("--force", action="store_true", help=say("cli-admin-force"))
    arm.set_defaults(run=admin_remove)

    # `staff export ORG FILE` and `audit export ORG FILE`: one organization's rows into a CSV.
    for name, run in (("staff", staff_export), ("audit", audit_export)):
        group = groups.add_parser(name, help=say(f"cli-{name}")).add_subparsers(
            title=say(f"cli-{name}-commands"), metavar="{export}", required=True
        )
        export = group.add_parser("export", help=say(f"cli-{name}-export"))
        export.add_argument("org_id", type=int, help=say("cli-org-id"))
        export.add_argument("out", help=say("cli-out"))
        export.set_defaults(run=run)

    chk = groups.add_parser("check", help=say("cli-check"))
    chk.add_argument("--fix", action="store_true", help=say("cli-check-fix"))
    chk.set_defaults(standalone=run_check)

    bak = groups.add_parser("backup", help=say("cli-backup"))
    bak.add_argument("file", help=say("cli-backup-file"))
    bak.set_defaults(standalone=run_backup)
    rst = groups.add_parser("restore", help=say("cli-restore"))
    rst.add_argument("file", help=say("cli-restore-file"))
    rst.set_defaults(standalone=run_restore)
    return parser


def run_backup(settings: CliSettings, args: argparse.Namespace) -> int:
    from bot.backup import BackupError, backup

    target = Path(args.file)
    try:
        size = backup(settings.database_path, target)
    except BackupError as exc:
        raise CliError(say("cli-backup-bad", file=target, reason=exc)) from None
    print(say("cli-backup-done", file=target, size=size_text(size)))
    return 0


def run_restore(settings: CliSettings, args: argparse.Namespace) -> int:
    from bot.backup import BackupError, restore
    from bot.instance_lock import Locked

    source = Path(args.file)
    if not source.is_file():
        raise CliError(say("cli-cannot-read", file=source, reason=os.strerror(2)))
    try:
        size = restore(source, settings.database_path)
    except Locked as exc:
        holder = exc.holder
        raise CliError(say("cli-restore-running", pid=holder.pid, since=holder.since)) from None
    except BackupError as exc:
        raise CliError(say("cli-restore-bad", file=source, reason=exc)) from None
    path = settings.database_path
    print(say("cli-restore-done", path=path, file=source, size=size_text(size)))
    return 0


def run_check(_: CliSettings, args: argparse.Namespace) -> int:
    """Exit 0 when every point passes, 1 when one fails, 2 when the settings are bad."""
    from bot.check import diagnose, report
    from bot.config import SettingsError, load_settings

    try:
        settings = load_settings()
    except SettingsError as exc:
        print(exc, file=sys.stderr)
        return 2
    points = asyncio.run(diagnose(settings, fix=args.fix))
    print(report(settings, points))
    return 0 if all(p.ok for p in points) else 1


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
            users=UsersRepo(db),
            audit=AuditRepo(db),
            locale=settings.default_locale,
            settings=settings,
        )
        await command(deps, args)
    finally:
        await db.close()


def run(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    from bot import logs

    # Migrations and the like log at INFO; the operator wants only the command's own output.
    logs.configure("WARNING", "text")
    settings: CliSettings | None = None
    try:
        settings = load_cli_settings()
        standalone: Any = getattr(args, "standalone", None)
        if standalone is not None:
            # Commands that open the database their own way (backup, restore) or not at all.
            return int(standalone(settings, args))
        asyncio.run(_run(args.run, args, settings))
    except CliError as exc:
        print(say("cli-error", message=str(exc)), file=sys.stderr)
        return 2
    except svc.OrgError as exc:
        print(say("cli-error", message=explain(exc, Translator("ru"))), file=sys.stderr)
        return 2
    except (sqlite3.Error, OSError) as exc:
        path = settings.database_path if settings else "?"
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        print(
            say("cli-error", message=say("cli-db-error", path=path, reason=reason)), file=sys.stderr
        )
        return 2
    return 0
