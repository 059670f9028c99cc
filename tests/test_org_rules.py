"""The organizations' field rules and the CSV reader, without the bot around them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.i18n import Translator
from bot.services import organizations as svc
from bot.services.people import parse_person_ref
from storage.models import OrgType
from tests.orgs_helpers import make_inn

NAMES = svc.type_names(Translator("ru"))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("7707083893", "7707083893"),  # Sberbank
        ("7736207543", "7736207543"),  # Yandex
        (" 7707-083 893 ", "7707083893"),
        ("500100732259", "500100732259"),  # an individual entrepreneur's 12 digits
    ],
)
def test_valid_inns(raw: str, expected: str) -> None:
    assert svc.clean_inn(raw) == expected


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "empty"),
        ("770708389", "inn-format"),
        ("77070838930", "inn-format"),
        ("770708389O", "inn-format"),
        ("７７０７０８３８９３", "inn-format"),  # full-width digits are not digits of an INN
        ("0000000000", "inn-format"),
        ("7707083894", "inn-checksum"),
        ("500100732258", "inn-checksum"),
        ("500100732249", "inn-checksum"),
    ],
)
def test_invalid_inns(raw: str, code: str) -> None:
    with pytest.raises(svc.OrgError) as caught:
        svc.clean_inn(raw)
    assert caught.value.code == code


@given(st.integers(min_value=1, max_value=999_999_999), st.integers(min_value=1, max_value=9))
def test_a_changed_check_digit_is_caught(n: int, shift: int) -> None:
    inn = make_inn(n)
    assert svc.clean_inn(inn) == inn
    wrong = inn[:-1] + str((int(inn[-1]) + shift) % 10)
    with pytest.raises(svc.OrgError):
        svc.clean_inn(wrong)


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("   ", "empty"),
        ("Ш", "too-short"),
        ("Ш" * 251, "too-long"),
        ("12345", "no-letters"),
        ("🏫 школа", "symbols"),
        ("Школа\u200b5", "control"),
        ("Школа\x00", "control"),
    ],
)
def test_bad_names(raw: str, code: str) -> None:
    with pytest.raises(svc.OrgError) as caught:
        svc.clean_text("name", raw)
    assert (caught.value.code, caught.value.field) == (code, "name")


def test_names_are_tidied() -> None:
    assert svc.clean_text("name", "  МБОУ  «Школа\n№ 5»  ") == "МБОУ «Школа № 5»"
    assert svc.clean_text("city", "Санкт-Петербург") == "Санкт-Петербург"
    assert svc.clean_text("city", "посёлок 1 Мая") == "посёлок 1 Мая"


def test_types_by_code_or_name_in_any_language() -> None:
    assert svc.clean_type("college", NAMES) is OrgType.COLLEGE
    assert svc.clean_type(" Детский САД ", NAMES) is OrgType.PRESCHOOL
    assert svc.clean_type("Education authority", NAMES) is OrgType.AUTHORITY
    with pytest.raises(svc.OrgError):
        svc.clean_type("гимназия", NAMES)


@pytest.mark.parametrize(
    ("text", "ref"),
    [
        ("1", 1),
        ("id123", 123),
        ("vk.com/id123", 123),
        ("https://vk.com/id123", 123),
        ("https://m.vk.com/id123?w=wall1_2", 123),
        ("vk.ru/durov", "durov"),
        ("https://vk.com/durov/", "durov"),
        ("@durov", "durov"),
        ("durov", "durov"),
    ],
)
def test_person_references(text: str, ref: int | str) -> None:
    assert parse_person_ref(text) == ref


@pytest.mark.parametrize(
    "text", ["", "0", "id0", "Павел Дуров", "https://example.com/durov", "vk.com/", "@"]
)
def test_not_person_references(text: str) -> None:
    with pytest.raises(svc.OrgError):
        parse_person_ref(text)


def test_csv_line_numbers_count_physical_lines() -> None:
    data = (
        "name;type;inn;region;city\n"
        f'"Школа\nс переносом";school;{make_inn(1)};Москва;Москва\n'  # lines 2-3
        "\n"
        f"Школа;school;{make_inn(1)};Москва;\n"  # line 5: empty city, repeated INN
    ).encode()
    good, bad, rows = svc.read_csv(data, NAMES)
    assert rows == 2
    assert [f.name for f in good] == ["Школа с переносом"]
    [row] = bad
    assert row.line == 5
    assert [e.code for e in row.errors] == ["empty"]


def test_csv_repeated_inn_points_at_the_first_line() -> None:
    data = (
        "name,type,inn,region,city\r\n"
        f"Школа 1,school,{make_inn(1)},Москва,Москва\r\n"
        f"Школа 2,school,{make_inn(1)},Москва,Москва\r\n"
    ).encode()
    _, bad, _ = svc.read_csv(data, NAMES)
    assert [(b.line, b.errors[0].code, b.errors[0].args_["line"]) for b in bad] == [
        (3, "inn-repeated", "2")
    ]


@pytest.mark.parametrize(
    ("data", "needle"),
    [
        (b"", "empty"),
        (b"\n" + b"name;type", "empty"),
        (b"name;type;inn;region;city;town\n", "unknown column(s): town"),
        (b"name;type;inn;region;name\n", "missing column(s): city"),
        (b"name;type;inn;region;city;name\n", "repeated"),
        ("name;type;inn;region;city\nШкола".encode("cp1251"), "not UTF-8"),
    ],
)
def test_csv_unreadable_files(data: bytes, needle: str) -> None:
    with pytest.raises(svc.ImportFileError) as caught:
        svc.read_csv(data, NAMES)
    error = caught.value
    assert needle in Translator("en")("en", error.key, **error.args_)
