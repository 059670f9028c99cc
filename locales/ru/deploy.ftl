## Тексты для того, кто разворачивает бота: терминал, журнал запуска, команда check.

settings-bad = Настройки не приняты ({ $source }). Исправьте:
settings-env-read = прочитан файл { $path }
settings-env-missing = файла { $path } нет, настройки взяты только из окружения
settings-env-none = файл .env не читался
settings-missing = { $name } не задана: { $hint }
settings-empty = { $name } пуста: { $hint }
settings-invalid = { $name } задана неверно: { $hint }

hint-vk-token = укажите ключ доступа сообщества (Управление → Работа с API → Ключи доступа).
hint-vk-group-id = укажите числовой id сообщества, целое положительное, без «club».
hint-vk-api-url = укажите адрес http(s), оканчивающийся на «/», например https://api.vk.com/method/.
hint-vk-api-version = укажите 5.199.
hint-vk-rps = укажите целое число запросов в секунду от 1 до 1000 (VK разрешает 20).
hint-superadmin-ids = укажите VK id через запятую, например 1,2,3.
hint-database-path = укажите путь к файлу, в папку которого можно писать, например data/bot.sqlite3.
hint-default-locale = укажите ru или en.
hint-log-level = укажите TRACE, DEBUG, INFO, WARNING или ERROR.
hint-log-format = укажите text или json.
hint-update-max-attempts = укажите целое число попыток от 1 до 100.
hint-vk-mode = укажите longpoll или callback.
hint-callback-url = укажите внешний адрес https:// для VK, например https://bot.example.ru/vk/callback.
hint-callback-secret = укажите секретный ключ для Callback API (латиница и цифры).
hint-callback-host = укажите адрес, на котором слушать, например 127.0.0.1.
hint-callback-port = укажите номер порта от 1 до 65535 (0 — любой свободный).
hint-health-port = укажите номер порта от 1 до 65535 или 0, чтобы выключить.
hint-backup-dir = укажите папку для ежедневных копий или оставьте пустым, чтобы выключить.
hint-backup-keep = укажите, сколько копий хранить: от 1 до 1000.
hint-apply-cooldown-hours = укажите число часов, 0 или больше.
hint-max-open-applications = укажите целое число, 1 или больше.
hint-submissions-per-hour = укажите целое число, 1 или больше.
hint-remind-after-hours = укажите число часов больше 0.
hint-expire-after-days = укажите число дней больше 0.
hint-wrong-codes-limit = укажите целое число, 1 или больше.
hint-wrong-codes-window-minutes = укажите число минут больше 0.

start-database = Не удалось открыть базу { $path } ({ $reason }). Проверьте DATABASE_PATH: папка должна существовать или создаваться, и в неё должно быть можно писать.
start-locked = С базой { $path } уже работает другой бот (процесс { $pid }, запущен { $since }). Остановите его или укажите другой DATABASE_PATH.
start-token = VK отклонил ключ доступа ({ $reason }). Проверьте VK_TOKEN: создайте ключ сообщества в «Управление → Работа с API → Ключи доступа».
start-user-token = VK_TOKEN — не ключ сообщества ({ $reason }). Создайте ключ в «Управление → Работа с API → Ключи доступа» вашего сообщества.
start-other-group = VK_TOKEN — ключ сообщества { $actual } ({ QUOTE($name) }), а VK_GROUP_ID = { $expected }. Укажите VK_GROUP_ID={ $actual } или ключ сообщества { $expected }.
start-no-group = Сообщества { $expected } нет в VK, а ключ выдан сообществу { $actual }. Проверьте VK_GROUP_ID (число из адреса club{ $actual }).
start-not-vk = По адресу { $url } отвечает не VK API ({ $reason }). Проверьте VK_API_URL: обычно https://api.vk.com/method/.
start-vk-error = VK ответил ошибкой при проверке ключа ({ $reason }). Проверьте VK_TOKEN и VK_GROUP_ID.
start-port = Не удалось открыть порт ({ $reason }). Проверьте CALLBACK_HOST, CALLBACK_PORT и HEALTH_PORT: порт должен быть свободен.
start-retry = VK недоступен при запуске ({ $reason }); попытка { $attempt } через { $delay } с
start-env = Настройки: { $source }

check-title = Проверка сообщества { $group } через { $url }:
check-token-ok = Ключ доступа — ключ сообщества { $group } ({ QUOTE($name) }).
check-unreachable = VK недоступен ({ $reason }); проверьте сеть и повторите.
check-rights-ok = Права ключа: { $rights }.
check-rights-missing = Ключу не хватает прав: { $missing }. Права ключа не меняются — создайте новый ключ с правами «Сообщения сообщества», «Фотографии», «Документы», «Управление сообществом» (Управление → Работа с API → Ключи доступа) и укажите его в VK_TOKEN.
check-no-manage = Настройки { $what } не прочитать: у ключа нет права «Управление сообществом».
check-lp-ok = Long Poll API включён, версия { $version }, события: { $events }.
check-lp-off = Long Poll API выключен.
check-lp-version = Long Poll API отдаёт события версии { $actual }, а бот понимает { $expected }.
check-lp-events = В Long Poll API не отмечены события: { $events }.
check-lp-fix = Исправить: python -m bot check --fix или вручную в «Управление → Работа с API → Long Poll API» (включено, версия { $expected }, типы событий: { $events }).
check-cb-no-url = Режим callback, но CALLBACK_URL не задан: укажите внешний адрес https://, на который VK будет присылать события.
check-cb-no-secret = CALLBACK_SECRET не задан: любой, кто узнает адрес, сможет присылать события от имени VK. Задайте секретный ключ и повторите python -m bot check --fix.
check-cb-missing = Сервер { $url } не добавлен в Callback API.
check-cb-status = Сервер { $url } в Callback API со статусом { QUOTE($status) }: VK не получил от бота код подтверждения.
check-cb-status-fix = Запустите бота (VK_MODE=callback), проверьте, что обратный прокси передаёт { $url } на CALLBACK_HOST:CALLBACK_PORT, и повторите python -m bot check --fix; или нажмите «Подтвердить» в «Управление → Работа с API → Callback API».
check-cb-secret = У сервера { $url } в Callback API другой секретный ключ, чем CALLBACK_SECRET: бот будет отклонять события. Укажите тот же ключ в «Управление → Работа с API → Callback API → Секретный ключ».
check-cb-ok = Callback API: сервер { $url } подтверждён, версия { $version }, события: { $events }.
check-cb-version = Callback API отдаёт события версии { $actual }, а бот понимает { $expected }.
check-cb-events = В Callback API не отмечены события: { $events }.
check-cb-fix = Исправить: python -m bot check --fix или вручную в «Управление → Работа с API → Callback API» (версия { $expected }, типы событий: { $events }).
check-messages-ok = Сообщения сообщества включены.
check-messages-off = Сообщения сообщества выключены. Включите их вручную: «Управление → Сообщения → Сообщения сообщества: включены».
check-cb-added = сервер добавлен
check-fixed = исправлено: { $what }
check-manual = Вручную (через API не проверить): «Управление → Сообщения → Настройки для бота» — включите «Возможности ботов» и кнопку «Начать».
check-summary-ok = Всё в порядке.
check-summary-bad = Ошибок: { $count }.
