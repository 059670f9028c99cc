"""Checks each API call against VK's own JSON schema (the copy in ``vk_schema/``)."""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA_DIR = Path(__file__).parent / "vk_schema"
SECTIONS = ("messages", "users", "groups", "photos", "docs", "utils", "execute")

# Transport-level parameters VK accepts on every method.
GLOBAL_PARAMS = frozenset({"lang", "test_mode", "captcha_sid", "captcha_key"})

# Documented by VK but missing from the 5.199 schema: MessageEvent.edit_message() passes
# conversation_message_id, Formatter texts add format_data, and execute lists no parameters at
# all although its page on dev.vk.com documents code and func_v.
EXTRA_PARAMS: dict[str, dict[str, dict[str, Any]]] = {
    "execute": {
        "code": {"type": "string", "required": True},
        "func_v": {"type": "integer", "minimum": 0},
    },
    "messages.edit": {
        "conversation_message_id": {"type": "integer", "minimum": 0},
        "format_data": {"type": "string"},
    },
    "messages.send": {"format_data": {"type": "string"}},
}

_INT = re.compile(r"-?\d+")
Spec = dict[str, Any]


@dataclass(frozen=True)
class SchemaViolation:
    """A call VK would reject or silently misread: always a bug in the bot."""

    method: str
    param: str
    problem: str


class Schema:
    def __init__(self, root: Path = SCHEMA_DIR) -> None:
        self._root = root
        self._files: dict[Path, Any] = {}
        self.methods: dict[str, dict[str, Spec]] = {}
        for section in SECTIONS:
            for method in self._load(root / section / "methods.json")["methods"]:
                params = {p["name"]: p for p in method.get("parameters", [])}
                params.update(EXTRA_PARAMS.get(method["name"], {}))
                self.methods[method["name"]] = params
        self.error_messages: dict[int, str] = {}
        for error in self._load(root / "errors.json")["errors"].values():
            self.error_messages.setdefault(error["code"], error["description"])

    def _load(self, path: Path) -> Any:
        if path not in self._files:
            self._files[path] = json.loads(path.read_text("utf-8"))
        return self._files[path]

    def _expand(self, spec: Spec) -> Spec:
        """Merges a ``$ref`` target into the spec; refs into files we did not copy stay opaque."""
        ref = spec.get("$ref")
        if not isinstance(ref, str):
            return spec
        file, _, pointer = ref.partition("#")
        path = self._root / file.removeprefix("../")
        if not path.exists():
            return spec
        target: Any = self._load(path)
        for part in pointer.strip("/").split("/"):
            target = target[part]
        merged = {k: v for k, v in spec.items() if k != "$ref"}
        if target.get("type") == "object":
            merged["json_object"] = True
        elif "enum" in target:
            merged.setdefault("enum", target["enum"])
        return merged

    def validate(self, method: str, params: Mapping[str, str]) -> list[SchemaViolation]:
        spec = self.methods.get(method)
        if spec is None:
            return [SchemaViolation(method, "", "unknown method")]
        found = [
            SchemaViolation(method, name, "missing required parameter")
            for name, p in spec.items()
            if p.get("required") and name not in params
        ]
        for name, value in params.items():
            if name in GLOBAL_PARAMS:
                continue
            if name not in spec:
                found.append(SchemaViolation(method, name, "unknown parameter"))
            elif problem := self._check(spec[name], value):
                found.append(SchemaViolation(method, name, problem))
        return found

    def _check(self, spec: Spec, value: str) -> str | None:
        spec = self._expand(spec)
        if spec.get("type") != "array":
            return self._check_scalar(spec, value)
        items = value.split(",") if value else []
        if "maxItems" in spec and len(items) > spec["maxItems"]:
            return f"{len(items)} items, at most {spec['maxItems']} allowed"
        if "minItems" in spec and len(items) < spec["minItems"]:
            return f"{len(items)} items, at least {spec['minItems']} needed"
        item_spec = self._expand(spec.get("items", {}))
        for item in items:
            if problem := self._check_scalar(item_spec, item):
                return f"item {item!r}: {problem}"
        return None

    def _check_scalar(self, spec: Spec, value: str) -> str | None:
        kind = spec.get("type")
        if isinstance(kind, list):
            problems = [self._check_scalar({**spec, "type": k}, value) for k in kind]
            return None if None in problems else problems[0]
        number: float | None = None
        if kind == "integer":
            if not _INT.fullmatch(value):
                return f"{value[:50]!r} is not an integer"
            number = int(value)
        elif kind == "number":
            try:
                number = float(value)
            except ValueError:
                return f"{value[:50]!r} is not a number"
        elif kind == "boolean" and value not in ("0", "1"):
            return f"{value[:50]!r} is not a boolean (0 or 1)"
        elif kind == "string":
            if "maxLength" in spec and len(value) > spec["maxLength"]:
                return f"{len(value)} characters, at most {spec['maxLength']} allowed"
            if "minLength" in spec and len(value) < spec["minLength"]:
                return f"{len(value)} characters, at least {spec['minLength']} needed"
            if spec.get("json_object") and not _is_json_object(value):
                return "not a JSON object"
        if number is not None:
            if "minimum" in spec and number < spec["minimum"]:
                return f"{value} is below the minimum {spec['minimum']}"
            if "maximum" in spec and number > spec["maximum"]:
                return f"{value} is above the maximum {spec['maximum']}"
        if "enum" in spec and value not in {str(e) for e in spec["enum"]}:
            return f"{value[:50]!r} is not one of the allowed values"
        return None


def _is_json_object(value: str) -> bool:
    try:
        return isinstance(json.loads(value), dict)
    except ValueError:
        return False


@functools.cache
def load_schema() -> Schema:
    """Parsing the schema takes a noticeable moment; every emulator shares one read-only copy."""
    return Schema()
