## Organizations: the superadmins' section (create, edit, archive, first administrator).

orgs-list-title = Organizations: { $total }, archived: { $archived }. Page { $page } of { $pages }.
orgs-list-found = Found for { QUOTE($query) }: { $total }. Page { $page } of { $pages }.
orgs-list-item = { $n }. { $name } — { $city }, INN { $inn }
orgs-list-empty = There are no organizations yet. Press “Create” to add the first one.
orgs-list-nothing = Nothing found for { QUOTE($query) }. Try part of the name, the city or the INN.
orgs-list-hint = Press an organization's number to open it.
orgs-no-inn = not set

orgs-btn-create = Create
orgs-btn-find = Search
orgs-btn-find-again = New search
orgs-btn-all = All organizations
orgs-btn-prev = ‹ Back
orgs-btn-next = Next ›
orgs-btn-edit = Edit
orgs-btn-appoint = Appoint administrator
orgs-btn-archive = Archive
orgs-btn-archive-yes = Yes, archive
orgs-btn-to-list = To the list
orgs-btn-confirm-create = Create
orgs-btn-save = Save
orgs-btn-appoint-yes = Appoint
orgs-btn-back-review = Back to review

orgs-field-name = Name
orgs-field-short_name = Short name
orgs-field-type = Type
orgs-field-inn = INN
orgs-field-region = Region
orgs-field-city = City

orgs-fields =
    Name: { $name }
    Short name: { $short }
    Type: { $type }
    INN: { $inn }
    Region: { $region }
    City: { $city }
orgs-card =
    Organization No. { $id }
    { $fields }
    Administrators: { $admins }
orgs-card-archived = The organization is archived: it is not in search or menus.
orgs-empty-value = —

orgs-ask-name = Enter the organization's full name as in its charter. For example: Secondary School No. 5.
orgs-ask-short_name = Enter the short name staff know the organization by. For example: School No. 5.
orgs-ask-type = Choose the type of organization:
orgs-ask-inn = Enter the organization's INN: 10 digits (12 for an individual entrepreneur).
orgs-ask-region = Enter the region. For example: Sverdlovsk Oblast.
orgs-ask-city = Enter the city or town. For example: Yekaterinburg.
orgs-ask-search = Enter part of the name, the city or the INN:
orgs-ask-admin = Who should administer { QUOTE($org) }? Send a link to their VK page (vk.com/durov), their short name (@durov) or their numeric id.
orgs-current = Now: { $value }
orgs-need-text = Please answer with text.
orgs-type-by-button = Choose the type with a button below.
orgs-use-buttons = Please press a button under the message.
orgs-err-search = The query must be 1 to { $max } characters, without control characters.
orgs-problem = { $field }: { $problem }

orgs-review-new =
    Check the new organization:

    { $fields }

    All correct? Press “Create”. To fix a field, press it.
orgs-review-edit =
    Editing organization No. { $id }:

    { $fields }

    To fix a field, press it, then press “Save”.
orgs-created = Organization { QUOTE($name) } is created, its number is { $id }. Appoint its first administrator.
orgs-saved = Changes saved.
orgs-unchanged = Nothing changed: the data is the same.
orgs-cancelled = Cancelled, nothing saved.
orgs-restart = The draft was not found, let's start again.

orgs-archive-confirm = Archive { QUOTE($name) }? It will disappear from search and menus, its administrators will no longer manage it and staff will not be able to apply to it.
orgs-archived = { QUOTE($name) } is archived.
orgs-already-archived = { QUOTE($name) } is already archived.

orgs-admin-confirm = Appoint { $person } (vk.com/id{ $vk }) administrator of { QUOTE($org) }? An administrator reviews staff applications and manages the organization.
orgs-admin-appointed = { $person } is now an administrator of { QUOTE($org) }.
orgs-admin-already = { $person } already is an administrator of { QUOTE($org) }.
orgs-admin-notice = You have been appointed administrator of { QUOTE($org) }. The menu now has “Applications” and “Manage”.

orgs-err-empty = The value is empty.
orgs-err-too-long = Too long: at most { $max } characters.
orgs-err-too-short = Too short: at least { $min } characters.
orgs-err-no-letters = Letters are needed, not only digits and signs.
orgs-err-symbols = Remove emoji and special symbols.
orgs-err-control = Remove control (invisible) characters.
orgs-err-inn-format = An INN is 10 digits for an organization or 12 digits for an individual entrepreneur.
orgs-err-inn-checksum = The INN has a mistake: its check digit does not match. Compare it with the documents.
orgs-err-inn-taken = INN { $inn } is already registered: { QUOTE($name) } (No. { $id }).
orgs-err-inn-repeated = INN { $inn } already appeared on line { $line } of this file.
orgs-err-type = Unknown organization type { QUOTE($value) }.
orgs-err-columns = Expected { $expected } columns, the line has { $found }.
orgs-err-not-found = Organization No. { $id } not found.
orgs-err-archived = Organization { QUOTE($name) } is archived.
orgs-err-vk-id = A VK id is a positive whole number.
orgs-err-person-ref = That does not look like a link to a VK page. For example: vk.com/durov, @durov or 1.
orgs-err-person-not-found = No such VK page. Please check the link.
orgs-err-person-not-user = That is a link to a community; a person's page is needed.
orgs-err-vk-unavailable = Could not check the page: VK is not answering. Please try again a little later.

## The organizations file as a whole (the command line).
orgs-file-encoding = the file is not UTF-8 (byte { $byte }); save it as "CSV UTF-8"
orgs-file-empty = the file is empty or its first line is not the header
orgs-file-header = line 1: missing column(s): { $missing }; unknown column(s): { $unknown }{ $repeated ->
    [yes] ; a column is repeated
   *[no] {""}
} (expected header: { $expected })
