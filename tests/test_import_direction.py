"""Imports point one way: handlers → services → storage, keyboards for handlers only.

Every module of the packages pyproject.toml ships is read as a syntax tree, and every import of
a project module in it, wherever it stands (top level, inside a function, under TYPE_CHECKING),
is checked against the table below: a module may import its own layer and the layers its layer
lists, nothing else. A module's layer is that of the longest table entry naming it or a package
above it.

Where the layers sit, and why:
- root: the composition roots build the whole bot from every layer, so they may import them
  all: `bot/app.py` (the app factory), `bot/__main__.py` and `bot/cli.py` (the commands the
  operator runs) and `bot/sandbox/` (the bot run with demo data against the emulator, and its
  web chat). No other layer may import a root.
- vk-emulator, max-emulator: `bot/sandbox/vk/` and `bot/sandbox/max/` play VK and MAX, so each
  imports nothing of the bot nor of the other: they answer as the messenger does, never as the
  bot would like.
- handlers: turn an update into a service call and its answer into text and buttons.
- keyboards: draw buttons from records and domain types; handlers alone use them.
- services: the rules; they reach storage through its repositories and never draw a button.
- core: the rest of `bot/`, which handlers and services both stand on: settings, clock, texts,
  the VK and MAX clients, the state dispenser, the update runner, the scheduler, `Deps`.
- base: `bot/domain.py` (the types services, keyboards and handlers share) and
  `bot/callback_data.py` (the signed payload codec in `Deps` and under every button): below all
  three, importing nothing of the project.
- storage: the SQL; it knows nothing of `bot/`.
- records: `storage/models.py`, the typed rows repositories return: everyone reads them, they
  import nothing.
- locales: the folder of the Fluent files.
`tests/` and `bench/` stand outside the layers: they drive the bot from every side.
"""

from __future__ import annotations

import ast
import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Module or package → its layer.
LAYER_OF = {
    "bot": "core",
    "bot.__main__": "root",
    "bot.app": "root",
    "bot.cli": "root",
    "bot.sandbox": "root",
    "bot.sandbox.vk": "vk-emulator",
    "bot.sandbox.max": "max-emulator",
    "bot.services": "services",
    "bot.domain": "base",
    "bot.callback_data": "base",
    "handlers": "handlers",
    "keyboards": "keyboards",
    "storage": "storage",
    "storage.models": "records",
    "locales": "locales",
}
LAYERS = frozenset(LAYER_OF.values())
# Layer → the layers it may import besides its own.
MAY_IMPORT: dict[str, frozenset[str]] = {
    "root": LAYERS,
    "vk-emulator": frozenset(),
    "max-emulator": frozenset(),
    "handlers": frozenset({"services", "keyboards", "core", "base", "records"}),
    "keyboards": frozenset({"base", "records"}),
    "services": frozenset({"core", "storage", "base", "records"}),
    "core": frozenset({"storage", "base", "records", "locales"}),
    "base": frozenset(),
    "storage": frozenset({"records"}),
    "records": frozenset(),
    "locales": frozenset(),
}


def packages(root: Path) -> list[str]:
    """The top-level packages pyproject.toml ships."""
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["packages"]["find"]["include"]
    return sorted(
        path.parent.name
        for path in root.glob("*/__init__.py")
        if any(fnmatch(path.parent.name, pattern) for pattern in patterns)
    )


def module_name(root: Path, path: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_module(root: Path, name: str) -> bool:
    base = root.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def layer_of(name: str) -> str | None:
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        layer = LAYER_OF.get(".".join(parts[:end]))
        if layer is not None:
            return layer
    return None


def imported(root: Path, path: Path, tops: list[str]) -> list[tuple[int, str]]:
    """(line, module) for every project module the file imports."""
    name = module_name(root, path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*anchor, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            for alias in node.names:
                # `from storage import audit` imports the module storage.audit.
                sub = f"{source}.{alias.name}"
                found.append((node.lineno, sub if is_module(root, sub) else source))
    return sorted({(line, target) for line, target in found if target.split(".")[0] in tops})


def violations(root: Path) -> list[str]:
    tops = packages(root)
    found = [f"{top}: no layer" for top in tops if top not in LAYER_OF]
    for top in tops:
        for path in sorted((root / top).rglob("*.py")):
            rel = path.relative_to(root).as_posix()
            layer = layer_of(module_name(root, path))
            if layer is None:
                continue
            allowed = MAY_IMPORT[layer] | {layer}
            for line, target in imported(root, path, tops):
                theirs = layer_of(target)
                if theirs not in allowed:
                    found.append(f"{rel}:{line}: {layer} imports {target} ({theirs})")
    return found


def test_imports_point_one_way() -> None:
    found = violations(ROOT)
    assert not found, "imports against the grain:\n" + "\n".join(found)


def test_the_table_names_what_exists() -> None:
    assert set(MAY_IMPORT) == LAYERS
    assert [name for name in LAYER_OF if not is_module(ROOT, name)] == []
    assert {"bot", "handlers", "keyboards", "storage", "locales"} <= set(packages(ROOT))


def _tree(root: Path, files: dict[str, str]) -> None:
    (root / "pyproject.toml").write_text(
        '[tool.setuptools.packages.find]\ninclude = ["bot*", "storage*", "keyboards*", "extra*"]\n'
    )
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_every_kind_of_import_is_seen(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "bot/__init__.py": "",
            "bot/services/__init__.py": "",
            "bot/services/review.py": (
                "from typing import TYPE_CHECKING\n"
                "import keyboards.review\n"
                "if TYPE_CHECKING:\n"
                "    from keyboards import review\n"
                "def later():\n"
                "    from keyboards.review import prompt\n"
                "from . import other\n"
            ),
            "bot/services/other.py": "from storage.models import Row\nimport loguru\n",
            "keyboards/__init__.py": "",
            "keyboards/review.py": "from bot.services.review import later\n",
            "storage/__init__.py": "",
            "storage/models.py": "",
            "storage/db.py": "from bot import text\nfrom storage import models\n",
            "bot/text.py": "from .services import review\nfrom . import domain\n",
            "bot/domain.py": "",
            "extra/__init__.py": "",
        },
    )
    assert violations(tmp_path) == [
        "extra: no layer",
        "bot/services/review.py:2: services imports keyboards.review (keyboards)",
        "bot/services/review.py:4: services imports keyboards.review (keyboards)",
        "bot/services/review.py:6: services imports keyboards.review (keyboards)",
        "bot/text.py:1: core imports bot.services.review (services)",
        "keyboards/review.py:1: keyboards imports bot.services.review (services)",
        "storage/db.py:1: storage imports bot.text (core)",
    ]


@pytest.mark.parametrize(
    ("module", "layer"),
    [
        ("bot.sandbox.vk.server", "vk-emulator"),
        ("bot.sandbox.seed", "root"),
        ("bot.services.review", "services"),
        ("bot.deps", "core"),
        ("storage.models", "records"),
        ("storage.db", "storage"),
    ],
)
def test_longest_entry_wins(module: str, layer: str) -> None:
    assert layer_of(module) == layer
