"""Checks each MAX API request against MAX's own OpenAPI schema (the copy in ``max_schema/``).

A small validator of the OpenAPI 3.0 parts MAX's schema uses for requests: ``$ref``, ``allOf``,
``discriminator`` with ``mapping``, ``nullable``, types, lengths, bounds, enums, patterns. The
``jsonschema`` package was considered and left out: it reads neither ``nullable`` nor
``discriminator`` (both OpenAPI extensions of JSON Schema), which is where MAX's request bodies
carry their meaning (which attachment, which button).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA_FILE = Path(__file__).parent / "max_schema" / "openapi.json"
_INT = re.compile(r"-?\d+")
Spec = dict[str, Any]


@dataclass(frozen=True)
class SchemaViolation:
    """A request MAX would reject or silently misread: always a bug in the bot."""

    operation: str
    where: str
    problem: str


@dataclass(frozen=True)
class Operation:
    operation_id: str
    method: str
    path: str
    params: dict[str, Spec]
    body: Spec | None


class Schema:
    def __init__(self, path: Path = SCHEMA_FILE) -> None:
        self.document: dict[str, Any] = json.loads(path.read_text("utf-8"))
        self.operations: dict[tuple[str, str], Operation] = {}
        for route, item in self.document["paths"].items():
            for method, op in item.items():
                if not isinstance(op, dict) or "operationId" not in op:
                    continue
                params = {p["name"]: p for p in op.get("parameters", []) if p.get("in") == "query"}
                content = (op.get("requestBody") or {}).get("content", {})
                body = content.get("application/json", {}).get("schema")
                self.operations[(method.upper(), route)] = Operation(
                    op["operationId"], method.upper(), route, params, body
                )

    def operation(self, method: str, route: str) -> Operation | None:
        return self.operations.get((method.upper(), route))

    def validate(
        self, op: Operation, query: Mapping[str, str], body: Any, *, has_body: bool
    ) -> list[SchemaViolation]:
        found = [
            SchemaViolation(op.operation_id, f"?{name}", "missing required query parameter")
            for name, p in op.params.items()
            if p.get("required") and name not in query
        ]
        for name, value in query.items():
            spec = op.params.get(name)
            if spec is None:
                found.append(SchemaViolation(op.operation_id, f"?{name}", "unknown parameter"))
            elif problem := self._check_query(spec.get("schema", {}), value):
                found.append(SchemaViolation(op.operation_id, f"?{name}", problem))
        if op.body is None:
            if has_body:
                found.append(SchemaViolation(op.operation_id, "body", "this call takes no body"))
            return found
        if not has_body:
            return [*found, SchemaViolation(op.operation_id, "body", "a JSON body is required")]
        found += [SchemaViolation(op.operation_id, w, p) for w, p in self.check(op.body, body, "")]
        return found

    # -- resolution -----------------------------------------------------------------------------

    def resolve(self, spec: Spec) -> tuple[Spec, str | None]:
        ref = spec.get("$ref")
        if not isinstance(ref, str):
            return spec, None
        target: Any = self.document
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
        merged = {**target, **{k: v for k, v in spec.items() if k != "$ref"}}
        return merged, ref

    def _shape(
        self, spec: Spec, value: dict[str, Any], dispatched: frozenset[str]
    ) -> tuple[dict[str, Spec], set[str], bool]:
        """Properties and required names of an object schema across allOf and discriminator.

        The third item says whether the schema names its properties at all (free-form objects,
        such as a photo's token map, accept any key).
        """
        spec, ref = self.resolve(spec)
        props: dict[str, Spec] = dict(spec.get("properties", {}))
        required = set(spec.get("required", []))
        named = "properties" in spec
        for sub in spec.get("allOf", []):
            p, r, n = self._shape(sub, value, dispatched)
            props = {**p, **props}
            required |= r
            named = named or n
        disc = spec.get("discriminator")
        if disc and ref not in dispatched:
            target = _mapped(disc, value.get(disc["propertyName"]))
            if target is not None:
                p, r, n = self._shape(target, value, dispatched | {ref or ""})
                props = {**props, **p}
                required |= r
                named = named or n
        if "additionalProperties" in spec:
            named = False
        return props, required, named

    # -- checking -------------------------------------------------------------------------------

    def check(
        self, spec: Spec, value: Any, where: str, dispatched: frozenset[str] = frozenset()
    ) -> list[tuple[str, str]]:
        spec, _ = self.resolve(spec)
        here = where or "body"
        if value is None:
            return [] if spec.get("nullable") else [(here, "must not be null")]
        problems = self._local(spec, value, here, dispatched)
        if isinstance(value, dict):
            props, required, named = self._shape(spec, value, dispatched)
            for name in sorted(required - value.keys()):
                # MAX marks some fields both required and nullable (text, attachments, link of
                # NewMessageBody) and its own examples leave them out: absent reads as null.
                if not self.resolve(props.get(name, {}))[0].get("nullable"):
                    problems.append((f"{where}.{name}".lstrip("."), "required field is missing"))
            for name, item in value.items():
                path = f"{where}.{name}".lstrip(".")
                if name in props:
                    problems += self.check(props[name], item, path)
                elif named:
                    # MAX ignores unknown fields; a bot that sends one has a typo that loses data.
                    problems.append((path, "unknown field"))
        return problems

    def _local(
        self, spec: Spec, value: Any, where: str, dispatched: frozenset[str]
    ) -> list[tuple[str, str]]:
        """Constraints on the value itself, from this schema and everything it inherits."""
        problems: list[tuple[str, str]] = []
        spec, ref = self.resolve(spec)
        for sub in spec.get("allOf", []):
            problems += self._local(sub, value, where, dispatched)
        disc = spec.get("discriminator")
        if disc and ref not in dispatched and isinstance(value, dict):
            kind = value.get(disc["propertyName"])
            target = _mapped(disc, kind)
            if target is None:
                known = sorted(disc.get("mapping", {}))
                problems.append((where, f"type {kind!r} is not one of {known}"))
            else:
                problems += self._local(target, value, where, dispatched | {ref or ""})
        if problem := _type_problem(spec.get("type"), value):
            return [*problems, (where, problem)]
        if isinstance(value, str):
            if "maxLength" in spec and len(value) > spec["maxLength"]:
                problems.append((where, f"{len(value)} characters, at most {spec['maxLength']}"))
            if "minLength" in spec and len(value) < spec["minLength"]:
                problems.append((where, f"{len(value)} characters, at least {spec['minLength']}"))
            if "pattern" in spec and not re.search(spec["pattern"], value):
                problems.append((where, f"{value[:50]!r} does not match {spec['pattern']}"))
        if isinstance(value, int | float) and not isinstance(value, bool):
            if "minimum" in spec and value < spec["minimum"]:
                problems.append((where, f"{value} is below the minimum {spec['minimum']}"))
            if "maximum" in spec and value > spec["maximum"]:
                problems.append((where, f"{value} is above the maximum {spec['maximum']}"))
        if "enum" in spec and value not in spec["enum"]:
            problems.append((where, f"{str(value)[:50]!r} is not one of {spec['enum']}"))
        if isinstance(value, list):
            if "maxItems" in spec and len(value) > spec["maxItems"]:
                problems.append((where, f"{len(value)} items, at most {spec['maxItems']}"))
            if spec.get("uniqueItems") and len({json.dumps(v) for v in value}) < len(value):
                problems.append((where, "items must be unique"))
            if "items" in spec:
                for i, item in enumerate(value):
                    problems += self.check(spec["items"], item, f"{where}[{i}]")
        return problems

    def _check_query(self, spec: Spec, value: str) -> str | None:
        spec, _ = self.resolve(spec)
        kind = spec.get("type")
        parsed: Any = value
        if kind == "integer":
            if not _INT.fullmatch(value):
                return f"{value[:50]!r} is not an integer"
            parsed = int(value)
        elif kind == "boolean":
            if value not in ("true", "false"):
                return f"{value[:50]!r} is not true or false"
            return None
        elif kind == "array":
            items = [v for v in value.split(",") if v]
            if not items:
                return "an empty list"
            return None
        problems = self._local(spec, parsed, "", frozenset())
        return problems[0][1] if problems else None


def _mapped(discriminator: Spec, kind: Any) -> Spec | None:
    """The schema a discriminator value selects; MAX's mappings hold either "#/..." or {$ref}."""
    target = discriminator.get("mapping", {}).get(kind) if isinstance(kind, str) else None
    if isinstance(target, str):
        return {"$ref": target}
    return target if isinstance(target, dict) else None


def _type_problem(kind: Any, value: Any) -> str | None:
    if kind is None:
        return None
    ok = {
        "string": isinstance(value, str),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, int | float) and not isinstance(value, bool),
        "boolean": isinstance(value, bool),
        "array": isinstance(value, list),
        "object": isinstance(value, dict),
    }.get(kind, True)
    return None if ok else f"{type(value).__name__} where {kind} is expected"


@functools.cache
def load_schema() -> Schema:
    """Every emulator shares one read-only copy: parsing 170 kB of schema takes a moment."""
    return Schema()
