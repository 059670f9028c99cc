## Organization administration: classes, staff, administrators, exports.

mg-pick = You administer several organizations. Which one do you want to manage?
mg-panel =
    Manage: { $org }
    Verified staff: { $members }
    Administrators: { $admins }
    Classes and groups: { $classes }
    Applications under review: { $pending }
mg-no-classes-hint = The organization has no classes yet. Create them first ("Classes" → "Add"): then staff can name their classes and join them.
mg-classes = Classes
mg-staff = Staff
mg-admins = Administrators
mg-export = Export
mg-other-org = Another organization
mg-prev = ◀ Back
mg-next = Next ▶
mg-page = Page { $page } of { $pages }
mg-done = Done

mg-classes-list =
    Classes and groups: { $org } ({ $count })
    { $names }
    Tap a class to rename or delete it.
mg-classes-empty = No classes yet ({ $org }). Add the first ones, e.g. "5A" or "Senior group".
mg-class-add = Add
mg-class-new-ask = Write the name of a class or group, e.g. "5A" or "Senior group". You can add several at once, separated by commas or one per line.
mg-classes-created = Added: { $names }.
mg-classes-existing = Already there: { $names }.
mg-class-card = Class "{ $name }". Marked for staff: { $count }.
mg-class-rename = Rename
mg-class-delete = Delete
mg-class-rename-ask = Write the new name for "{ $name }".
mg-class-clash = There is already a class "{ $name }". Choose another name.
mg-class-renamed = Class "{ $old }" is renamed to "{ $name }".
mg-class-delete-ask = Delete class "{ $name }"? It will be removed from staff ({ $count }), applications and invitations.
mg-class-delete-yes = Yes, delete
mg-class-deleted = Class "{ $name }" is deleted.
mg-class-gone = This class no longer exists.

mg-staff-title = Staff: { $org } ({ $total })
mg-staff-role = Role: { $role }
mg-staff-entry = { $n }. { $name }{ $admin } — { $role }, { $position }
mg-admin-mark = {" "}(administrator)
mg-staff-empty = No verified staff yet.
mg-staff-hint = Tap a person to change their position and classes or to remove them from the organization.
mg-filter = Role
mg-roles-ask = Show staff with which role?
mg-role-count = { $role } ({ $count })
mg-all-roles = All roles
mg-member-card =
    { $name }
    Role: { $role }
    Position: { $position }
    Classes: { $classes }
    Verified: { $since }
    Page: { $vk }
mg-no-classes = none
mg-member-gone = This person is no longer among the verified staff.
mg-position = Position
mg-member-classes = Classes
mg-remove = Remove from organization
mg-position-ask = New position for { $name }. Now: { $position }. Write the new position.
mg-position-saved = The position is saved.
mg-member-classes-ask = Classes of { $name }. Tap a class to mark or unmark it. Now: { $classes }.
mg-class-on = ✅ { $name }
mg-no-classes-first = The organization has no classes yet. Create them first, then mark them for staff.
mg-remove-ask = Remove from the verified staff of { $org }: { $name }? The staff badge and access to contacts will be gone; the person gets a message with the reason. Choose the reason:
mg-remove-other = Another reason…
mg-remove-reason-ask = Write the reason for removing { $name }; they will see it.
mg-removed = { $name } is no longer on the list of verified staff.
mg-remove-self = You cannot remove yourself here. To leave the organization, open "My profile".
mg-removed-notice = An administrator of { $org } removed your verified staff status. Reason: { $reason }. The staff badge and access to the organization's contacts are turned off. If this is a mistake, apply again or contact the administrator.

mg-admins-title = Administrators: { $org } ({ $count })
mg-admin-entry = { $n }. { $name } — { $vk }
mg-admins-hint = Tap an administrator to remove their rights. The last administrator cannot be removed. Only verified staff can be appointed.
mg-appoint = Appoint
mg-admin-gone = This person is no longer an administrator.
mg-admin-last = This is the organization's only administrator: appoint another one first.
mg-dismiss-ask = Remove administrator rights of { $org }: { $name }?
mg-dismiss-self-ask = Remove your own administrator rights of { $org }? You will no longer manage the organization.
mg-dismiss-yes = Remove rights
mg-dismissed = The administrator rights are removed.
mg-dismissed-self = You are no longer an administrator of { $org }.
mg-dismissed-notice = You are no longer an administrator of { $org }.
mg-appoint-title = Whom to appoint as an administrator of { $org }? Only verified staff can be chosen.
mg-appoint-none = Nobody to appoint: every verified staff member is already an administrator, or there are no staff yet.
mg-appoint-ask = Make an administrator of { $org }: { $name }? An administrator reviews applications and manages staff, classes and administrators.
mg-appoint-yes = Appoint
mg-appoint-already = This person is already an administrator.
mg-appointed = { $name } is now an administrator.
mg-appointed-notice = You are now an administrator of { $org }. Open the menu: it has a new "Manage" section.

mg-export-ask = Export: { $org }. A CSV file (opens in Excel). What should I export?
mg-export-staff = Staff
mg-export-apps = Applications
mg-export-staff-done = Staff: { $org }.
mg-export-failed = The file could not be uploaded just now. Please try the export again a little later.
mg-export-apps-done = Applications: { $org }.

mg-input-empty = Please send your answer as text.
mg-input-too-short = Too short.
mg-input-too-long = Too long: at most { $max }.
mg-input-control = The text has control characters. Please write plain text.
mg-input-no-letters = Letters or digits are needed.
mg-input-too-many = Too many at once: at most { $max }.
