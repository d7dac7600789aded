"""Templates compiled by an earlier run are reused only where they are the same code."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import pytest

from policybook.speed.compiled_templates import CompiledTemplates, template_cache
from policybook.render import Renderer
from tests.test_site_build import TODAY, copy_project


class _Compiles:
    """Counts the templates an environment compiles from source."""

    def __init__(self, monkeypatch):
        self.names: list[str] = []
        real = jinja2.Environment.compile

        def compile_(env, source, name=None, filename=None, raw=False, defer_init=False):
            self.names.append(name)
            return real(env, source, name, filename, raw, defer_init)
        monkeypatch.setattr(jinja2.Environment, "compile", compile_)


def _environment(folder: Path, cache, **settings) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(folder), bytecode_cache=cache, **settings)


def test_a_second_renderer_loads_what_the_first_compiled_and_renders_the_same(tmp_path, monkeypatch):
    cache = CompiledTemplates(str(tmp_path))
    first = Renderer(bytecode_cache=cache).env.get_template("_macros.html.j2")
    compiles = _Compiles(monkeypatch)
    second = Renderer(bytecode_cache=cache).env.get_template("_macros.html.j2")
    assert compiles.names == []
    assert list(tmp_path.glob("policybook-*.cache"))
    macros = sorted(name for name in vars(first.module) if not name.startswith("_"))
    assert macros and sorted(name for name in vars(second.module) if not name.startswith("_")) == macros


def test_a_changed_template_is_compiled_again(tmp_path):
    templates, cache = tmp_path / "templates", CompiledTemplates(str(tmp_path))
    templates.mkdir()
    (templates / "t.html").write_text("one {{ x }}")
    assert _environment(templates, cache).get_template("t.html").render(x=1) == "one 1"
    (templates / "t.html").write_text("two {{ x }}")
    assert _environment(templates, cache).get_template("t.html").render(x=1) == "two 1"


@pytest.mark.parametrize("settings, other", [
    ({"autoescape": True}, {"autoescape": False}),
    ({}, {"variable_start_string": "[[", "variable_end_string": "]]"}),
    ({"trim_blocks": True}, {"trim_blocks": False}),
])
def test_environments_that_compile_differently_never_share_code(tmp_path, settings, other):
    templates, cache = tmp_path / "templates", CompiledTemplates(str(tmp_path))
    templates.mkdir()
    (templates / "t.html").write_text("{% if 1 %}\n{{ x }}[[ x ]]{% endif %}")
    one = _environment(templates, cache, **settings).get_template("t.html").render(x="<b>")
    two = _environment(templates, cache, **other).get_template("t.html").render(x="<b>")
    assert one == _environment(templates, None, **settings).get_template("t.html").render(x="<b>")
    assert two == _environment(templates, None, **other).get_template("t.html").render(x="<b>")
    assert one != two


def test_a_filter_called_with_the_context_is_another_environment(tmp_path):
    # The compiled code passes the context to a pass_context filter: code
    # compiled for a plain filter of the same name would call it wrongly.
    templates, cache = tmp_path / "templates", CompiledTemplates(str(tmp_path))
    templates.mkdir()
    (templates / "t.html").write_text("{{ 'a'|f }}")
    plain = _environment(templates, cache)
    plain.filters["f"] = lambda value: value + "!"
    assert plain.get_template("t.html").render() == "a!"
    with_context = _environment(templates, cache)
    with_context.filters["f"] = jinja2.pass_context(lambda context, value: value + context["mark"])
    assert with_context.get_template("t.html").render(mark="?") == "a?"


def test_a_damaged_or_unwritable_cache_compiles_as_without_one(tmp_path):
    templates, folder = tmp_path / "templates", tmp_path / "cache"
    templates.mkdir()
    folder.mkdir()
    (templates / "t.html").write_text("{{ x }}!")
    cache = CompiledTemplates(str(folder))
    assert _environment(templates, cache).get_template("t.html").render(x=1) == "1!"
    for file in folder.iterdir():
        file.write_bytes(file.read_bytes()[:20] + b"\x00garbage")
    assert _environment(templates, cache).get_template("t.html").render(x=2) == "2!"
    for file in folder.iterdir():
        file.unlink()
    folder.rmdir()  # the folder has gone: nothing can be written
    assert _environment(templates, cache).get_template("t.html").render(x=3) == "3!"


def test_an_autoescape_function_is_not_cached(tmp_path):
    templates, cache = tmp_path / "templates", CompiledTemplates(str(tmp_path / "cache"))
    templates.mkdir()
    (tmp_path / "cache").mkdir()
    (templates / "t.html").write_text("{{ x }}")
    env = _environment(templates, cache, autoescape=jinja2.select_autoescape())
    assert env.get_template("t.html").render(x="<") == "&lt;"
    assert not list((tmp_path / "cache").iterdir())


def test_a_second_build_compiles_no_template(tmp_path, monkeypatch):
    # The plugin hands the cache to Policybook's renderer and to the theme's
    # environment: the second build of the sample compiles none of their
    # templates. (Material's search plugin translates its labels with an
    # environment of its own in on_config, before any plugin sees one.)
    monkeypatch.setenv("POLICYBOOK_TEMPLATE_CACHE", str(tmp_path / "compiled"))
    from policybook.mkdocs_adapter.build import build_site_atomically

    (tmp_path / "project").mkdir()
    project = copy_project(tmp_path / "project")
    compiles = _Compiles(monkeypatch)
    first = build_site_atomically(project / "mkdocs.yml", today=TODAY)
    compiled_first = list(compiles.names)
    pages = {path.relative_to(first): path.read_bytes() for path in first.rglob("*") if path.is_file()}
    compiles.names.clear()
    second = build_site_atomically(project / "mkdocs.yml", today=TODAY)
    assert "policy.md.j2" in compiled_first and "main.html" in compiled_first
    assert compiles.names and set(compiles.names) <= {"partials/language.html", "partials/languages/en.html"}
    assert {path.relative_to(second): path.read_bytes() for path in second.rglob("*") if path.is_file()} == pages


def test_the_cache_folder_is_the_users_choice(tmp_path, monkeypatch):
    monkeypatch.setenv("POLICYBOOK_TEMPLATE_CACHE", "off")
    assert template_cache() is None
    monkeypatch.setenv("POLICYBOOK_TEMPLATE_CACHE", str(tmp_path / "new" / "folder"))
    cache = template_cache()
    assert cache is not None and Path(cache.directory) == tmp_path / "new" / "folder" and cache.directory
    assert (tmp_path / "new" / "folder").is_dir()
    (tmp_path / "file").write_text("")
    monkeypatch.setenv("POLICYBOOK_TEMPLATE_CACHE", str(tmp_path / "file" / "below"))  # cannot be made: none
    assert template_cache() is None
    monkeypatch.delenv("POLICYBOOK_TEMPLATE_CACHE")
    assert template_cache().directory.endswith(f"_jinja2-cache-{os.getuid()}")


def test_policybooks_compiled_code_is_never_loaded_by_a_plain_environment(tmp_path):
    # The renderer's environment compiles {{ value }} to a call that only it has
    # (render._CodeGenerator): same settings and filters otherwise.
    from policybook.render import html_line

    templates, cache = tmp_path / "templates", CompiledTemplates(str(tmp_path))
    templates.mkdir()
    (templates / "t.html").write_text("{{ x }}")
    ours = Renderer(loader=jinja2.FileSystemLoader(templates), bytecode_cache=cache).env
    assert ours.get_template("t.html").render(x="<b>") == "&lt;b&gt;"
    plain = _environment(templates, cache, autoescape=True, trim_blocks=True, lstrip_blocks=True,
                         keep_trailing_newline=True, comment_start_string="{##", comment_end_string="##}",
                         finalize=html_line, undefined=jinja2.StrictUndefined)
    plain.filters = dict(ours.filters)
    assert plain.get_template("t.html").render(x="<b>") == "&lt;b&gt;"
