"""The public widget: its script, the config it reads, the hosted survey page and the demo shop."""
