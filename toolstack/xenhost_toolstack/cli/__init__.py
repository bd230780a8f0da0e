"""xe's command line: syntax, selection, printing, commands."""
from .main import main  # noqa: F401
