## Командная строка развёртывающего: python -m bot <команда>.

cli-description = Без команды — запустить бота (настройки из окружения и файла .env). С командой — работа прямо с базой; нужна только настройка DATABASE_PATH (для check — и настройки VK).
cli-commands = команды
cli-org = организации
cli-org-commands = команды для организаций
cli-admin = администраторы организаций
cli-admin-commands = команды для администраторов
cli-staff = сотрудники организаций
cli-staff-commands = команды для сотрудников
cli-audit = журнал действий
cli-audit-commands = команды журнала
cli-version = показать версию и выйти
cli-org-add = создать организацию
cli-org-add-name = полное название
cli-org-add-short = краткое название (по умолчанию — полное)
cli-org-add-type = одно из: { $types }
cli-org-add-inn = 10 цифр (12 у ИП)
cli-org-add-region = регион
cli-org-add-city = город или населённый пункт
cli-org-add-admin = VK id первого администратора
cli-org-import = загрузить организации из CSV-файла
cli-org-import-file = CSV-файл
cli-org-list = список организаций (через Tab)
cli-org-list-archived = показать архивные
cli-org-list-search = только совпадающие по названию, городу или ИНН
cli-org-show = карточка организации: данные, администраторы, число сотрудников
cli-org-archive = отправить организацию в архив (она пропадёт из поиска и меню)
cli-org-restore = вернуть организацию из архива
cli-org-id = номер организации
cli-admin-add = назначить администратора организации
cli-admin-list = администраторы организации
cli-admin-remove = снять администратора (последнего — только с --force)
cli-admin-force = снять, даже если он последний
cli-vk-id = числовой VK id человека
cli-staff-export = выгрузить подтверждённых сотрудников в CSV (UTF-8, ;)
cli-out = файл, в который записать
cli-audit-export = выгрузить журнал действий организации в CSV (как выгрузка сотрудников)
cli-check = проверить настройки сообщества ВКонтакте через API
cli-check-fix = включить то, что можно включить через API
cli-backup = сделать копию базы на ходу (бот может работать)
cli-backup-file = файл копии
cli-restore = восстановить базу из копии (бот должен быть остановлен)
cli-restore-file = файл копии
cli-csv-help =
    Файл: UTF-8 (с BOM или без — «CSV UTF-8» из Excel подходит), одна организация
    в строке, первая строка — заголовок с именами столбцов, разделитель «;» или «,»
    (какой стоит в заголовке). Столбцы в любом порядке:
      name        полное название, { $min }–{ $max } символов (обязательно)
      short_name  краткое название (необязательно; пусто — как name)
      type        { $types } (или русское название типа)
      inn         10 цифр (12 у ИП), контрольные цифры проверяются (обязательно)
      region      регион, например Свердловская область (обязательно)
      city        город или населённый пункт (обязательно)
    Пример:
      name;short_name;type;inn;region;city
      "Гимназия № 2, ул. Пушкина";Гимназия № 2;school;7707083893;Москва;Москва

    Всё или ничего: если хоть одна строка с ошибкой, не загружается ничего (BOM и
    разделитель не важны), а каждая плохая строка выводится с номером и причиной.
    Организации, чей ИНН уже есть в базе, остаются как есть: повторная загрузка
    того же файла ничего не добавляет.

cli-error = ошибка: { $message }
cli-use-type = Допустимые типы: { $types }.
cli-setting-invalid = настройка { $name } задана неверно: { $hint }
cli-cannot-read = не удалось прочитать { $file }: { $reason }
cli-cannot-write = не удалось записать { $file }: { $reason }
cli-db-error = ошибка базы данных { $path }: { $reason }
cli-org-created = Создана организация № { $id }: { $name }.
cli-org-created-admin = Создана организация № { $id }: { $name }. Администратор: VK id { $admin }.
cli-import-line = строка { $line }: { $reasons }
cli-import-bad = ничего не загружено: в { $bad } из { $rows } строк ошибки (см. выше)
cli-import-done = строк: { $rows }, новых организаций: { $created }, уже были (тот же ИНН): { $existing }
cli-org-list-header = id	ИНН	тип	название	регион	город
cli-archived = в архиве
cli-already-archived = уже в архиве
cli-restored = возвращена из архива
cli-not-archived = не в архиве
cli-appointed = назначен
cli-already-admin = уже администратор
cli-removed = снят
cli-not-admin = VK id { $vk_id } — не администратор организации № { $id }
cli-last-admin = VK id { $vk_id } — последний администратор организации № { $id }; без него заявки некому рассматривать. Сначала назначьте другого или добавьте --force.
cli-admin-list-header = VK id	имя	назначен
cli-unknown-name = (имя неизвестно)
cli-show-name = Название: { $value }
cli-show-short = Краткое название: { $value }
cli-show-type = Тип: { $value }
cli-show-inn = ИНН: { $value }
cli-show-place = Регион, город: { $region }, { $city }
cli-show-status = Статус: { $value }
cli-show-active = работает
cli-show-archived = в архиве с { $date }
cli-show-staff = Подтверждённых сотрудников: { $count }
cli-show-pending = Заявок на рассмотрении: { $count }
cli-show-admins = Администраторы: { $list }
cli-show-no-admins = Администраторов нет: назначьте командой admin add.
cli-staff-written = { $count } сотрудников организации № { $id } записано в { $file }
cli-audit-written = { $count } записей журнала организации № { $id } записано в { $file }
cli-backup-done = Копия записана: { $file }, { $size }, проверка целостности пройдена.
cli-backup-bad = копия { $file } не прошла проверку целостности: { $reason }
cli-restore-running = с базой работает бот (процесс { $pid }, запущен { $since }); остановите его и повторите restore
cli-restore-bad = { $file } — не исправная база бота: { $reason }
cli-restore-done = База { $path } восстановлена из { $file } ({ $size }).
cli-size-mb = { $value } МБ
cli-size-kb = { $value } КБ

argparse-usage = использование:
argparse-positional = позиционные аргументы
argparse-options = параметры
argparse-help = показать эту справку и выйти
argparse-version = показать версию программы и выйти
argparse-invalid-choice = неверный выбор: %(value)r (варианты: %(choices)s)
argparse-required = не заданы обязательные аргументы: %s
argparse-unrecognized = лишние аргументы: %s
argparse-argument = аргумент %(argument_name)s: %(message)s
argparse-invalid-value = неверное значение (%(type)s): %(value)r
argparse-expected-one = нужно одно значение
argparse-see-help = см. --help
