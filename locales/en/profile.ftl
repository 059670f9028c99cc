## My profile, leaving an organization, my data and its erasure.

pf-title = My profile
pf-none = You have not confirmed your employee profile in any organization yet. Tap "Confirm my profile" to apply.
pf-entry =
    ✅ { $org }
    Verified staff since { $since }
    Role: { $role }
    Position: { $position }
    Classes: { $classes }
pf-no-classes = none
pf-admin-mark = You are an administrator of this organization.
pf-archived = The organization is archived.
pf-admin-only = { $org }
    You are an administrator of this organization (your staff profile there is not confirmed).
pf-pending-title = Applications under review:
pf-pending = • { $org } — filed { $date }
pf-leave = Leave an organization
pf-my-data = My data
pf-prev = ◀ Back
pf-next = Next ▶
pf-leave-pick = Which organization do you want to leave?
pf-leave-ask = Leave { $org }? The staff badge and access to this organization's contacts will be gone. Coming back takes a new application.
pf-leave-ask-admin = You are an administrator of this organization: your administrator rights will end too.
pf-leave-yes = Yes, leave
pf-left = You left { $org }. The staff badge and access to this organization's contacts are removed.
pf-not-member = You are no longer a member of this organization.
pf-last-admin = You are the only administrator of { $org }, so you cannot leave yet: the organization would have no administrator. Appoint another administrator from the verified staff first.
pf-data-title = What the bot keeps about you
pf-data-vk = { $messenger ->
        [max] MAX account: id { $ref }
       *[other] VK page: vk.com/id{ $ref }
    }
pf-data-vk-name = Name on VK: { $name }
pf-data-locale = Language: { $lang ->
    [en] English
   *[other] Russian
}
pf-data-members = Confirmed profiles:
pf-data-member = • { $org }: { $name }, { $role }, { $position }, since { $since }
pf-data-admin = You are an administrator of: { $orgs }
pf-data-apps = Applications ({ $count }):
pf-data-app = • { $org } — { $status }, { $date }, name in the application: { $name }
pf-data-more = …and { $count } more
pf-data-history = Past memberships in organizations: { $past }. Audit log entries about you: { $entries }.
pf-data-why = Administrators need this data to check applications, and verified colleagues to find you in the organization's contacts. You can delete it with the button below.
pf-erase = Delete my data
pf-erase-ask =
    Delete your data? This cannot be undone.
    • Applications under review will be withdrawn: { $pending }.
    • You will leave organizations: { $orgs }; staff badges and access to contacts will be gone, administrator rights will end.
    • Full names, positions and your VK name will be erased everywhere, the audit log included.
    Only your VK page number and the statuses and dates of applications and decisions stay: they let administrators' decisions be checked.
pf-erase-sole-admin = You are the only administrator of: { $orgs }. The organization will be left without an administrator, and I will tell the bot's administrators.
pf-erase-yes = Yes, delete
pf-erased = Done: your data is deleted. Applications withdrawn: { $withdrawn }, organizations left: { $left }. To confirm your profile again, file a new application.
pf-erase-nothing = Your data is already deleted: there is nothing more to keep about you.
pf-orphaned-org = The organization { $org } (No. { $org_id }) has no administrator left: its only administrator deleted their data. Appoint a new administrator under "Organizations".
