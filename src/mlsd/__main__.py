"""Allow ``python -m mlsd``."""

from mlsd.cli import main

main()
