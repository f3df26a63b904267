"""The command line: entry point (main), reporting helpers, broadcast operator commands."""
