"""The engine boundary: only ``mkdocs_adapter`` knows MkDocs, Material or Python-Markdown internals.

The core may use Python-Markdown's public extension API to render clause
text (``render.text``); everything that depends on how MkDocs, Material or
Markdown work inside lives in the adapter. The commands that need no site
engine run with MkDocs and Material impossible to import.
"""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

import policybook
from tests.conftest import SAMPLE_POLICIES

PACKAGE = Path(policybook.__file__).parent
ADAPTER = PACKAGE / "mkdocs_adapter"
ENGINES = ("mkdocs", "material", "pymdownx")
#: Python-Markdown's documented API for converting text and writing extensions.
MARKDOWN_PUBLIC = {"markdown", "markdown.treeprocessors", "markdown.inlinepatterns", "markdown.extensions"}


#: The composition root: the one module outside the adapter that may import it (for build and serve).
COMPOSITION_ROOT = PACKAGE / "cli.py"


def _imports(path: Path, package: str | None = None) -> list[tuple[int, str]]:
    """Every module ``path`` imports, absolute: ``from markdown import util`` is ``markdown.util``,
    ``from ..mkdocs_adapter import x`` is ``policybook.mkdocs_adapter``, and so is a literal
    ``importlib.import_module("...")`` or ``__import__("...")``."""
    if package is None:  # the package ``path`` is in
        package = ".".join(["policybook", *path.relative_to(PACKAGE).parts[:-1]])
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")
                parent = parent[:len(parent) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            found += [(node.lineno, _submodule(base, alias.name)) for alias in node.names]
        elif (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)
              and isinstance(node.args[0].value, str)
              and (isinstance(node.func, ast.Name) and node.func.id == "__import__"
                   or isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")):
            found.append((node.lineno, node.args[0].value))
    return found


def _submodule(module: str, name: str) -> str:
    """``module.name`` when that is a module of its own, else ``module``."""
    try:
        return f"{module}.{name}" if importlib.util.find_spec(f"{module}.{name}") is not None else module
    except (ImportError, ValueError):
        return module


def _engine_import(module: str) -> bool:
    top = module.split(".")[0]
    return top in ENGINES or (top == "markdown" and module not in MARKDOWN_PUBLIC)


def _adapter_import(module: str) -> bool:
    return module == "policybook.mkdocs_adapter" or module.startswith("policybook.mkdocs_adapter.")


def test_only_the_adapter_imports_engine_internals():
    core = [path for path in PACKAGE.rglob("*.py") if ADAPTER not in path.parents]
    assert len(core) > 20
    offending = [f"{path.relative_to(PACKAGE)}:{line}: {module}"
                 for path in core for line, module in _imports(path) if _engine_import(module)]
    assert offending == []


def test_the_core_does_not_import_the_adapter():
    core = [path for path in PACKAGE.rglob("*.py") if ADAPTER not in path.parents and path != COMPOSITION_ROOT]
    offending = [f"{path.relative_to(PACKAGE)}:{line}: {module}"
                 for path in core for line, module in _imports(path) if _adapter_import(module)]
    assert offending == []
    assert any(_adapter_import(module) for _, module in _imports(COMPOSITION_ROOT))


SPEED = PACKAGE / "speed"
"""The speed devices the core takes as arguments (``map_items=``, ``bytecode_cache=``) or is wrapped in (the
collector's pause), never imports."""


def _speed_import(module: str) -> bool:
    return module == "policybook.speed" or module.startswith("policybook.speed.")


def test_the_core_is_handed_its_speed_devices():
    core = [path for path in PACKAGE.rglob("*.py")
            if ADAPTER not in path.parents and SPEED not in path.parents and path != COMPOSITION_ROOT]
    offending = [f"{path.relative_to(PACKAGE)}:{line}: {module}"
                 for path in core for line, module in _imports(path) if _speed_import(module)]
    assert offending == []
    assert any(_speed_import(module) for _, module in _imports(COMPOSITION_ROOT))


def test_the_boundary_check_sees_an_engine_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import json\nfrom markdown.util import STX\nfrom markdown import util, Markdown\n"
                      "from markdown.extensions import Extension\ndef f():\n    import mkdocs.config\n"
                      "    importlib.import_module('material.plugins')\n    __import__('pymdownx')\n", encoding="utf-8")
    assert [module for _, module in _imports(sample, "policybook") if _engine_import(module)] == [
        "markdown.util", "markdown.util", "mkdocs.config", "material.plugins", "pymdownx"]


def test_the_boundary_check_sees_a_relative_import_of_the_adapter(tmp_path):
    sample = tmp_path / "probe.py"  # read as a module of policybook.views
    sample.write_text("from ..mkdocs_adapter import plugin\nfrom .. import mkdocs_adapter\nfrom . import compare\n",
                      encoding="utf-8")
    assert [module for _, module in _imports(sample, "policybook.views")] == [
        "policybook.mkdocs_adapter.plugin", "policybook.mkdocs_adapter", "policybook.views.compare"]


_BLOCKED = """
import sys

class _NoEngine:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"mkdocs", "material", "pymdownx"}:
            raise ModuleNotFoundError(f"{name} is blocked for this test", name=name)
        return None

sys.meta_path.insert(0, _NoEngine())
sys.argv = ["policybook", *sys.argv[1:]]
from policybook.cli import main
main()
"""


@pytest.mark.parametrize("command", [
    ["validate", str(SAMPLE_POLICIES)],
    ["export", "{out}", "-p", str(SAMPLE_POLICIES), "--today", "2026-11-01"],
    ["diff", "social-media", "4", "5", "-p", str(SAMPLE_POLICIES), "--format", "markdown"],
    ["diff", "social-media", "4", "5", "-p", str(SAMPLE_POLICIES), "--format", "json"],
    ["checklist", "dsl", "-p", str(SAMPLE_POLICIES), "--format", "markdown", "-o", "{out}/dsl.md", "--today", "2026-11-01"],
    ["review", "-p", str(SAMPLE_POLICIES), "--today", "2026-11-01"],
    ["pack", "acceptable-use", "2", "-p", str(SAMPLE_POLICIES), "--format", "html", "-o", "{out}/pack.html", "--today", "2026-11-01"],
], ids=["validate", "export", "diff-markdown", "diff-json", "checklist-markdown", "review", "pack-html"])
def test_engine_free_commands_run_without_mkdocs(command, tmp_path):
    args = [part.replace("{out}", str(tmp_path / "out")) for part in command]
    (tmp_path / "out").mkdir()
    result = subprocess.run([sys.executable, "-c", _BLOCKED, *args], capture_output=True, text=True, cwd=tmp_path,
                            timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "blocked" not in result.stderr


def test_build_says_what_is_missing_without_mkdocs(tmp_path):
    result = subprocess.run([sys.executable, "-c", _BLOCKED, "build"], capture_output=True, text=True, cwd=tmp_path,
                            timeout=300)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: building a site needs MkDocs and Material for MkDocs"), result.stderr


def _html(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}


def test_a_changed_engine_internal_takes_the_plain_path_to_the_same_pages(tmp_path, monkeypatch, caplog):
    import logging

    from policybook.mkdocs_adapter import internals
    from policybook.mkdocs_adapter.build import build_site_atomically
    from tests.test_site_build import TODAY, copy_project

    project = copy_project(tmp_path)
    usual = build_site_atomically(project / "mkdocs.yml", site_dir=tmp_path / "usual", today=TODAY)
    # As a MkDocs release that renamed what the page class sets, and changed the page builder.
    monkeypatch.setattr(internals, "PAGE_ATTRIBUTES", (*internals.PAGE_ATTRIBUTES, "_renamed_by_a_release"))
    monkeypatch.setattr(internals, "_build_page", lambda: (lambda page, config: None))
    with caplog.at_level(logging.WARNING):
        plain = build_site_atomically(project / "mkdocs.yml", site_dir=tmp_path / "plain", today=TODAY)
    warnings = [r.getMessage() for r in caplog.records if "changed in this release" in r.getMessage()]
    assert any("Page.read_source" in w for w in warnings) and any("_build_page" in w for w in warnings)
    assert internals.check_internals().generated_pages is False
    usual_pages, plain_pages = _html(usual), _html(plain)
    assert len(usual_pages) > 40 and plain_pages == usual_pages
