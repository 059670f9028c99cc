"""What lets the bot run without a real messenger: API emulators and the sandbox built on them."""
