"""Analysis: the pure engine (engine/, no Django) and, later, its services and results."""
