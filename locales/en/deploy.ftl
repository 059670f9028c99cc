## Texts for the deployer: the terminal, the start-up log, the check command.

settings-bad = Settings not accepted ({ $source }). Fix:
settings-env-read = read the file { $path }
settings-env-missing = there is no { $path }, settings come from the environment only
settings-env-none = no .env file was read
settings-missing = { $name } is not set: { $hint }
settings-empty = { $name } is empty: { $hint }
settings-invalid = { $name } is invalid: { $hint }

hint-vk-token = put the community access token (Manage → API usage → Access tokens).
hint-vk-group-id = put the numeric id of the community, a positive integer, without "club".
hint-vk-api-url = use an http(s) URL ending with "/", e.g. https://api.vk.com/method/.
hint-vk-api-version = use 5.199.
hint-vk-rps = use a whole number of requests per second, 1 to 1000 (VK allows 20).
hint-superadmin-ids = use comma-separated VK user ids, e.g. 1,2,3.
hint-database-path = use a file path in a folder that can be written, e.g. data/bot.sqlite3.
hint-default-locale = use ru or en.
hint-log-level = use TRACE, DEBUG, INFO, WARNING or ERROR.
hint-log-format = use text or json.
hint-update-max-attempts = use a whole number of attempts, 1 to 100.
hint-vk-mode = use longpoll or callback.
hint-callback-url = put the public https:// address VK posts to, e.g. https://bot.example.org/vk/callback.
hint-callback-secret = put the Callback API secret key (Latin letters and digits).
hint-callback-host = put the address to listen on, e.g. 127.0.0.1.
hint-callback-port = use a port number from 1 to 65535 (0 picks a free one).
hint-health-port = use a port number from 1 to 65535, or 0 to turn it off.
hint-backup-dir = put the folder for daily backups, or leave it empty to turn them off.
hint-backup-keep = put how many backups to keep: 1 to 1000.
hint-apply-cooldown-hours = use a number of hours, 0 or more.
hint-max-open-applications = use a whole number, 1 or more.
hint-submissions-per-hour = use a whole number, 1 or more.
hint-remind-after-hours = use a number of hours above 0.
hint-expire-after-days = use a number of days above 0.
hint-wrong-codes-limit = use a whole number, 1 or more.
hint-wrong-codes-window-minutes = use a number of minutes above 0.

start-database = Cannot open the database { $path } ({ $reason }). Check DATABASE_PATH: its folder must exist or be creatable, and be writable.
start-locked = Another bot is already running on the database { $path } (process { $pid }, started { $since }). Stop it or use another DATABASE_PATH.
start-token = VK rejected the access token ({ $reason }). Check VK_TOKEN: create a community token in Manage → API usage → Access tokens.
start-user-token = VK_TOKEN is not a community token ({ $reason }). Create one in your community's Manage → API usage → Access tokens.
start-other-group = VK_TOKEN belongs to community { $actual } ("{ $name }"), but VK_GROUP_ID = { $expected }. Set VK_GROUP_ID={ $actual } or use a token of community { $expected }.
start-no-group = There is no community { $expected } in VK, and the token belongs to community { $actual }. Check VK_GROUP_ID (the number in the address club{ $actual }).
start-not-vk = What answers at { $url } is not VK's API ({ $reason }). Check VK_API_URL: usually https://api.vk.com/method/.
start-vk-error = VK answered an error while checking the token ({ $reason }). Check VK_TOKEN and VK_GROUP_ID.
start-port = Cannot open a port ({ $reason }). Check CALLBACK_HOST, CALLBACK_PORT and HEALTH_PORT: the port must be free.
start-retry = VK unreachable at start ({ $reason }); attempt { $attempt } in { $delay } s
start-env = Settings: { $source }

check-title = Checking community { $group } through { $url }:
check-token-ok = The access token is a token of community { $group } ("{ $name }").
check-unreachable = VK is unreachable ({ $reason }); check the network and try again.
check-rights-ok = Token rights: { $rights }.
check-rights-missing = The token lacks rights: { $missing }. A token's rights cannot be changed: create a new token with the rights messages, photos, docs and manage (Manage → API usage → Access tokens) and put it in VK_TOKEN.
check-no-manage = Cannot read the { $what } settings: the token has no "manage" right.
check-lp-ok = Long Poll API is on, version { $version }, events: { $events }.
check-lp-off = Long Poll API is off.
check-lp-version = Long Poll API sends events of version { $actual }, the bot speaks { $expected }.
check-lp-events = Long Poll API events not ticked: { $events }.
check-lp-fix = Fix: python -m bot check --fix, or by hand in Manage → API usage → Long Poll API (enabled, version { $expected }, event types: { $events }).
check-cb-no-url = Callback mode, but CALLBACK_URL is not set: put the public https:// address VK is to post events to.
check-cb-no-secret = CALLBACK_SECRET is not set: anyone who learns the address could post events as VK. Set a secret key and run python -m bot check --fix again.
check-cb-missing = The server { $url } is not added to the Callback API.
check-cb-status = The server { $url } has the Callback API status "{ $status }": VK did not get the confirmation code from the bot.
check-cb-status-fix = Start the bot (VK_MODE=callback), check that the reverse proxy forwards { $url } to CALLBACK_HOST:CALLBACK_PORT, then run python -m bot check --fix again; or press "Confirm" in Manage → API usage → Callback API.
check-cb-secret = The server { $url } has another secret key in the Callback API than CALLBACK_SECRET: the bot would refuse its events. Put the same key in Manage → API usage → Callback API → Secret key.
check-cb-ok = Callback API: the server { $url } is confirmed, version { $version }, events: { $events }.
check-cb-version = Callback API sends events of version { $actual }, the bot speaks { $expected }.
check-cb-events = Callback API events not ticked: { $events }.
check-cb-fix = Fix: python -m bot check --fix, or by hand in Manage → API usage → Callback API (version { $expected }, event types: { $events }).
check-messages-ok = Community messages are on.
check-messages-off = Community messages are off. Turn them on by hand: Manage → Messages → Community messages: enabled.
check-cb-added = the server was added
check-fixed = fixed: { $what }
check-manual = By hand (the API cannot show it): Manage → Messages → Bot settings: turn on "Bot abilities" and the "Start" button.
check-summary-ok = All is well.
check-summary-bad = Problems: { $count }.
