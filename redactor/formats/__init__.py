"""File formats: each module reads a format into a Document, writes it back
redacted, and re-reads its own output independently to verify it."""
