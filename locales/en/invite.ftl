## Invitations: administrators create, list and revoke them; staff join by link or code.

## Shared values
invite-role-any = Any role
invite-class-none = No class
invite-days = { $days ->
    [0] no expiry
    [one] { $days } day
   *[other] { $days } days
}
invite-limit = { $n ->
    [0] unlimited
    [one] { $n } person
   *[other] { $n } people
}
invite-until = until { $date } (Moscow time)
invite-forever = no expiry
invite-uses-of = { $uses } of { $max }
invite-uses-free = { $uses } (unlimited)
invite-yes = required
invite-no = not required
invite-untitled = Invitation #{ $id }
invite-creator-id = id{ $id }
invite-btn-prev = ← Back
invite-btn-next = Next →
invite-stale = This button is out of date
invite-use-buttons = Please choose one of the buttons under the message.
invite-cancelled = OK, cancelled.
invite-summary =
    Organization: { $org }
    Role: { $role }
    Class: { $cls }
    Valid: { $expiry }
    Who can join: { $limit }
    Administrator's approval: { $approval }
    Name: { $name }

## Administrator
invite-no-rights = Only the organization's administrators can manage its invitations.
invite-pick-org = Choose the organization whose invitations you want to manage:
invite-org =
    Invitations of { QUOTE($org) }. Active: { $count }.
    An invitation is a link and a QR code: staff join the organization by it without filing an application by hand.
invite-btn-new = Create an invitation
invite-btn-list = Active ({ $count })
invite-btn-orgs = Another organization
invite-new-role =
    New invitation to { QUOTE($org) }.
    For which role? With “Any role” the person chooses it.
invite-new-class = Tie the invitation to a class? Those who join by it are marked in that class.
invite-new-expiry = How long will the invitation work? Pick a button or type a number of days, 1 to { $max }.
invite-days-bad = Type a whole number of days from 1 to { $max }, or pick a button.
invite-new-uses = How many people may join by it? Pick a button or type a number, 1 to { $max }.
invite-uses-bad = Type a whole number of people from 1 to { $max }, or pick a button.
invite-new-approval = Verify those who join at once, or after an administrator's approval?
invite-approval-off = Verify at once
invite-approval-on = Needs approval
invite-new-name = Give the invitation a name to tell it apart in the list (e.g. Primary school teachers), up to 60 characters. Or tap “No name”.
invite-name-bad = A name is text with letters, at most 60 characters. Type it again or tap “No name”.
invite-btn-no-name = No name
invite-new-confirm =
    Check the invitation:
    { $summary }
invite-btn-create = Create
invite-btn-edit = Edit
invite-class-gone = The chosen class was deleted while the invitation was being made. Please create it again.
invite-created =
    The invitation is ready.
    { $summary }

    Link: { $link }
    Code: { $code }

    Send staff the link, the code or the QR code from the picture. Keep this message: I do not store the link itself and cannot show it again.
invite-qr-failed = The QR code could not be uploaded just now, but the link and the code above work.
invite-list-title = Active invitations of { QUOTE($org) }: { $total }. Tap a number to open one.
invite-list-empty = { QUOTE($org) } has no active invitations.
invite-list-item =
    { $n }. { $name } — { $role }
    used: { $uses } · joined: { $joined } · awaiting decision: { $waiting }
    { $expiry } · created by: { $creator }
invite-card =
    { $name }
    { $summary }
    Used: { $uses }
    Joined: { $joined }, awaiting decision: { $waiting }
    Created by: { $creator }, { $created }
invite-card-revoked = The invitation has been revoked.
invite-card-inactive = The invitation no longer works.
invite-btn-revoke = Revoke
invite-revoke-confirm =
    Revoke the invitation { QUOTE($name) }?
    The link and the code will stop working. Those who have joined stay in the organization, and applications filed by it stay under review.
invite-btn-revoke-yes = Yes, revoke
invite-revoked = The invitation { QUOTE($name) } is revoked: the link and the code no longer work.
invite-revoke-already = The invitation { QUOTE($name) } was already revoked.
invite-btn-to-list = To invitations

## Staff
invite-code-ask = Send the invitation code (16 Latin letters and digits) or the whole invitation link.
invite-code-malformed = That does not look like an invitation code. A code is 16 Latin letters and digits, e.g. ABCD2345EFGH6789. You can also send the whole link.
invite-offer =
    Invitation to { QUOTE($org) }.
    Role: { $role }
invite-offer-class = Class: { $cls }
invite-offer-direct = Once you give your full name and position, you become a verified employee of the organization at once.
invite-offer-approval = Once you give your full name and position, I will send an application “by invitation” to the organization's administrator and tell you the decision.
invite-offer-replaces-direct = Your application to this organization that is under review will be closed: you join by the invitation instead.
invite-offer-replaces-approval = Your application to this organization that is under review will be replaced by an application by invitation.
invite-role-ask = Choose your role in the organization:
invite-name-ask = Type your full name as in your documents, e.g. Ivanova Anna Sergeevna.
invite-name-ask-vk = Type your full name as in your documents, e.g. Ivanova Anna Sergeevna. If the name in your VK profile matches your documents, tap the button with it.
invite-name-invalid = A full name is two or three words of Cyrillic or Latin letters (hyphen and apostrophe allowed), at most 100 characters in all. E.g. Ivanova Anna Sergeevna. Please type it again.
invite-position-ask = Type your position, e.g. mathematics teacher. Or tap “Skip”.
invite-position-invalid = A position is text with letters, at most 100 characters. Type it again or tap “Skip”.
invite-btn-skip = Skip
invite-position-none = not given
invite-join-summary =
    Please check:
    Organization: { $org }
    Role: { $role }
    Full name: { $name }
    Position: { $position }
invite-btn-join = Join
invite-btn-file = Send the application
invite-joined = Done! You are a verified employee of { QUOTE($org) }.
invite-filed = Your application by invitation to { QUOTE($org) } has been sent to the administrator. I will tell you when it is decided.
invite-superseded-reason = The person used an invitation to this organization
invite-flow-lost = The details of this step were lost; please start again.

invite-err-unknown = No invitation has this code. Check it: 16 Latin letters and digits. { $left ->
    [0] No attempts are left; you can try again later.
   *[other] Attempts left: { $left }.
}
invite-err-expired = This invitation to { QUOTE($org) } has expired. Ask the administrator for a new one.
invite-err-revoked = The administrator of { QUOTE($org) } revoked this invitation; it no longer works.
invite-err-used-up = The maximum number of people have already joined { QUOTE($org) } by this invitation. Ask the administrator for a new one.
invite-err-org-closed = The organization of this invitation no longer accepts staff through the bot.
invite-err-cooldown = Too many wrong codes in a row. Try again in { $minutes } min.
invite-err-member = You are already a verified employee of { QUOTE($org) }.
invite-err-rejected = Your application to { QUOTE($org) } was rejected recently. You can apply again in { $hours } h.
invite-err-too-many = You already have { $max } applications under review. Please wait for their decisions.
invite-apply-hint = You can also verify your profile without an invitation: tap “Confirm my profile” and apply.
