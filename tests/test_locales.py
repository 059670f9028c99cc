"""Every text exists in every language with the same placeholders; no user text in code."""

from __future__ import annotations

import re
from pathlib import Path

from fluent.syntax import FluentParser, ast
from fluent.syntax.visitor import Visitor

from bot.i18n import SUPPORTED, Translator
from locales import LOCALES_DIR

ROOT = Path(__file__).resolve().parent.parent
# Files whose Cyrillic is not text shown to users: words recognised in what people type,
# letters the search normalises, and VK's own menu names in the operator's start-up hints.
NOT_USER_TEXT = {"handlers/start.py", "storage/search.py", "bot/config.py"}
# The emulators play VK and MAX themselves: their Russian is the messenger's data (a community's
# name, the "Начать" a client sends), not the bot's words.
EMULATORS = ("bot/sandbox/vk/", "bot/sandbox/max/")


class _Vars(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def visit_VariableReference(self, node: ast.VariableReference) -> None:
        self.names.add(node.id.name)


def _messages(locale: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted((LOCALES_DIR / locale).glob("*.ftl")):
        resource = FluentParser().parse(path.read_text(encoding="utf-8"))
        for entry in resource.body:
            assert not isinstance(entry, ast.Junk), f"{path}: {entry.annotations}"
            if isinstance(entry, ast.Message):
                assert entry.id.name not in found, f"{entry.id.name} defined twice in {locale}"
                visitor = _Vars()
                visitor.visit(entry)
                found[entry.id.name] = visitor.names
    return found


def test_every_key_in_every_locale_with_same_placeholders() -> None:
    catalogs = {locale: _messages(locale) for locale in SUPPORTED}
    reference = catalogs["ru"]
    assert reference, "no Russian texts found"
    for locale, catalog in catalogs.items():
        assert catalog.keys() == reference.keys(), (
            locale,
            sorted(catalog.keys() ^ reference.keys()),
        )
        for key, names in catalog.items():
            assert names == reference[key], (locale, key, names, reference[key])


def test_russian_plural_forms() -> None:
    t = Translator("ru")
    assert t("ru", "menu-review", count=0) == "Заявки"
    assert t("ru", "menu-review", count=21) == "Заявки (21)"


def test_no_cyrillic_text_in_code() -> None:
    offenders = []
    for folder in ("bot", "handlers", "keyboards", "storage"):
        for path in (ROOT / folder).rglob("*.py"):
            rel = path.relative_to(ROOT).as_posix()
            if rel in NOT_USER_TEXT or rel.startswith(EMULATORS):
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                code = line.split("#", 1)[0]
                if re.search(r"[А-Яа-яЁё]", code) and not code.strip().startswith(('"""', "'''")):
                    offenders.append(f"{rel}:{number}: {line.strip()}")
    assert offenders == []
