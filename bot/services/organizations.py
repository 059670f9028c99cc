"""The superadmins' rules for organizations: create, edit, archive, appoint, bulk import.

The bot's handlers and the deployer's command line call the same functions. `actor` is the VK
id of the superadmin acting in the bot, re-checked against the settings on every call, or None
for the deployer at the command line, who holds the database itself.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.clock import Clock
from bot.i18n import SUPPORTED, Translator
from bot.text import has_control_chars
from storage.db import Database
from storage.models import Organization, OrgType
from storage.organizations import NewOrganization, OrganizationsRepo

# Field limits: long enough for the longest official names of Russian schools and authorities.
# The short name may be as long as the name, which it defaults to.
LIMITS: dict[str, tuple[int, int]] = {
    "name": (3, 250),
    "short_name": (2, 250),
    "region": (2, 100),
    "city": (2, 100),
}
INN_WEIGHTS_10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
INN_WEIGHTS_11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
INN_WEIGHTS_12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
# Symbols allowed besides letters, digits, punctuation and spaces: the numero sign of "School No 5".
ALLOWED_SYMBOLS = frozenset("\u2116+")
# Letters, digits, spaces and the punctuation of names: nothing here is a symbol or control.
_USUAL = re.compile(
    "[\\w .,;:!?()\"'/&+\\-"
    "\u00ab\u00bb\u201e\u201c\u201d\u2018\u2019\u2013\u2014\u2116]*"  # quotes, dashes, numero
)
_LETTER = re.compile(r"[^\W\d_]")

CSV_COLUMNS = ("name", "short_name", "type", "inn", "region", "city")
CSV_REQUIRED = frozenset(("name", "type", "inn", "region", "city"))


class OrgStore(Protocol):
    """What these rules need: satisfied by the bot's Deps and by the command line's own."""

    @property
    def db(self) -> Database: ...

    @property
    def orgs(self) -> OrganizationsRepo: ...

    @property
    def clock(self) -> Clock: ...

    def is_superadmin(self, vk_id: int) -> bool: ...


class NotAllowed(Exception):
    """The person is not (or no longer) a superadmin."""


class OrgError(Exception):
    """A broken rule. The text is the locale key `orgs-err-<code>` with `args` as placeables;
    `field` names the field (a CSV column) it is about, when there is one."""

    def __init__(self, code: str, field: str | None = None, **args: Any) -> None:
        super().__init__(code, field, args)
        self.code = code
        self.field = field
        self.args_ = args

    @property
    def key(self) -> str:
        return f"orgs-err-{self.code}"


@dataclass(frozen=True, slots=True)
class OrgFields:
    """An organization's checked data."""

    name: str
    short_name: str
    type: OrgType
    inn: str
    region: str
    city: str

    @classmethod
    def of(cls, org: Organization) -> OrgFields:
        return cls(org.name, org.short_name, org.type, org.inn or "", org.region, org.city)


# --- field checks ---------------------------------------------------------------------------


def clean_text(field_name: str, raw: str) -> str:
    """Trimmed, single-spaced text within the field's limits, with letters and no emoji."""
    # The usual text passes one regular expression; only the rest is looked at character by
    # character (a 10,000-line import checks 40,000 of these).
    usual = _USUAL.fullmatch(raw) is not None
    if not usual and has_control_chars(raw):
        raise OrgError("control", field_name)
    text = " ".join(unicodedata.normalize("NFC", raw).split())
    low, high = LIMITS[field_name]
    if not text:
        raise OrgError("empty", field_name)
    if len(text) > high:
        raise OrgError("too-long", field_name, max=high)
    if len(text) < low:
        raise OrgError("too-short", field_name, min=low)
    if not usual and any(
        unicodedata.category(ch)[0] in "SC" and ch not in ALLOWED_SYMBOLS for ch in text
    ):
        raise OrgError("symbols", field_name)
    if _LETTER.search(text) is None:
        raise OrgError("no-letters", field_name)
    return text


