## Administrators' review of applications: prompt, decision, notices, reminders.

review-none = —
review-card =
    Application #{ $id } · { $org }
    Full name: { $name }
    { $messenger ->
        [max] MAX account: { $vk_name } — id { $vk_id }
       *[other] VK profile: { $vk_name } — vk.com/id{ $vk_id }
    }
    Role: { $role }
    Position: { $position }
    Classes: { $classes }
    Filed: { $filed } Moscow time
    { $by_invitation ->
        [yes] Came by an invitation link
       *[no] Filed without an invitation
    }
review-prompt-question = Is this person on your organization's staff?
review-approve = Approve
review-reject = Reject
review-approve-n = Approve #{ $id }
review-reject-n = Reject #{ $id }
review-back = Back

review-status-approved = ✅ Approved: { $admin }, { $time } Moscow time
review-status-rejected =
    ❌ Rejected: { $admin }, { $time } Moscow time
    Reason: { $reason }
review-status-withdrawn = ↩️ Withdrawn by the applicant, { $time } Moscow time
review-status-expired = ⌛ Expired: not reviewed within { $days } days, { $time } Moscow time
review-closed = Application #{ $id } is closed.

review-approved-snack = Application #{ $id } approved
review-rejected-snack = Application #{ $id } rejected
review-already-approved = Already approved: { $admin }, { $time }
review-already-rejected = Already rejected: { $admin }, { $time }
review-already-withdrawn = The applicant withdrew it { $time }
review-already-expired = The application expired { $time }

review-reason-question = Choose the reason for rejection:
review-reason-ask = Write the reason for rejection in one message, up to { $max } characters. The applicant will see it.
review-reason-empty = Please write the reason in words.
review-reason-too-long = The reason is longer than { $max } characters ({ $length } now). Please shorten it.
review-reason-bad-chars = The reason contains control characters. Please write it as plain text.
review-reason-confirm =
    Reject application #{ $id } ({ $name })?
    Reason: { $reason }
review-reject-confirm = Reject
review-reason-cancelled = Rejection cancelled

review-applicant-approved =
    ✅ Staff · { $org }
    Your application #{ $id } is approved: your staff profile is verified.
    You can now open the organization's contacts and your profile card.
review-applicant-rejected =
    Your application #{ $id } to "{ $org }" was rejected.
    Reason: { $reason }
    { $again }
review-again-now = You may apply again right away.
review-again-at = You may apply again after { $time } Moscow time.
review-applicant-expired = Application #{ $id } to "{ $org }" was not reviewed within { $days } days and is closed. You may apply again.

review-undelivered =
    ⚠️ Application #{ $id } to "{ $org }" did not reach { $count ->
        [1] an administrator
       *[other] administrators
    }: { $admins }. They have not allowed messages from the community.
    { $left ->
        [0] No administrator received it: appoint one who can receive messages.
       *[other] It waits for the other administrators' decision.
    }
review-no-admins = ⚠️ "{ $org }" has no administrators: application #{ $id } waits until one is appointed.

review-no-orgs = You are not an administrator of any organization.
review-choose-org = Choose the organization whose applications you want to review:
review-org-button = { $org } ({ $count })
review-list-title = Applications under review · { $org }: { $total } (page { $page } of { $pages })
review-list-empty = "{ $org }" has no applications waiting for a decision.
review-prev = ‹ Back
review-next = Next ›
review-approve-all = Approve all ({ $count })
review-all-confirm = Approve all applications to "{ $org }" ({ $count })? Every applicant becomes verified staff.
review-all-yes = Yes, approve { $count }
review-all-none = No applications are waiting
review-all-done = Applications approved: { $count }
review-open = Open applications

review-remind-title = Reminder: these applications have waited for your decision longer than { $hours } h.
review-remind-line = • { $org }: { $count } (the oldest is #{ $id } of { $filed } Moscow time)
review-remind-footer = Open "Applications" to approve or reject them.
