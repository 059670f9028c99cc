"""Anything a person may send at any step: the bot always answers, never apologises for an
error, and keeps what was entered. One running bot serves every example; each example is a new
person, so examples never see each other's drafts."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.sandbox.vk import Emulator, UserClient
from tests.apply_helpers import (
    ERROR_GENERIC,
    STEPS,
    draft_state,
    reach,
    replies_to,
    seed_school,
    step_of,
)
from tests.harness import RunningBot

PEOPLE = itertools.count(50_000)
# What each step's own answer may change; everything else must survive any input there.
OWN_FIELDS = {
    "org": {"org_id", "class_ids"},
    "role": {"role", "class_ids"},
    "name": {"full_name"},
    "position": {"position"},
    "classes": {"class_ids"},
    "review": set(),
}
ANSWERS = ("org_id", "role", "full_name", "position", "class_ids")
# Buttons that end or replace the draft on purpose.
ENDING = {"Да, отменить", "Отправить заявку", "Начать заново"}

TEXTS = st.one_of(
    st.text(max_size=150),
    st.text(alphabet=st.sampled_from(" \n-'№«»5АаЁёZz😀\u200b"), max_size=12),
    st.sampled_from(
        [
            "",
            "   ",
            "😀",
            "\x00",
            "\u202e",
            "Иванова Анна",
            "иванов-петров иван",
            "школа 5",
            "5А, 6В",
            "5а;",
            "Учитель",
            "Начать",
            "меню",
            "Отмена",
            "назад",
            "ш" * 120,
            "6658012345",
            "Иванова Анна Сергеевна Петровна",
            "123",
            "Хогвартс",
            "директор",
        ]
    ),
)
ACTIONS = st.lists(
    st.one_of(
        st.tuples(st.just("say"), TEXTS),
        st.tuples(st.just("tap"), st.integers(0, 30)),
        st.tuples(st.just("old"), st.integers(0, 300)),
        st.tuples(st.just("sticker"), st.none()),
        st.tuples(st.just("photo"), st.none()),
    ),
    max_size=8,
)


@settings(
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
async def test_any_input_at_any_step_is_answered_and_keeps_the_draft(
    bot: RunningBot, emu: Emulator, data: st.DataObject
) -> None:
    if await bot.deps.db.fetchval("SELECT COUNT(*) FROM organizations") == 0:
        await seed_school(bot)
    vk_id = next(PEOPLE)
    callbacks = data.draw(st.booleans(), label="callbacks")
    staff = emu.user(vk_id, "Анна", "Иванова", callbacks=callbacks)
    await reach(staff, bot, data.draw(st.sampled_from(STEPS), label="step"))

    # Something typed at the step itself first, then anything at all.
    first = ("say", data.draw(TEXTS, label="typed"))
    for kind, arg in [first, *data.draw(ACTIONS, label="actions")]:
        step = await step_of(bot, vk_id)
        before = await draft_state(bot, vk_id)
        answered = replies_to(emu, vk_id)
        label = await act(staff, kind, arg)
        assert replies_to(emu, vk_id) > answered, (kind, arg, label)
        assert not any(ERROR_GENERIC in m.text for m in staff.messages), (kind, arg, label)
        if step is None or before is None or label in ENDING:
            continue
        if not any(before[field] for field in ANSWERS):
            continue  # nothing entered yet: leaving may drop the empty draft
        after = await draft_state(bot, vk_id)
        assert after is not None, (kind, arg, label, "the draft was lost")
        if kind == "tap" or kind == "old":
            # A button may change an answer, never erase one.
            for field in ("role", "full_name", "position", "org_id"):
                if before[field] is not None:
                    assert after[field] is not None, (label, field)
        else:
            for field in set(ANSWERS) - OWN_FIELDS[step]:
                assert after[field] == before[field], (kind, arg, field)


async def act(staff: UserClient, kind: str, arg: str | int | None) -> str | None:
    """Performs one action; returns the pressed button's label."""
    if kind == "say":
        assert isinstance(arg, str)
        await staff.say(arg)
        return None
    if kind == "sticker":
        await staff.send_sticker()
        return None
    if kind == "photo":
        await staff.send_photo()
        return None
    assert isinstance(arg, int)
    if kind == "tap":
        message = staff._keyboard_message()
        buttons = message.buttons
    else:
        pressed = [(m, b) for m in staff.messages for b in m.buttons]
        message, _ = pressed[arg % len(pressed)]
        buttons = message.buttons
    button = buttons[arg % len(buttons)]
    # Several buttons may share a label (two "Назад" never do within one keyboard).
    await staff.tap(button.label, message=message)
    return str(button.label)
