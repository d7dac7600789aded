"""Policybook: a staff-handbook website from policies written as YAML.

The pipeline: ``load`` (parse, validate, check) -> ``model`` -> ``edition``
-> ``views`` (handbook, checklists, comparisons, schedule) -> ``pages`` ->
``outputs`` (export, comparison formats, printed checklists), with
``mkdocs_adapter`` the one package that knows the site engine.
"""

from .edition import Edition, select_edition
from .errors import PolicybookError, Problem
from .load import LoadResult, load_handbook
from .pages.site import SiteOptions, SitePage, build_site

__all__ = ["Edition", "LoadResult", "PolicybookError", "Problem", "SiteOptions", "SitePage", "build_site", "load_handbook", "select_edition"]
