## Applying for verification (the conversation) and "My applications".

apply-menu-continue = Continue application
apply-prev = ‹
apply-next = ›
apply-page = Page { $page } of { $pages }
apply-keep = Keep: { $value }

## Step 1. Organization
apply-org-ask =
    Let's find your organization. Type part of its name, the city or the INN (10 digits).
    For example: "school 5" or "gymnasium 2 Kazan".
apply-org-current = Selected now: { $org }. Tap it to keep it, or type a query to find another one.
apply-org-found = Found: { $total }. Choose your organization:
apply-org-found-many = Found more than { $max }. Here are the best matches; better narrow the query: add a number or a city.
apply-org-item = { $n }. { $org }
apply-org-refine = Not there? Type a more precise query.
apply-org-none =
    Nothing found for "{ $query }". Try differently: part of the name, a number, the city or the INN.
    If the organization is not in the catalogue, ask its administrator to send you an invitation link.
apply-org-gone = This organization no longer accepts applications.
apply-other-org = You can choose another organization: type its name.

## Step 2. Role
apply-role-ask =
    Organization: { $org }
    What is your job? Choose a role.

## Step 3. Full name
apply-name-ask = Type your surname, first name and patronymic as in your documents. For example: Ivanova Anna Sergeevna.
apply-name-vk = If your VK profile has the same name, just tap the button with it.

## Step 4. Position
apply-position-ask = Your position? For example: maths teacher, deputy head. You may skip this step.
apply-position-skip = Skip

## Step 5. Classes
apply-classes-ask =
    Which classes or groups do you work with? Tap them (several are fine) or type them separated by commas, then "Done". You may choose none.
    Available: { $classes }
apply-classes-chosen = Chosen: { $classes }
apply-classes-none = Nothing chosen yet.
apply-classes-done = Done

## Step 6. Review
apply-review =
    Check your application:
    Organization: { $org }
    Role: { $role }
    Full name: { $name }
    Position: { $position }
apply-review-classes = Classes: { $classes }
apply-review-no-position = not given
apply-review-no-classes = none chosen
apply-review-hint = All correct? Tap "Send application" or change what is needed.
apply-submit = Send application
apply-edit-org = ✏️ Organization
apply-edit-role = ✏️ Role
apply-edit-name = ✏️ Full name
apply-edit-position = ✏️ Position
apply-edit-classes = ✏️ Classes
apply-filed =
    Application No. { $id } has been sent.
    Organization: { $org }
    The organization's administrator will check it and confirm your profile; I will write as soon as there is a decision. Its status is in "My applications".

## Cancelling, drafts, outdated buttons
apply-cancel-ask = Cancel the application? Everything you entered will be deleted.
apply-cancel-yes = Yes, cancel
apply-cancel-no = No, continue
apply-cancelled = The application is cancelled. You can start a new one from the menu at any time.
apply-draft-exists = You have an unfinished application. Continue it or start over?
apply-continue = Continue
apply-restart = Start over
apply-draft-lost = I could not restore your application; let's start again.
apply-stale = This button is out of date. Here is the current step:

## When an application cannot be filed
apply-block-member =
    You are already verified as a member of this organization; there is no need to confirm again.
    Organization: { $org }
apply-block-open =
    You already have application No. { $id } of { $date } to this organization; there is no need for a second one.
    Organization: { $org }
    Status: { $status }
apply-withdraw-open = Withdraw application
apply-block-cooldown =
    Your previous application to this organization was rejected. Reason: { $reason }
    You can apply again in { $hours ->
        [0] { $minutes } min
       *[other] { $hours } h { $minutes } min
    }.
    Organization: { $org }
apply-block-limit = Applications under review: { $count }; that is the maximum. Wait for a decision or withdraw one of them in "My applications".
apply-block-rate = You have sent too many applications in the last hour. Try again in { $hours ->
        [0] { $minutes } min
       *[other] { $hours } h { $minutes } min
    }.
apply-no-reason = not given

## Input errors (the bot asks the step's question again after them)
apply-err-empty = I see no letters or digits in the message. Please answer in words.
apply-err-control = The message has invisible control characters. Please type the answer as plain text.
apply-err-too-long = Too long: at most { $max } characters.
apply-err-short = To search, type at least two letters of the name, a number, the city or the INN.
apply-err-digits = A full name has no digits.
apply-err-words = Type your surname, first name and patronymic (if any): two or three words.
apply-err-letters = A full name may contain only letters, hyphens and apostrophes.
apply-err-mixed = One word mixes Cyrillic and Latin letters. Type the name in one keyboard layout.
apply-err-no-letters = Please type the position in words.
apply-err-not-text = Stickers, photos and files are not needed here; please answer with text.
apply-err-classes = I could not find such a class. Tap a class button or type its name exactly as listed.
apply-err-button = Choose an option with the buttons below the message.

## My applications
apps-title = Your applications:
apps-empty = You have no applications yet. To confirm your staff profile, tap "Confirm my profile".
apps-item =
    No. { $id }: { $org }
    { $role }, filed { $date }
    Status: { $status }
apps-reason = Reason: { $reason }
apps-withdraw = Withdraw application No. { $id }
apps-withdraw-ask = Withdraw application No. { $id }? The administrators will no longer see it. You can file a new one at any time.
    Organization: { $org }
apps-withdraw-yes = Yes, withdraw
apps-withdraw-no = No
apps-withdrawn = Application No. { $id } has been withdrawn.
apps-not-pending = Application No. { $id } is no longer under review. Status: { $status }
apps-not-found = There is no such application.
