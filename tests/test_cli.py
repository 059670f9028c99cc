"""The deployer's command line, run as a real process with only DATABASE_PATH set."""

from __future__ import annotations

import csv
import io
import re
import sqlite3
import time
from pathlib import Path

import pytest

from tests.orgs_helpers import Run, bad_checksum, cli, cli_parallel, make_inn

HEADER = "name;short_name;type;inn;region;city"


@pytest.fixture
def work(tmp_path: Path) -> Path:
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    return cwd


def db_path(work: Path) -> Path:
    return work.parent / "data" / "bot.sqlite3"


def run(work: Path, *args: str) -> Run:
    return cli(db_path(work), work, *args)


def query(work: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    with sqlite3.connect(db_path(work)) as conn:
        return list(conn.execute(sql, params))


def assert_bad_input(result: Run, *needles: str) -> None:
    assert result.code == 2, result
    assert len(result.err_lines) == 1, result.err
    assert "Traceback" not in result.err
    for needle in needles:
        assert needle in result.err, result.err


def created_id(result: Run) -> int:
    match = re.match(r"Created organization No\. (\d+): ", result.out)
    assert match, result.out
    return int(match.group(1))


def rows_csv(count: int) -> list[list[str]]:
    types = ("school", "preschool", "additional", "college", "university", "authority", "other")
    return [
        [
            f"Организация № {n}",
            f"Орг {n}" if n % 3 else "",
            types[n % len(types)],
            make_inn(100_000 + n),
            "Свердловская область",
            "Екатеринбург" if n % 2 else "Нижний Тагил",
        ]
        for n in range(1, count + 1)
    ]


def write_csv(
    path: Path, rows: list[list[str]], *, delimiter: str = ";", bom: bool = False
) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADER.split(";"))
    writer.writerows(rows)
    path.write_bytes(("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8"))
    return path


def test_help(work: Path) -> None:
    top, sub, doc = cli_parallel(
        db_path(work), work, ("--help",), ("admin", "add", "--help"), ("org", "import", "--help")
    )
    for result in (top, sub, doc):
        assert result.code == 0, result
        assert result.out.startswith("usage: python -m bot"), result.out
    assert {"org", "admin", "staff"} <= set(top.out.split())
    assert "vk_id" in sub.out
    for column in HEADER.split(";"):
        assert column in doc.out
    assert "BOM" in doc.out
    assert "nothing is imported" in doc.out


def test_bad_input_is_one_line_and_exit_2(work: Path) -> None:
    bad_fields = (
        "org", "add", "--name", "🏫", "--type", "shcool", "--inn", bad_checksum(make_inn(77)),
        "--region", "Москва", "--city", "Москва",
    )  # fmt: skip
    unknown, missing, not_int, fields = cli_parallel(
        db_path(work),
        work,
        ("frobnicate",),
        ("org", "add", "--name", "Школа"),
        ("admin", "add", "one", "2"),
        bad_fields,
    )
    assert_bad_input(unknown, "invalid choice")
    assert_bad_input(missing, "--type")
    assert_bad_input(not_int, "invalid int")
    assert_bad_input(fields, "name:", "type: Unknown organization type", "school", "inn: ")
    assert_bad_input(run(work, "admin", "add", "99", "5"), "Organization No. 99 not found")
    assert_bad_input(run(work, "org", "import", "missing.csv"), "cannot read missing.csv")
    assert query(work, "SELECT COUNT(*) FROM organizations") == [(0,)]


