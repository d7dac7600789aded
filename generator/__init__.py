"""Policybook: a staff-handbook website from policies written as YAML.

The pipeline: ``load`` (parse, validate, check) -> ``model`` -> ``views``
(handbook, checklists, comparisons, schedule) -> ``site`` (pages) ->
``mkdocs_plugin`` or ``policybook export``.
"""

from .edition import Edition, select_edition
from .errors import PolicybookError, Problem
from .load import LoadResult, load_handbook
from .pages.site import SiteOptions, SitePage, build_site

__all__ = ["Edition", "LoadResult", "PolicybookError", "Problem", "SiteOptions", "SitePage", "build_site", "load_handbook", "select_edition"]