def inn_checksum_ok(inn: str) -> bool:
    digits = [int(d) for d in inn]

    def check(weights: tuple[int, ...]) -> int:
        return sum(w * d for w, d in zip(weights, digits, strict=False)) % 11 % 10

    if len(digits) == 10:
        return check(INN_WEIGHTS_10) == digits[9]
    if len(digits) == 12:
        return check(INN_WEIGHTS_11) == digits[10] and check(INN_WEIGHTS_12) == digits[11]
    return False


def clean_inn(raw: str) -> str:
    """10 digits of a legal entity or 12 of an individual entrepreneur (private clubs and
    tutoring centres often are one), with correct check digits; spaces and dashes ignored."""
    inn = re.sub(r"[\s-]", "", raw)
    if not inn:
        raise OrgError("empty", "inn")
    if not (inn.isascii() and inn.isdigit() and len(inn) in (10, 12)) or set(inn) == {"0"}:
        raise OrgError("inn-format", "inn")
    if not inn_checksum_ok(inn):
        raise OrgError("inn-checksum", "inn")
    return inn


def type_names(t: Translator) -> dict[str, OrgType]:
    """Every way to name a type: its code and its name in each language, case-folded."""
    names: dict[str, OrgType] = {}
    for org_type in OrgType:
        names[org_type.value] = org_type
        for locale in SUPPORTED:
            names[t(locale, f"orgtype-{org_type.value}").casefold()] = org_type
    return names


def clean_type(raw: str, names: dict[str, OrgType]) -> OrgType:
    text = " ".join(raw.split()).casefold()
    if not text:
        raise OrgError("empty", "type")
    if text not in names:
        raise OrgError("type", "type", value=raw.strip()[:40])
    return names[text]


def check_fields(
    values: dict[str, str], names: dict[str, OrgType]
) -> tuple[OrgFields | None, list[OrgError]]:
    """All of a row's problems at once (an import reports them together); the short name
    defaults to the name."""
    errors: list[OrgError] = []
    cleaned: dict[str, Any] = {}
    short_raw = values.get("short_name", "").strip() or values.get("name", "")
    checks: list[tuple[str, Any]] = [
        ("name", lambda: clean_text("name", values.get("name", ""))),
        ("short_name", lambda: clean_text("short_name", short_raw)),
        ("type", lambda: clean_type(values.get("type", ""), names)),
        ("inn", lambda: clean_inn(values.get("inn", ""))),
        ("region", lambda: clean_text("region", values.get("region", ""))),
        ("city", lambda: clean_text("city", values.get("city", ""))),
    ]
    for name, check in checks:
        try:
            cleaned[name] = check()
        except OrgError as exc:
            errors.append(exc)
    if errors:
        return None, errors
    return OrgFields(**cleaned), []


def recheck(fields: OrgFields) -> OrgFields:
    """Fields that came through a conversation's stored draft are checked once more."""
    return OrgFields(
        name=clean_text("name", fields.name),
        short_name=clean_text("short_name", fields.short_name),
        type=OrgType(fields.type),
        inn=clean_inn(fields.inn),
        region=clean_text("region", fields.region),
        city=clean_text("city", fields.city),
    )


# --- changes --------------------------------------------------------------------------------


def authorize(store: OrgStore, actor: int | None) -> None:
    if actor is not None and not store.is_superadmin(actor):
        raise NotAllowed


async def get_org(store: OrgStore, actor: int | None, org_id: int) -> Organization:
    authorize(store, actor)
    org = await store.orgs.get(org_id)
    if org is None:
        raise OrgError("not-found", id=str(org_id))
    return org


async def create(
    store: OrgStore, actor: int | None, fields: OrgFields, *, admin_id: int | None = None
) -> int:
    """The new organization's id; its first administrator appointed in the same transaction."""
    authorize(store, actor)
    fields = recheck(fields)
    if admin_id is not None and admin_id <= 0:
        raise OrgError("vk-id", "admin")
    now = store.clock.now()
    async with store.db.transaction() as tx:
        await _inn_free(store, fields.inn, None)
        org_id = await store.orgs.create(
            tx,
            name=fields.name,
            short_name=fields.short_name,
            type=fields.type,
            inn=fields.inn,
            region=fields.region,
            city=fields.city,
            now=now,
            actor_id=actor,
        )
        if admin_id is not None:
            await store.orgs.add_admin(tx, org_id, admin_id, now, actor)
    return org_id


