"""``python -m generator`` runs the policybook command."""

from .cli import console

console()
