## Organization contacts: the list of verified staff, for verified staff.

ct-not-verified =
    An organization's contact list is available only to its verified staff.
    To get access, confirm your employee profile: tap "Confirm my profile" and find your organization, or tap "I have an invitation" if an administrator sent you a code. Once confirmed, you get the staff badge and the contact list.
ct-pending = { $count ->
    [one] Your application is still being reviewed: the list opens once an administrator approves it.
   *[other] Your applications are still being reviewed: the list opens once an administrator approves one.
}
ct-pick = You are verified in several organizations. Whose contacts should I show?
ct-title = Contacts: { $org }
    Verified staff: { $total }. To write to a colleague, open the link to their page.
ct-title-search = Contacts: { $org }
    Found for "{ $query }": { $total }.
ct-page = Page { $page } of { $pages }
ct-entry =
    { $n }. { $name }{ $admin }
    { $role }, { $position }
    { $vk }
ct-admin-mark = {" "}— administrator
ct-empty = Nobody is on the list yet.
ct-nobody-found = Nobody found. Try part of a surname or first name.
ct-search-ask = Write a surname or first name (or part of one), and I will find the colleague on the list.
ct-query-empty = Please send a surname or first name as text.
ct-query-too-short = Too short: write at least two letters.
ct-query-too-long = Too long: at most { $max } characters.
ct-query-control = The text has control characters. Please write a surname or first name as plain text.
ct-query-no-letters = Letters are needed: write a surname or first name.
ct-prev = ◀ Back
ct-next = Next ▶
ct-search = Find by name
ct-all = Whole list
ct-other-org = Another organization