async def update(store: OrgStore, actor: int | None, org_id: int, fields: OrgFields) -> bool:
    """Save new data of an active organization; False when nothing differed."""
    authorize(store, actor)
    fields = recheck(fields)
    async with store.db.transaction() as tx:
        org = await _active(store, org_id)
        if OrgFields.of(org) == fields:
            return False
        await _inn_free(store, fields.inn, org.id)
        await store.orgs.update(
            tx,
            org,
            name=fields.name,
            short_name=fields.short_name,
            type=fields.type,
            inn=fields.inn,
            region=fields.region,
            city=fields.city,
            now=store.clock.now(),
            actor_id=actor,
        )
    return True


async def archive(store: OrgStore, actor: int | None, org_id: int) -> bool:
    """False when it already was in the archive (a second press changes nothing)."""
    authorize(store, actor)
    async with store.db.transaction() as tx:
        if await store.orgs.get(org_id) is None:
            raise OrgError("not-found", id=str(org_id))
        return await store.orgs.set_archived(tx, org_id, True, store.clock.now(), actor)


async def restore(store: OrgStore, actor: int | None, org_id: int) -> bool:
    authorize(store, actor)
    async with store.db.transaction() as tx:
        if await store.orgs.get(org_id) is None:
            raise OrgError("not-found", id=str(org_id))
        return await store.orgs.set_archived(tx, org_id, False, store.clock.now(), actor)


async def appoint(store: OrgStore, actor: int | None, org_id: int, vk_id: int) -> bool:
    """Make the person an administrator of an active organization; False if they already are."""
    authorize(store, actor)
    if vk_id <= 0:
        raise OrgError("vk-id", "admin")
    async with store.db.transaction() as tx:
        org = await _active(store, org_id)
        return await store.orgs.add_admin(tx, org.id, vk_id, store.clock.now(), actor)


async def _active(store: OrgStore, org_id: int) -> Organization:
    org = await store.orgs.get(org_id)
    if org is None:
        raise OrgError("not-found", id=str(org_id))
    if org.archived_at is not None:
        raise OrgError("archived", name=org.name)
    return org


async def _inn_free(store: OrgStore, inn: str, own_id: int | None) -> None:
    # Called inside the write transaction: no other writer can take the INN meanwhile.
    holder = await store.orgs.by_inn(inn)
    if holder is not None and holder.id != own_id:
        raise OrgError("inn-taken", "inn", inn=inn, id=str(holder.id), name=holder.name)


# --- bulk import ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BadRow:
    line: int
    errors: list[OrgError]


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    existing: int = 0
    bad: list[BadRow] = field(default_factory=list)


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, header): one line for the operator. The
    text is the locale key `orgs-file-<code>` with `args` as placeables."""

    def __init__(self, code: str, **args: Any) -> None:
        super().__init__(code, args)
        self.key = f"orgs-file-{code}"
        self.args_ = args


def read_csv(data: bytes, names: dict[str, OrgType]) -> tuple[list[OrgFields], list[BadRow], int]:
    """Rows of an organizations CSV (UTF-8 with or without BOM, a header line, ; or ,) as
    checked fields, the bad rows with their line numbers, and the number of data rows."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError("encoding", byte=str(exc.start)) from None
    header_line = text.split("\n", 1)[0]
    if not header_line.strip():
        raise ImportFileError("empty")
    delimiter = ";" if ";" in header_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip().casefold() for h in next(reader)]
    unknown = [h for h in header if h not in CSV_COLUMNS]
    missing = sorted(CSV_REQUIRED - set(header))
    if unknown or missing or len(set(header)) != len(header):
        raise ImportFileError(
            "header",
            missing=", ".join(missing) or "-",
            unknown=", ".join(unknown) or "-",
            repeated="yes" if len(set(header)) != len(header) else "no",
            expected=";".join(CSV_COLUMNS),
        )
    good: list[OrgFields] = []
    bad: list[BadRow] = []
    seen: dict[str, int] = {}
    count = 0
    line = reader.line_num
    for record in reader:
        start, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in record):
            continue
        count += 1
        if len(record) != len(header):
            bad.append(
                BadRow(start, [OrgError("columns", expected=len(header), found=len(record))])
            )
            continue
        fields, errors = check_fields(dict(zip(header, record, strict=True)), names)
        if fields is not None and fields.inn in seen:
            errors = [OrgError("inn-repeated", "inn", inn=fields.inn, line=str(seen[fields.inn]))]
        if errors or fields is None:
            bad.append(BadRow(start, errors))
            continue
        seen[fields.inn] = start
        good.append(fields)
    return good, bad, count


