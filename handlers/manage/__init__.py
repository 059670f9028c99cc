"""The administration menu: an organization's administrators manage its classes, staff and
administrators and read its audit trail and exports. Rights are checked from the database on
every press and every typed answer (handlers/manage/rules.py)."""

from __future__ import annotations

from vkbottle.bot import BotLabeler

from bot.deps import Deps
from handlers.manage import admins, classes, panel, reports, staff
from handlers.manage.inputs import INPUTS
from handlers.manage.rules import typing_admin_of


def make_labeler(deps: Deps) -> BotLabeler:
    labeler = BotLabeler()
    for section in (panel, classes, staff, admins, reports):
        section.bind(labeler, deps)
    INPUTS.bind(labeler, deps, typing_admin_of(deps))
    return labeler
