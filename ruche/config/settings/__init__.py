"""Settings: one module per situation (base, demo, test, production),
all read from the environment."""
