## Организации: раздел суперадминистраторов (создание, изменение, архив, первый администратор).

orgs-list-title = Организации: { $total }, в архиве: { $archived }. Страница { $page } из { $pages }.
orgs-list-found = Найдено по запросу { QUOTE($query) }: { $total }. Страница { $page } из { $pages }.
orgs-list-item = { $n }. { $name } — { $city }, ИНН { $inn }
orgs-list-empty = Организаций пока нет. Нажмите «Создать», чтобы добавить первую.
orgs-list-nothing = По запросу { QUOTE($query) } ничего не нашлось. Попробуйте часть названия, город или ИНН.
orgs-list-hint = Нажмите номер организации, чтобы открыть её.
orgs-no-inn = не указан

orgs-btn-create = Создать
orgs-btn-find = Найти
orgs-btn-find-again = Другой поиск
orgs-btn-all = Все организации
orgs-btn-prev = ‹ Назад
orgs-btn-next = Дальше ›
orgs-btn-edit = Изменить
orgs-btn-appoint = Назначить администратора
orgs-btn-archive = В архив
orgs-btn-archive-yes = Да, в архив
orgs-btn-to-list = К списку
orgs-btn-confirm-create = Создать
orgs-btn-save = Сохранить
orgs-btn-appoint-yes = Назначить
orgs-btn-back-review = Назад к проверке

orgs-field-name = Название
orgs-field-short_name = Краткое название
orgs-field-type = Тип
orgs-field-inn = ИНН
orgs-field-region = Регион
orgs-field-city = Город

orgs-fields =
    Название: { $name }
    Краткое название: { $short }
    Тип: { $type }
    ИНН: { $inn }
    Регион: { $region }
    Город: { $city }
orgs-card =
    Организация № { $id }
    { $fields }
    Администраторов: { $admins }
orgs-card-archived = Организация в архиве: её нет в поиске и меню.
orgs-empty-value = —

orgs-ask-name = Введите полное название организации, как в уставе. Например: МБОУ «Средняя общеобразовательная школа № 5».
orgs-ask-short_name = Введите краткое название, по которому организацию узнают сотрудники. Например: Школа № 5.
orgs-ask-type = Выберите тип организации:
orgs-ask-inn = Введите ИНН организации: 10 цифр (у индивидуального предпринимателя — 12).
orgs-ask-region = Введите регион. Например: Свердловская область.
orgs-ask-city = Введите город или населённый пункт. Например: Екатеринбург.
orgs-ask-search = Введите часть названия, город или ИНН организации:
orgs-ask-admin = Кого назначить администратором организации { QUOTE($org) }? Пришлите ссылку на страницу ВКонтакте (vk.com/durov), короткое имя (@durov) или числовой id.
orgs-current = Сейчас: { $value }
orgs-need-text = Пришлите ответ текстом.
orgs-type-by-button = Выберите тип кнопкой ниже.
orgs-use-buttons = Нажмите кнопку под сообщением.
orgs-err-search = Запрос должен быть от 1 до { $max } символов, без служебных знаков.
orgs-problem = { $field }: { $problem }

orgs-review-new =
    Проверьте новую организацию:

    { $fields }

    Всё верно? Нажмите «Создать». Чтобы исправить поле, нажмите на него.
orgs-review-edit =
    Изменение организации № { $id }:

    { $fields }

    Чтобы исправить поле, нажмите на него, затем нажмите «Сохранить».
orgs-created = Организация { QUOTE($name) } создана, её номер { $id }. Назначьте ей первого администратора.
orgs-saved = Изменения сохранены.
orgs-unchanged = Изменений нет: данные те же.
orgs-cancelled = Отменено, ничего не сохранено.
orgs-restart = Черновик не найден, начнём заново.

orgs-archive-confirm = Отправить { QUOTE($name) } в архив? Организация исчезнет из поиска и меню, её администраторы больше не смогут ей управлять, а сотрудники — подать в неё заявку.
orgs-archived = Организация { QUOTE($name) } в архиве.
orgs-already-archived = Организация { QUOTE($name) } уже в архиве.

orgs-admin-confirm = Назначить { $person } (vk.com/id{ $vk }) администратором организации { QUOTE($org) }? Администратор рассматривает заявки сотрудников и управляет организацией.
orgs-admin-appointed = { $person } теперь администратор организации { QUOTE($org) }.
orgs-admin-already = { $person } уже администратор организации { QUOTE($org) }.
orgs-admin-notice = Вас назначили администратором организации { QUOTE($org) }. В меню появились разделы «Заявки» и «Управление».

orgs-err-empty = Пустое значение.
orgs-err-too-long = Слишком длинно: не больше { $max } символов.
orgs-err-too-short = Слишком коротко: не меньше { $min } символов.
orgs-err-no-letters = Нужны буквы, а не только цифры и знаки.
orgs-err-symbols = Уберите эмодзи и специальные символы.
orgs-err-control = Уберите служебные (невидимые) символы.
orgs-err-inn-format = ИНН — это 10 цифр у организации или 12 цифр у индивидуального предпринимателя.
orgs-err-inn-checksum = В ИНН ошибка: не сходится контрольная цифра. Сверьте его с документами.
orgs-err-inn-taken = ИНН { $inn } уже есть в системе: { QUOTE($name) } (№ { $id }).
orgs-err-inn-repeated = ИНН { $inn } уже был в строке { $line } этого файла.
orgs-err-type = Неизвестный тип организации { QUOTE($value) }.
orgs-err-columns = Ожидалось столбцов: { $expected }, а в строке { $found }.
orgs-err-not-found = Организация № { $id } не найдена.
orgs-err-archived = Организация { QUOTE($name) } в архиве.
orgs-err-vk-id = Id ВКонтакте — положительное целое число.
orgs-err-person-ref = Не похоже на ссылку на страницу ВКонтакте. Пример: vk.com/durov, @durov или 1.
orgs-err-person-not-found = Такой страницы ВКонтакте не нашлось. Проверьте ссылку.
orgs-err-person-not-user = Это ссылка на сообщество, а нужна страница человека.
orgs-err-vk-unavailable = Не удалось проверить страницу: ВКонтакте не отвечает. Попробуйте ещё раз чуть позже.

## Файл для загрузки организаций целиком (командная строка).
orgs-file-encoding = файл не в кодировке UTF-8 (байт { $byte }); сохраните его как «CSV UTF-8»
orgs-file-empty = файл пуст или его первая строка — не заголовок
orgs-file-header = строка 1: нет столбцов: { $missing }; лишние столбцы: { $unknown }{ $repeated ->
    [yes] ; столбец повторяется
   *[no] {""}
} (нужен заголовок: { $expected })