async def import_csv(
    store: OrgStore, actor: int | None, data: bytes, t: Translator
) -> ImportResult:
    """All rows or none: a file with any bad row imports nothing. Rows whose INN is already
    known are left as they are, so importing the same file again adds nothing."""
    authorize(store, actor)
    good, bad, count = read_csv(data, type_names(t))
    result = ImportResult(rows=count, bad=bad)
    if bad:
        return result
    async with store.db.transaction() as tx:
        known = await store.orgs.known_inns(tx)
        new = [f for f in good if f.inn not in known]
        result.existing = len(good) - len(new)
        result.created = await store.orgs.create_many(
            tx,
            [NewOrganization(f.name, f.short_name, f.type, f.inn, f.region, f.city) for f in new],
            now=store.clock.now(),
            actor_id=actor,
        )
    return result


def describe(error: OrgError, t: Translator, locale: str) -> str:
    return t(locale, error.key, **error.args_)


# --- browsing -------------------------------------------------------------------------------

PAGE_SIZE = 5
MAX_QUERY = 64


@dataclass(frozen=True, slots=True)
class OrgPage:
    orgs: list[Organization]
    total: int
    archived: int
    page: int
    pages: int


def clean_query(raw: str) -> str:
    """A search query short enough to travel in a paging button's payload."""
    query = " ".join(raw.split())
    if not query or len(query) > MAX_QUERY or has_control_chars(raw):
        raise OrgError("search", "query", max=MAX_QUERY)
    return query


async def list_page(store: OrgStore, actor: int | None, page: int, query: str = "") -> OrgPage:
    """Active organizations, all or matching the query; a page past the end shows the last."""
    authorize(store, actor)

    async def fetch(number: int) -> tuple[list[Organization], int]:
        if query:
            return await store.orgs.search(query, offset=number * PAGE_SIZE, limit=PAGE_SIZE)
        orgs = await store.orgs.page(offset=number * PAGE_SIZE, limit=PAGE_SIZE)
        return orgs, await store.orgs.count()

    page = max(page, 0)
    orgs, total = await fetch(page)
    pages = max(1, -(-total // PAGE_SIZE))
    if page >= pages:
        page = pages - 1
        orgs, total = await fetch(page)
    archived = await store.orgs.count(archived=True)
    return OrgPage(orgs, total, archived, page, pages)


async def list_all(
    store: OrgStore, actor: int | None, *, archived: bool = False, query: str = ""
) -> list[Organization]:
    authorize(store, actor)
    if query:
        # Search covers active organizations only, as in the bot.
        found, _ = await store.orgs.search(query, limit=1_000_000)
        return found
    return await store.orgs.page(limit=1_000_000, archived=archived)


async def admin_count(store: OrgStore, actor: int | None, org_id: int) -> int:
    authorize(store, actor)
    return len(await store.orgs.admin_ids(org_id))


async def check_inn_free(store: OrgStore, actor: int | None, inn: str, own_id: int | None) -> None:
    """Early word in the conversation; create() and update() check again when saving."""
    authorize(store, actor)
    await _inn_free(store, inn, own_id)