def test_org_add_list_admin_and_audit(work: Path) -> None:
    inn = make_inn(6_658_005)
    added = run(
        work,
        "org", "add", "--name", "МАОУ «Лицей № 3»", "--type", "school", "--inn", inn,
        "--region", "Свердловская область", "--city", "Екатеринбург", "--admin", "700",
    )  # fmt: skip
    assert added.code == 0, added
    org_id = created_id(added)
    # Who was appointed is said, not only the new organization's number.
    assert added.out.strip().endswith("Administrator: VK id 700."), added.out
    assert query(work, "SELECT name, short_name, type, inn FROM organizations") == [
        ("МАОУ «Лицей № 3»", "МАОУ «Лицей № 3»", "school", inn)
    ]
    assert query(work, "SELECT org_id, vk_id FROM org_admins") == [(org_id, 700)]

    again = run(
        work,
        "org", "add", "--name", "Другой лицей", "--type", "school", "--inn", inn,
        "--region", "Свердловская область", "--city", "Екатеринбург",
    )  # fmt: skip
    assert_bad_input(again, f"inn: INN {inn} is already registered")

    listed = run(work, "org", "list", "--search", "лицей")
    assert listed.code == 0
    assert f"{org_id}\t{inn}\tschool\tМАОУ «Лицей № 3»" in listed.out

    first = run(work, "admin", "add", str(org_id), "701")
    assert (first.code, first.out.strip()) == (0, "appointed")
    second = run(work, "admin", "add", str(org_id), "701")
    assert (second.code, second.out.strip()) == (0, "already an administrator")
    assert query(work, "SELECT vk_id FROM org_admins ORDER BY vk_id") == [(700,), (701,)]

    assert run(work, "org", "archive", str(org_id)).out.strip() == "archived"
    assert run(work, "org", "list").out.splitlines() == ["id\tinn\ttype\tname\tregion\tcity"]
    assert_bad_input(run(work, "admin", "add", str(org_id), "702"), "archived")
    assert run(work, "org", "restore", str(org_id)).out.strip() == "restored"

    # Every change is in the audit log, with no VK id as the actor.
    assert query(work, "SELECT action, actor_id FROM audit_log ORDER BY id") == [
        ("org.create", None),
        ("admin.appoint", None),
        ("admin.appoint", None),
        ("org.archive", None),
        ("org.restore", None),
    ]


def test_import_10000_rows_all_or_nothing_then_idempotent(work: Path) -> None:
    rows = rows_csv(10_000)
    broken = [list(r) for r in rows]
    # Line numbers count the header as line 1: row i (0-based) is on line i + 2.
    broken[9][3] = bad_checksum(broken[9][3])  # line 11
    broken[500][5] = ""  # line 502
    broken[2_000][2] = "гимназия"  # line 2002
    broken[4_999][3] = broken[5][3]  # line 5001 repeats the INN of line 7
    broken[7_000] = broken[7_000][:4]  # line 7002: two columns missing
    broken[9_999][0] = "🙂"  # line 10001
    path = write_csv(work / "orgs.csv", broken)

    started = time.perf_counter()
    failed = run(work, "org", "import", str(path))
    failed_seconds = time.perf_counter() - started
    assert failed.code == 2
    assert "Traceback" not in failed.err
    reported = [line.split(":", 1)[0] for line in failed.err_lines[:-1]]
    assert reported == [f"line {n}" for n in (11, 502, 2002, 5001, 7002, 10001)]
    assert "check digit" in failed.err_lines[0]
    assert "city: The value is empty" in failed.err_lines[1]
    assert "Unknown organization type “гимназия”" in failed.err_lines[2]
    assert "already appeared on line 7" in failed.err_lines[3]
    assert "Expected 6 columns, the line has 4" in failed.err_lines[4]
    assert "name:" in failed.err_lines[5]
    assert failed.err_lines[-1] == "error: nothing imported: 6 of 10000 rows are bad (listed above)"
    assert query(work, "SELECT COUNT(*) FROM organizations") == [(0,)]

    write_csv(path, rows)
    started = time.perf_counter()
    done = run(work, "org", "import", str(path))
    import_seconds = time.perf_counter() - started
    assert done.code == 0, done.err
    assert done.out.strip() == (
        "rows: 10000, new organizations: 10000, already present (same INN): 0"
    )
    assert query(work, "SELECT COUNT(*) FROM organizations") == [(10_000,)]
    assert query(work, "SELECT COUNT(*) FROM audit_log WHERE action = 'org.create'") == [(10_000,)]
    assert query(
        work, "SELECT short_name, type, city FROM organizations WHERE inn = ?", (make_inn(100_003),)
    ) == [("Организация № 3", "college", "Екатеринбург")]
    # The search index was filled too.
    assert query(
        work,
        "SELECT COUNT(*) FROM organizations_fts WHERE organizations_fts MATCH ?",
        ('"тагил"',),
    ) == [(5_000,)]

    again = run(work, "org", "import", str(path))
    assert again.code == 0
    assert again.out.strip() == (
        "rows: 10000, new organizations: 0, already present (same INN): 10000"
    )
    assert query(work, "SELECT COUNT(*) FROM organizations") == [(10_000,)]
    print(f"10k import: broken file {failed_seconds:.2f}s, import {import_seconds:.2f}s")


