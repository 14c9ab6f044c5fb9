"""`python -m mlsd.review [PATH]`: rewrite the rule reference (default docs/rules.md)."""

from mlsd.review.docs import main

raise SystemExit(main())
