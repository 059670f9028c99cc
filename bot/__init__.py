"""staff-verify-bot: VK Messenger bot that verifies staff of educational organizations."""
