## Рассмотрение заявок администраторами: запрос, решение, уведомления, напоминания.

review-none = —
review-card =
    Заявка № { $id } · { $org }
    ФИО: { $name }
    { $messenger ->
        [max] Аккаунт MAX: { $vk_name } — id { $vk_id }
       *[other] Профиль ВКонтакте: { $vk_name } — vk.com/id{ $vk_id }
    }
    Роль: { $role }
    Должность: { $position }
    Классы: { $classes }
    Подана: { $filed } МСК
    { $by_invitation ->
        [yes] Пришла по ссылке-приглашению
       *[no] Подана без приглашения
    }
review-prompt-question = Это сотрудник вашей организации?
review-approve = Принять
review-reject = Отклонить
review-approve-n = Принять № { $id }
review-reject-n = Отклонить № { $id }
review-back = Назад

review-status-approved = ✅ Принята: { $admin }, { $time } МСК
review-status-rejected =
    ❌ Отклонена: { $admin }, { $time } МСК
    Причина: { $reason }
review-status-withdrawn = ↩️ Отозвана заявителем, { $time } МСК
review-status-expired = ⌛ Истекла: не рассмотрена за { $days } дн., { $time } МСК
review-closed = Заявка № { $id } закрыта.

review-approved-snack = Заявка № { $id } принята
review-rejected-snack = Заявка № { $id } отклонена
review-already-approved = Уже принята: { $admin }, { $time }
review-already-rejected = Уже отклонена: { $admin }, { $time }
review-already-withdrawn = Заявитель отозвал заявку { $time }
review-already-expired = Заявка истекла { $time }

review-reason-question = Выберите причину отказа:
review-reason-ask = Напишите причину отказа одним сообщением, до { $max } символов. Её увидит заявитель.
review-reason-empty = Напишите причину словами.
review-reason-too-long = Причина длиннее { $max } символов (сейчас { $length }). Сократите её.
review-reason-bad-chars = В причине есть служебные символы. Напишите её обычным текстом.
review-reason-confirm =
    Отклонить заявку № { $id } ({ $name })?
    Причина: { $reason }
review-reject-confirm = Отклонить
review-reason-cancelled = Отклонение отменено

review-applicant-approved =
    ✅ Сотрудник · { $org }
    Ваша заявка № { $id } принята: профиль сотрудника подтверждён.
    Теперь вам доступны контакты организации и карточка вашего профиля.
review-applicant-rejected =
    Ваша заявка № { $id } в { QUOTE($org) } отклонена.
    Причина: { $reason }
    { $again }
review-again-now = Подать новую заявку можно сразу.
review-again-at = Подать новую заявку можно после { $time } МСК.
review-applicant-expired = Заявка № { $id } в { QUOTE($org) } не была рассмотрена за { $days } дн. и закрыта. Вы можете подать новую заявку.

review-undelivered =
    ⚠️ Заявка № { $id } в { QUOTE($org) } не доставлена { $count ->
        [1] администратору
       *[other] администраторам
    }: { $admins }. Они не разрешили сообщения от сообщества.
    { $left ->
        [0] Никто из администраторов её не получил: назначьте того, кто может получать сообщения.
       *[other] Заявка ждёт решения других администраторов.
    }
review-no-admins = ⚠️ У { QUOTE($org) } нет администраторов: заявка № { $id } ждёт, пока их назначат.

review-no-orgs = Вы не администратор ни одной организации.
review-choose-org = Выберите организацию, чьи заявки хотите рассмотреть:
review-org-button = { $org } ({ $count })
review-list-title = Заявки на рассмотрении · { $org }: { $total } (стр. { $page } из { $pages })
review-list-empty = В { QUOTE($org) } нет заявок, ожидающих решения.
review-prev = ‹ Назад
review-next = Далее ›
review-approve-all = Принять все ({ $count })
review-all-confirm = Принять все заявки в { QUOTE($org) } ({ $count })? Каждый заявитель станет подтверждённым сотрудником.
review-all-yes = Да, принять { $count }
review-all-none = Нет заявок, ожидающих решения
review-all-done = Принято заявок: { $count }
review-open = Открыть заявки

review-remind-title = Напоминание: эти заявки ждут вашего решения дольше { $hours } ч.
review-remind-line = • { $org }: { $count } (самая ранняя — № { $id } от { $filed } МСК)
review-remind-footer = Откройте «Заявки», чтобы принять или отклонить их.