def test_import_comma_bom_any_column_order_and_encoding(work: Path) -> None:
    text = (
        "\ufeffINN,City,Region,Type,Name\r\n"
        f'{make_inn(11)},Казань,Татарстан,Школа,"Школа № 1, корпус 2"\r\n'
        "\r\n"
        f"{make_inn(12)},Казань,Татарстан,university,КФУ\r\n"
    )
    path = work / "orgs.csv"
    path.write_bytes(text.encode("utf-8"))
    done = run(work, "org", "import", str(path))
    assert done.code == 0, done.err
    assert "new organizations: 2" in done.out
    assert query(work, "SELECT name, type FROM organizations ORDER BY id") == [
        ("Школа № 1, корпус 2", "school"),
        ("КФУ", "university"),
    ]

    path.write_bytes(text.replace("\ufeff", "").encode("cp1251"))
    assert_bad_input(run(work, "org", "import", str(path)), "not UTF-8")
    path.write_text("name;inn;town\n", encoding="utf-8")
    assert_bad_input(run(work, "org", "import", str(path)), "line 1", "missing", "town")


def test_staff_export(work: Path) -> None:
    added = run(
        work,
        "org", "add", "--name", "Школа № 8", "--type", "school", "--inn", make_inn(808),
        "--region", "Москва", "--city", "Москва",
    )  # fmt: skip
    org_id = created_id(added)
    with sqlite3.connect(db_path(work)) as conn:
        conn.execute(
            "INSERT INTO memberships (org_id, vk_id, role, full_name, position, via, verified_at)"
            " VALUES (?, 1001, 'school_teacher', 'Иванова Анна Сергеевна', 'учитель', 'import', 0)",
            (org_id,),
        )
    out = work / "staff.csv"
    result = run(work, "staff", "export", str(org_id), str(out))
    assert result.code == 0, result.err
    assert result.out.strip() == f"1 staff of organization {org_id} written to {out}"
    text = out.read_bytes().decode("utf-8-sig")
    assert "Иванова Анна Сергеевна;Учитель (школа);учитель" in text
    assert "https://vk.com/id1001" in text


def test_russian_by_default_version_show_and_admins(work: Path) -> None:
    def ru(*args: str) -> Run:
        return cli(db_path(work), work, *args, lang="ru_RU.UTF-8")

    helped = ru("--help")
    assert helped.code == 0
    assert helped.out.startswith("использование: python -m bot")
    assert "организации" in helped.out
    version = ru("--version")
    assert version.code == 0
    assert re.fullmatch(r"staff-verify-bot \d+\.\d+\.\d+\S*\n", version.out), version.out
    assert_bad_input(
        ru("frobnicate"),
        "ошибка: аргумент {org,admin,staff,audit,check,backup,restore}: неверный выбор:"
        " 'frobnicate'",
        "см. --help",
    )

    added = ru(
        "org", "add", "--name", "МАОУ «Лицей № 3»", "--type", "school", "--inn", make_inn(333),
        "--region", "Свердловская область", "--city", "Екатеринбург", "--admin", "700",
    )  # fmt: skip
    assert added.code == 0, added.err
    match = re.fullmatch(
        r"Создана организация № (\d+): МАОУ «Лицей № 3»\. Администратор: VK id 700\.\n", added.out
    )
    assert match, added.out
    org = match.group(1)
    assert ru("admin", "add", org, "701").out.strip() == "назначен"

    shown = ru("org", "show", org)
    assert shown.code == 0, shown.err
    assert "Название: МАОУ «Лицей № 3»" in shown.out
    assert "Тип: school (Школа)" in shown.out
    assert "Подтверждённых сотрудников: 0" in shown.out
    assert "Администраторы: 700 ((имя неизвестно)), 701 ((имя неизвестно))" in shown.out

    listed = ru("admin", "list", org)
    assert [line.split("\t")[0] for line in listed.out.splitlines()] == ["VK id", "700", "701"]

    assert ru("admin", "remove", org, "700").out.strip() == "снят"
    last = ru("admin", "remove", org, "701")
    assert_bad_input(last, f"VK id 701 — последний администратор организации № {org}", "--force")
    assert_bad_input(ru("admin", "remove", org, "555"), "555 — не администратор")
    assert query(work, "SELECT vk_id FROM org_admins") == [(701,)]
    assert ru("admin", "remove", org, "701", "--force").out.strip() == "снят"
    assert query(work, "SELECT vk_id FROM org_admins") == []
    assert_bad_input(ru("org", "show", "99"), "ошибка: Организация № 99 не найдена")
    legacy = work / "orgs.csv"
    legacy.write_bytes("name;inn\nШкола;1\n".encode("cp1251"))
    assert_bad_input(ru("org", "import", str(legacy)), "файл не в кодировке UTF-8")
