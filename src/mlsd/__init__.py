"""mlsd: diagram-as-code for machine-learning system design."""

__version__ = "0.1.0"
