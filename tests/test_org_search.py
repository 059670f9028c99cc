"""OrganizationsRepo.search: normalisation, whole numbers, ranking, archived, INN, the cap."""

from __future__ import annotations

from storage.models import MAX_RESULTS, OrgType
from storage.organizations import fts_query
from storage.search import search_key
from tests.factories import make_org
from tests.harness import RunningBot


def test_search_key_normalises_what_people_type() -> None:
    assert search_key("  «Школа №5»  ") == "школа 5"
    assert search_key("ДЕТСКИЙ САД „Берёзка“") == "детский сад березка"
    assert fts_query("Школа № 5") == '"школа"* "5"'
    assert fts_query("с 5") == '"5"'  # one-letter words match too much to help
    assert fts_query("😀 !") is None


async def test_ranking_exact_then_prefix_then_the_rest(bot: RunningBot) -> None:
    deps = bot.deps
    rest = await make_org(
        deps, "МБОУ «Средняя общеобразовательная школа № 5»", short_name="МБОУ СОШ № 5"
    )
    longer = await make_org(
        deps, "МБОУ «Школа № 5 имени А. С. Пушкина»", short_name="Школа № 5 имени Пушкина"
    )
    exact = await make_org(deps, "МБОУ «Школа № 5»", short_name="Школа № 5")
    await make_org(deps, "МБОУ «Школа № 50»", short_name="Школа № 50")
    found, total = await deps.orgs.search("школа 5")
    assert [o.id for o in found] == [exact, longer, rest]
    assert total == 3


async def test_city_inn_archived_and_paging(bot: RunningBot) -> None:
    deps = bot.deps
    ids = [
        await make_org(
            deps,
            f"МАДОУ «Детский сад № {n}»",
            type=OrgType.PRESCHOOL,
            city="Пермь",
            inn=f"59000000{n:02d}",
        )
        for n in range(1, 8)
    ]
    await make_org(deps, "МАДОУ «Детский сад № 1»", city="Казань")
    async with deps.db.transaction() as tx:
        await deps.orgs.set_archived(tx, ids[-1], True, deps.clock.now(), None)
    first, total = await deps.orgs.search("ПЕРМЬ", limit=5)
    second, _ = await deps.orgs.search("пермь", offset=5, limit=5)
    assert total == 6
    assert len(first) == 5
    assert len(second) == 1
    assert {o.id for o in first + second} == set(ids[:-1])
    assert (await deps.orgs.search("5900000003"))[0][0].id == ids[2]
    assert await deps.orgs.search(f"59000000{7:02d}") == ([], 0)  # archived
    assert (await deps.orgs.search("детский сад 1 пермь"))[1] == 1


async def test_a_very_broad_query_is_counted_up_to_the_cap(bot: RunningBot) -> None:
    deps = bot.deps
    now = deps.clock.now()
    async with deps.db.transaction() as tx:
        for n in range(MAX_RESULTS + 5):
            await deps.orgs.create(
                tx,
                name=f"Школа № {n}",
                short_name=f"Школа № {n}",
                type=OrgType.SCHOOL,
                inn=None,
                region="",
                city="Омск",
                now=now,
                actor_id=None,
            )
    found, total = await deps.orgs.search("школа")
    assert total == MAX_RESULTS + 1
    assert len(found) == 5
    # The exact name still comes first, however many others match.
    assert (await deps.orgs.search("школа 1003"))[0][0].name == "Школа № 1003"
