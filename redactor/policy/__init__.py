"""Policy: the base policy table, labels, and the rules organisations add."""
