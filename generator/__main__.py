"""`python -m generator` is the `dyad` command."""

from .cli import main

main()
