"""The plugin's options in ``mkdocs.yml``; each option checks its own value."""

from __future__ import annotations

import datetime as dt

from mkdocs.config import base
from mkdocs.config import config_options as c

from ..clock import DateError, checked_date
from ..edition import Edition
from ..views.reading import MARK_CHANGES_DAYS
from .pagefind_search import SearchEngine


class BuildDate(c.BaseConfigOption[dt.date]):
    """A YYYY-MM-DD date, as ``--today`` takes: YAML reads an unquoted one as a date, a quoted one as text."""

    def run_validation(self, value: object) -> dt.date:
        is_date = isinstance(value, dt.date) and not isinstance(value, dt.datetime)
        try:
            return checked_date(value.isoformat() if is_date else str(value))
        except DateError as error:
            raise base.ValidationError(str(error)) from None


class PolicybookConfig(base.Config):
    policies_dir = c.Type(str, default="policies")
    """The folder of handbook YAML, relative to mkdocs.yml."""
    preview_drafts = c.Type(bool, default=False)
    """Include draft policies in role checklists (a preview build)."""
    today = c.Optional(BuildDate())
    """Build date for the review schedule; defaults to SOURCE_DATE_EPOCH or today."""
    edition = c.Choice([e.value for e in Edition], default=Edition.STAFF.value)
    """``staff`` (everything) or ``public`` (only what is marked ``visibility: public``)."""
    public_site_name = c.Optional(c.Type(str))
    """``site_name`` of the public edition; default: the organisation's name and "policies"."""
    mark_changes_days = c.Type(int, default=MARK_CHANGES_DAYS)
    """Days after a version takes effect that its page marks new and changed clauses ("New in v5"); 0: never."""
    search = c.Choice([e.value for e in SearchEngine], default=SearchEngine.AUTO.value)
    """``material`` (Lunr, in the browser), ``pagefind`` (prebuilt index) or ``auto`` (Pagefind for big handbooks)."""


def search_plugin(config):
    """The search plugin in this MkDocs configuration (Material's, under either of its names), or ``None``."""
    return config.plugins.get("material/search") or config.plugins.get("search")


def offline_plugin(config):
    """Material's offline plugin in this MkDocs configuration (under either of its names), or ``None``."""
    return config.plugins.get("material/offline") or config.plugins.get("offline")
