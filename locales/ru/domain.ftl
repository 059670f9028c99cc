## Названия ролей, типов организаций, статусов и причин отказа: общие для всех разделов.

role-school_teacher = Учитель (школа)
role-preschool_teacher = Воспитатель или педагог дошкольного образования
role-additional_teacher = Педагог дополнительного образования
role-university_teacher = Преподаватель вуза
role-college_teacher = Преподаватель СПО (колледж, техникум)
role-authority_employee = Сотрудник органа управления образованием
role-manager = Руководитель или административный сотрудник
role-other = Другой сотрудник

orgtype-school = Школа
orgtype-preschool = Детский сад
orgtype-additional = Дополнительное образование
orgtype-college = Колледж, техникум (СПО)
orgtype-university = Вуз
orgtype-authority = Орган управления образованием
orgtype-other = Другая организация

status-pending = На рассмотрении
status-approved = Принята
status-rejected = Отклонена
status-withdrawn = Отозвана
status-expired = Истекла

reason-not_employee = Не работает в организации
reason-name_mismatch = ФИО не совпадает с документами
reason-duplicate = Повторная заявка
reason-other = Другое

export-yes = да
export-staff-name = ФИО
export-staff-role = Роль
export-staff-position = Должность
export-staff-classes = Классы
export-staff-vk = Профиль ВКонтакте
export-staff-admin = Администратор
export-staff-since = Подтверждён
export-app-id = Номер
export-app-name = ФИО
export-app-role = Роль
export-app-position = Должность
export-app-vk = Профиль ВКонтакте
export-app-status = Статус
export-app-reason = Причина
export-app-filed = Подана
export-app-decided = Решение

# Short role names for buttons (VK cuts a label at 40 characters): the same everywhere.
rolebtn-school_teacher = Учитель
rolebtn-preschool_teacher = Воспитатель
rolebtn-additional_teacher = Педагог доп. образования
rolebtn-university_teacher = Преподаватель вуза
rolebtn-college_teacher = Преподаватель СПО
rolebtn-authority_employee = Орган управления
rolebtn-manager = Руководитель, администрация
rolebtn-other = Другой сотрудник
