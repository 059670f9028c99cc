"""How fast the organization search answers on 100,000 organizations.

Generates realistic Russian organizations into a temporary SQLite database through the project's
own storage code, then times typical queries through `OrganizationsRepo.search` (the call the
bot makes) and, in the same run, two baselines: a primary-key lookup and the naive
`search_text LIKE '%q%'` scan the full-text index replaces. Prints median and 95th percentile
per query type; nothing here asserts a time.

    python -m bench.search_bench [--orgs 100000] [--repeat 30]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from storage.db import Database
from storage.models import OrgType
from storage.organizations import OrganizationsRepo
from storage.search import search_key

CITIES = (
    "Москва",
    "Санкт-Петербург",
    "Новосибирск",
    "Екатеринбург",
    "Казань",
    "Нижний Новгород",
    "Челябинск",
    "Самара",
    "Омск",
    "Ростов-на-Дону",
    "Уфа",
    "Красноярск",
    "Воронеж",
    "Пермь",
    "Волгоград",
    "Краснодар",
    "Саратов",
    "Тюмень",
    "Тольятти",
    "Ижевск",
    "Барнаул",
    "Ульяновск",
    "Иркутск",
    "Хабаровск",
    "Ярославль",
    "Владивосток",
    "Махачкала",
    "Томск",
    "Оренбург",
    "Кемерово",
    "Новокузнецк",
    "Рязань",
    "Астрахань",
    "Набережные Челны",
    "Пенза",
    "Липецк",
    "Киров",
    "Чебоксары",
    "Тула",
    "Калининград",
    "Балашиха",
    "Курск",
    "Севастополь",
    "Улан-Удэ",
    "Ставрополь",
    "Сочи",
    "Тверь",
    "Магнитогорск",
    "Иваново",
    "Брянск",
    "Белгород",
    "Сургут",
    "Владимир",
    "Чита",
    "Архангельск",
    "Нижний Тагил",
    "Калуга",
    "Смоленск",
    "Волжский",
    "Якутск",
    "Саранск",
    "Череповец",
    "Курган",
    "Вологда",
    "Орёл",
    "Владикавказ",
    "Подольск",
    "Грозный",
    "Мурманск",
    "Тамбов",
    "Стерлитамак",
    "Петрозаводск",
    "Кострома",
    "Нижневартовск",
    "Новороссийск",
    "Йошкар-Ола",
    "Химки",
    "Таганрог",
    "Сыктывкар",
    "Нальчик",
    "Шахты",
    "Дзержинск",
    "Орск",
    "Братск",
    "Благовещенск",
    "Энгельс",
    "Ангарск",
    "Королёв",
    "Великий Новгород",
    "Старый Оскол",
    "Мытищи",
    "Псков",
    "Люберцы",
    "Бийск",
    "Южно-Сахалинск",
    "Армавир",
    "Балаково",
    "Рыбинск",
    "Северодвинск",
    "Абакан",
    "Петропавловск-Камчатский",
    "Норильск",
    "Сызрань",
    "Волгодонск",
    "Каменск-Уральский",
    "Новочеркасск",
    "Златоуст",
    "Березники",
    "Салават",
    "Электросталь",
    "Миасс",
    "Первоуральск",
    "Керчь",
    "Рубцовск",
    "Альметьевск",
    "Ковров",
    "Коломна",
    "Майкоп",
    "Пятигорск",
    "Одинцово",
    "Копейск",
    "Хасавюрт",
    "Новомосковск",
    "Кисловодск",
    "Серпухов",
    "Новочебоксарск",
    "Нефтеюганск",
    "Димитровград",
    "Нефтекамск",
    "Черкесск",
    "Орехово-Зуево",
    "Дербент",
    "Камышин",
    "Невинномысск",
    "Красногорск",
    "Муром",
    "Батайск",
    "Новошахтинск",
    "Сергиев Посад",
    "Ноябрьск",
    "Щёлково",
    "Кызыл",
    "Октябрьский",
    "Ачинск",
    "Северск",
    "Новокуйбышевск",
    "Елец",
    "Арзамас",
    "Обнинск",
    "Жуковский",
    "Элиста",
    "Пушкино",
    "Артём",
    "Междуреченск",
)
REGIONS = (
    "Московская область",
    "Свердловская область",
    "Новосибирская область",
    "Республика Татарстан",
    "Краснодарский край",
    "Челябинская область",
    "Ростовская область",
    "Самарская область",
    "Нижегородская область",
    "Пермский край",
    "Красноярский край",
)
KINDERGARTEN_NAMES = (
    "Солнышко",
    "Ромашка",
    "Берёзка",
    "Теремок",
    "Колокольчик",
    "Радуга",
    "Улыбка",
    "Сказка",
    "Золотой ключик",
    "Светлячок",
    "Звёздочка",
    "Ладушки",
    "Алёнушка",
    "Родничок",
    "Буратино",
)
SUBJECTS = (
    "математики",
    "иностранных языков",
    "физики",
    "химии и биологии",
    "информатики",
    "русского языка и литературы",
    "искусств",
)
COLLEGE_FIELDS = (
    "педагогический",
    "медицинский",
    "технологический",
    "строительный",
    "политехнический",
    "экономический",
    "индустриальный",
    "транспортный",
    "аграрный",
    "торгово-экономический",
)
UNIVERSITY_FIELDS = (
    "государственный университет",
    "государственный педагогический университет",
    "государственный технический университет",
    "государственный медицинский университет",
    "государственный аграрный университет",
    "федеральный университет",
)
ADDITIONAL = (
    ("Центр детского творчества", "ЦДТ"),
    ("Дом детского творчества", "ДДТ"),
    ("Детская школа искусств", "ДШИ"),
    ("Детско-юношеская спортивная школа", "ДЮСШ"),
    ("Детская музыкальная школа", "ДМШ"),
    ("Станция юных техников", "СЮТ"),
)


def _school(rng: random.Random, n: int) -> tuple[str, str, OrgType]:
    kind = rng.random()
    if kind < 0.55:
        owner = rng.choice(("МБОУ", "МАОУ", "МКОУ", "ГБОУ"))
        if rng.random() < 0.2:
            subject = rng.choice(SUBJECTS)
            name = (
                f"{owner} «Средняя общеобразовательная школа № {n} с углублённым изучением"
                f" {subject}»"
            )
        else:
            name = f"{owner} «Средняя общеобразовательная школа № {n}»"
        return name, f"{owner} СОШ № {n}", OrgType.SCHOOL
    if kind < 0.7:
        owner = rng.choice(("МБОУ", "ГБОУ"))
        return f"{owner} «Школа № {n}»", f"Школа № {n}", OrgType.SCHOOL
    if kind < 0.8:
        owner = rng.choice(("МБОУ", "МКОУ"))
        return (
            f"{owner} «Основная общеобразовательная школа № {n}»",
            f"{owner} ООШ № {n}",
            OrgType.SCHOOL,
        )
    if kind < 0.9:
        owner = rng.choice(("МАОУ", "МБОУ"))
        return f"{owner} «Гимназия № {n}»", f"Гимназия № {n}", OrgType.SCHOOL
    owner = rng.choice(("МАОУ", "МБОУ"))
    return f"{owner} «Лицей № {n}»", f"Лицей № {n}", OrgType.SCHOOL


def _organization(rng: random.Random, city: str) -> tuple[str, str, OrgType]:
    n = rng.randint(1, 250)
    kind = rng.random()
    if kind < 0.45:
        return _school(rng, n)
    if kind < 0.8:
        owner = rng.choice(("МАДОУ", "МБДОУ", "МКДОУ", "ГБДОУ"))
        if rng.random() < 0.5:
            title = rng.choice(KINDERGARTEN_NAMES)
            return (
                f"{owner} «Детский сад № {n} „{title}“»",
                f"Детский сад № {n} «{title}»",
                OrgType.PRESCHOOL,
            )
        return f"{owner} «Детский сад № {n}»", f"{owner} д/с № {n}", OrgType.PRESCHOOL
    if kind < 0.9:
        full, short = rng.choice(ADDITIONAL)
        return f"МБУ ДО «{full} № {n}»", f"{short} № {n}", OrgType.ADDITIONAL
    if kind < 0.96:
        field = rng.choice(COLLEGE_FIELDS)
        kind_name = rng.choice(("колледж", "техникум"))
        title = f"{field.capitalize()} {kind_name}"
        return f"ГБПОУ «{title} № {n}»", title, OrgType.COLLEGE
    if kind < 0.98:
        field = rng.choice(UNIVERSITY_FIELDS)
        return f"ФГБОУ ВО «{field.capitalize()}»", field.capitalize(), OrgType.UNIVERSITY
    return (
        f"Управление образования администрации города {city}",
        "Управление образования",
        OrgType.AUTHORITY,
    )


async def generate(db: Database, count: int, seed: int) -> None:
    """Inserts `count` organizations through OrganizationsRepo.create, in one transaction."""
    rng = random.Random(seed)
    repo = OrganizationsRepo(db)
    inns = rng.sample(range(1_000_000_000, 9_999_999_999), count)
    async with db.transaction() as tx:
        for inn in inns:
            city = rng.choice(CITIES)
            name, short, org_type = _organization(rng, city)
            await repo.create(
                tx,
                name=name,
                short_name=short,
                type=org_type,
                inn=str(inn),
                region=rng.choice(REGIONS),
                city=city,
                now=1_780_000_000,
                actor_id=None,
            )


def _stats(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


async def _time(fn: Callable[[], Awaitable[object]], repeat: int) -> list[float]:
    await fn()  # warm the page cache and the statement cache
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        await fn()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


async def main(orgs: int, repeat: int, seed: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "bench.sqlite3")
        await db.migrate()
        started = time.perf_counter()
        await generate(db, orgs, seed)
        print(f"generated {orgs} organizations in {time.perf_counter() - started:.1f} s")
        repo = OrganizationsRepo(db)
        inn = str(await db.fetchval("SELECT inn FROM organizations WHERE id = ?", (orgs // 2,)))
        # A school and its city taken from the data, so the query surely has an answer.
        school = await db.fetchone(
            "SELECT short_name, city FROM organizations WHERE short_name LIKE 'Школа № %'"
            " AND id > ? ORDER BY id LIMIT 1",
            (orgs // 4,),
        )
        school_in_city = f"{school['short_name']} {school['city']}" if school else "школа 1"

        async def like_scan(query: str) -> object:
            # The naive search the index replaces: a scan for the count and one for the page.
            pattern = f"%{search_key(query)}%"
            await db.fetchval(
                "SELECT COUNT(*) FROM organizations WHERE search_text LIKE ?"
                " AND archived_at IS NULL",
                (pattern,),
            )
            return await db.fetchall(
                "SELECT id FROM organizations WHERE search_text LIKE ? AND archived_at IS NULL"
                " ORDER BY length(search_text), id LIMIT 5",
                (pattern,),
            )

        queries: list[tuple[str, str]] = [
            ("name fragment", "гимназия 17"),
            ("name fragment", "детский сад солнышко"),
            ("name fragment", "Берёзка"),
            ("name fragment", "лицей"),
            ("name fragment", "ДШИ 12"),
            ("name fragment", "политехнический колледж"),
            ("школа N", "школа 5"),
            ("школа N", "Школа №125"),
            ("школа N", "сош 42"),
            ("школа N", school_in_city.lower()),
            ("city", "Екатеринбург"),
            ("city", "Набережные Челны"),
            ("city", "ростов"),
            ("broad", "школа"),
            ("broad", "детский сад"),
            ("INN", inn),
            ("no match", "Хогвартс"),
            ("no match", "школа 9999"),
        ]
        print(
            f"{'query type':<15}{'query':<26}{'found':>7}{'median ms':>11}{'p95 ms':>9}"
            f"{'LIKE med':>10}{'LIKE/search':>13}  first result"
        )
        by_type: dict[str, list[float]] = {}
        like_by_type: dict[str, list[float]] = {}
        for kind, query in queries:
            first, total = await repo.search(query)
            top = f"{first[0].short_name}, {first[0].city}" if first else "-"
            fts = await _time(functools.partial(repo.search, query), repeat)
            like = await _time(functools.partial(like_scan, query), max(3, repeat // 5))
            by_type.setdefault(kind, []).extend(fts)
            like_by_type.setdefault(kind, []).extend(like)
            med, p95 = _stats(fts)
            like_med = statistics.median(like)
            print(
                f"{kind:<15}{query[:25]:<26}{total:>7}{med:>11.2f}{p95:>9.2f}"
                f"{like_med:>10.2f}{like_med / med:>13.1f}  {top}"
            )
        pk = await _time(lambda: repo.get(orgs // 3), repeat)
        pk_med, pk_p95 = _stats(pk)
        print()
        print(
            f"baseline: primary-key lookup (OrganizationsRepo.get) median {pk_med:.3f} ms,"
            f" p95 {pk_p95:.3f} ms"
        )
        print(
            f"{'query type':<15}{'median ms':>11}{'p95 ms':>9}{'×PK lookup':>12}"
            f"{'LIKE median':>13}{'LIKE/search':>13}"
        )
        for kind, samples in by_type.items():
            med, p95 = _stats(samples)
            like_med = statistics.median(like_by_type[kind])
            print(
                f"{kind:<15}{med:>11.2f}{p95:>9.2f}{med / pk_med:>12.1f}"
                f"{like_med:>13.2f}{like_med / med:>13.1f}"
            )
        await db.close()


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    asyncio.run(main(args.orgs, args.repeat, args.seed))


if __name__ == "__main__":
    cli()
