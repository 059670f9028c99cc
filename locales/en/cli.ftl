## The deployer's command line: python -m bot <command>.

cli-description = Without a command: run the bot (settings from the environment and .env). With one: manage the database directly; only DATABASE_PATH is needed (check also needs the VK settings).
cli-commands = commands
cli-org = organizations
cli-org-commands = org commands
cli-admin = organization administrators
cli-admin-commands = admin commands
cli-staff = organization staff
cli-staff-commands = staff commands
cli-audit = the audit trail
cli-audit-commands = audit commands
cli-version = show the version and exit
cli-org-add = create an organization
cli-org-add-name = full name
cli-org-add-short = short name (default: the full name)
cli-org-add-type = one of: { $types }
cli-org-add-inn = 10 digits (12 for an entrepreneur)
cli-org-add-region = region
cli-org-add-city = city or town
cli-org-add-admin = VK id of its first administrator
cli-org-import = import organizations from a CSV file
cli-org-import-file = the CSV file
cli-org-list = list organizations (tab-separated)
cli-org-list-archived = list the archived ones instead
cli-org-list-search = only those matching name, city or INN
cli-org-show = an organization's card: its data, administrators, staff count
cli-org-archive = archive an organization (hidden from search and menus)
cli-org-restore = bring an archived organization back
cli-org-id = the organization's number
cli-admin-add = appoint an administrator of an organization
cli-admin-list = an organization's administrators
cli-admin-remove = remove an administrator (the last one only with --force)
cli-admin-force = remove even the last one
cli-vk-id = the person's numeric VK id
cli-staff-export = write an organization's verified staff to a CSV file (UTF-8, ;)
cli-out = the file to write
cli-audit-export = write an organization's audit trail to a CSV file (as the staff export)
cli-check = check the VK community's configuration through the API
cli-check-fix = turn on what the API can turn on
cli-backup = back the database up while the bot runs
cli-backup-file = the backup file
cli-restore = restore the database from a backup (the bot must be stopped)
cli-restore-file = the backup file
cli-csv-help =
    The file: UTF-8 (with or without BOM, as Excel's "CSV UTF-8" saves it), one organization
    per line, a header line first naming the columns, separated by ";" or "," (whichever the
    header uses). Columns, in any order:
      name        full name, { $min }-{ $max } characters (required)
      short_name  short name (optional; empty means the same as name)
      type        { $types } (or the type's Russian name)
      inn         10 digits (12 for an individual entrepreneur), check digits verified (required)
      region      region, e.g. Sverdlovsk Oblast (required)
      city        city or town (required)
    Example:
      name;short_name;type;inn;region;city
      "Gymnasium No 2, Pushkin street";Gymnasium No 2;school;7707083893;Moscow;Moscow

    All or nothing: if any line is bad, nothing is imported and every bad line is listed with
    its number and why. Organizations whose INN is already in the database are left as they
    are, so importing the same file again adds nothing.

cli-error = error: { $message }
cli-use-type = Use one of: { $types }.
cli-setting-invalid = setting { $name } is invalid: { $hint }
cli-cannot-read = cannot read { $file }: { $reason }
cli-cannot-write = cannot write { $file }: { $reason }
cli-db-error = database error { $path }: { $reason }
cli-org-created = Created organization No. { $id }: { $name }.
cli-org-created-admin = Created organization No. { $id }: { $name }. Administrator: VK id { $admin }.
cli-import-line = line { $line }: { $reasons }
cli-import-bad = nothing imported: { $bad } of { $rows } rows are bad (listed above)
cli-import-done = rows: { $rows }, new organizations: { $created }, already present (same INN): { $existing }
cli-org-list-header = id	inn	type	name	region	city
cli-archived = archived
cli-already-archived = already archived
cli-restored = restored
cli-not-archived = not archived
cli-appointed = appointed
cli-already-admin = already an administrator
cli-removed = removed
cli-not-admin = VK id { $vk_id } is not an administrator of organization No. { $id }
cli-last-admin = VK id { $vk_id } is the last administrator of organization No. { $id }; without one nobody reviews applications. Appoint another first, or add --force.
cli-admin-list-header = VK id	name	appointed
cli-unknown-name = (name unknown)
cli-show-name = Name: { $value }
cli-show-short = Short name: { $value }
cli-show-type = Type: { $value }
cli-show-inn = INN: { $value }
cli-show-place = Region, city: { $region }, { $city }
cli-show-status = Status: { $value }
cli-show-active = active
cli-show-archived = archived since { $date }
cli-show-staff = Verified staff: { $count }
cli-show-pending = Applications pending: { $count }
cli-show-admins = Administrators: { $list }
cli-show-no-admins = No administrators: appoint one with admin add.
cli-staff-written = { $count } staff of organization { $id } written to { $file }
cli-audit-written = { $count } audit entries of organization { $id } written to { $file }
cli-backup-done = Backup written: { $file }, { $size }, integrity check passed.
cli-backup-bad = the backup { $file } failed the integrity check: { $reason }
cli-restore-running = a bot is running on the database (process { $pid }, started { $since }); stop it and run restore again
cli-restore-bad = { $file } is not a sound database of the bot: { $reason }
cli-restore-done = Database { $path } restored from { $file } ({ $size }).
cli-size-mb = { $value } MB
cli-size-kb = { $value } KB

argparse-usage = usage:
argparse-positional = positional arguments
argparse-options = options
argparse-help = show this help message and exit
argparse-version = show program's version number and exit
argparse-invalid-choice = invalid choice: %(value)r (choose from %(choices)s)
argparse-required = the following arguments are required: %s
argparse-unrecognized = unrecognized arguments: %s
argparse-argument = argument %(argument_name)s: %(message)s
argparse-invalid-value = invalid %(type)s value: %(value)r
argparse-expected-one = expected one argument
argparse-see-help = see --help
