"""Local stand-ins for outside services (identity provider…), real enough to talk HTTP to."""
