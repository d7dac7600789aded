"""Outputs that need no site engine: comparison formats, printed checklists, export."""
