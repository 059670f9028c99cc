"""Administrators decide applications (decisions), the people concerned are told (notices),
and what waits too long is reminded about or expires (jobs)."""
