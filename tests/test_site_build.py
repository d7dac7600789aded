"""End-to-end: the sample handbook builds with mkdocs --strict, with real content."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from click.testing import CliRunner

from policybook.mkdocs_adapter.build import build_site_atomically
from policybook.cli import cli
from policybook.load import load_handbook
from tests.conftest import ROOT, SAMPLE_POLICIES

TODAY = "2026-11-21"


def copy_project(target: Path) -> Path:
    for name in ("mkdocs.yml", "docs", "policies"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, target / name)
    return target


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    project = copy_project(tmp_path_factory.mktemp("project"))
    return build_site_atomically(project / "mkdocs.yml", today=TODAY)


@pytest.fixture(scope="module")
def handbook():
    return load_handbook(SAMPLE_POLICIES).handbook


def read(site: Path, page: str) -> str:
    return (site / page).read_text(encoding="utf-8")


def test_clause_has_a_permalink_anchor(built, handbook):
    html = read(built, "policies/social-media.html")
    clause = next(c for c in handbook.policy("social-media").adopted.clauses if c.id == "no-pupil-contacts")
    heading = re.search(r'<h3 id="no-pupil-contacts">(.*?)</h3>', html)
    assert heading, "clause heading with its stable id as anchor"
    assert clause.number in heading.group(1)
    assert 'href="#no-pupil-contacts"' in heading.group(1), "permalink"
    after = html[heading.end():heading.end() + 2000]
    assert clause.text.split()[0] in after


def test_role_page_lists_a_duty_it_only_gets_through_includes(built, handbook):
    adopted = handbook.policy("social-media").adopted
    inherited = [c for c in adopted.clauses if c.is_duty and "teacher" not in c.applies_to and "all-staff" in c.applies_to]
    assert inherited, "the sample needs an all-staff duty"
    teacher = read(built, "roles/teacher.html")
    for clause in inherited:
        assert f'href="../policies/social-media.html#{clause.id}"' in teacher
    assert "as All staff" in teacher


def test_comparison_marks_inserted_and_deleted_words(built):
    html = read(built, "policies/social-media/compare-v2-v3.html")
    assert "<ins>must</ins>" in html
    assert "<del>should</del>" in html
    assert "obligation strengthened" in html


def test_superseded_version_has_a_banner(built):
    html = read(built, "policies/social-media/v1.html")
    assert "Superseded" in html and "see the current version" in html
    assert "Superseded" not in read(built, "policies/social-media.html").split("Version history")[0]


def test_home_lists_every_policy(built, handbook):
    html = read(built, "index.html")
    for policy in handbook.policies:
        assert f'href="policies/{policy.id}.html"' in html


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href"):
            self.hrefs.append(attrs["href"])


def test_every_internal_link_resolves(built):
    parsed = {}
    for page in built.rglob("*.html"):
        parser = _Links()
        parser.feed(page.read_text(encoding="utf-8"))
        parsed[page] = parser
    broken = []
    for page, parser in parsed.items():
        if page.name == "404.html":  # MkDocs writes site-absolute links here by design
            continue
        for href in parser.hrefs:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//"):
                continue
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{page.relative_to(built)} -> {href}")
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in parsed[target].ids:
                broken.append(f"{page.relative_to(built)} -> {href} (no such anchor)")
    assert not broken, "\n".join(broken[:20])


def test_docs_folder_is_not_written(built):
    assert sorted(p.name for p in (ROOT / "docs").iterdir()) == ["about.md"]


def digest(folder: Path) -> str:
    sha = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        sha.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            sha.update(path.read_bytes())
    return sha.hexdigest()


def test_failed_build_leaves_the_previous_site(tmp_path, monkeypatch):
    project = copy_project(tmp_path)
    monkeypatch.chdir(project)
    runner = CliRunner()
    result = runner.invoke(cli, ["build", "--today", TODAY])
    assert result.exit_code == 0, result.output
    before = digest(project / "site")

    broken = project / "policies" / "social-media" / "v5.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("status: adopted", "status: adoptd"), encoding="utf-8")
    result = runner.invoke(cli, ["build", "--today", TODAY])
    assert result.exit_code == 1
    assert digest(project / "site") == before
    assert not [p for p in project.iterdir() if p.name.startswith(".site.")], "no staging folder left behind"


def test_validate_command_exit_codes(handbook_dir):
    runner = CliRunner()
    good = runner.invoke(cli, ["validate", str(SAMPLE_POLICIES)])
    assert good.exit_code == 0 and good.output.startswith("OK:")
    policies = handbook_dir({"demo/v1.yaml": "policy: demo\nversion: 1.10\n"})
    bad = runner.invoke(cli, ["validate", str(policies)])
    assert bad.exit_code == 1
    assert "demo/v1.yaml:2:10:" in str(bad.exception) or "demo/v1.yaml:2:10:" in bad.output


def test_mkdocs_build_stops_with_the_same_messages(tmp_path, caplog):
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    project = copy_project(tmp_path)
    broken = project / "policies" / "social-media" / "v5.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("obligation: must\n", "obligation: mustt\n", 1), encoding="utf-8")
    expected = [str(p) for p in load_handbook(project / "policies").problems]
    assert len(expected) == 1 and "did you mean 'must'?" in expected[0]
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "out"))
    with pytest.raises(Abort):
        mkdocs_build(config)
    # MkDocs logs a plugin's BuildError, then aborts.
    assert "policies/social-media/v5.yaml:" in caplog.text
    assert expected[0].split(":", 1)[1] in caplog.text
    assert not (tmp_path / "out" / "index.html").exists()


def test_an_mkdocs_that_writes_pages_elsewhere_than_the_links_lead_stops_the_build(tmp_path, monkeypatch, caplog):
    # Every link between generated pages follows urls.output_path; MkDocs' own layout must agree.
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort
    from mkdocs.structure.files import File

    real = File._get_dest_path

    def elsewhere(self, use_directory_urls=None):
        path = real(self, use_directory_urls)
        return f"pages/{path}" if path.endswith(".html") else path

    moved = functools.cached_property(elsewhere)
    moved.__set_name__(File, "dest_uri")  # as the class statement does for MkDocs' own
    monkeypatch.setattr(File, "dest_uri", moved)
    project = copy_project(tmp_path)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "out"))
    with pytest.raises(Abort):
        mkdocs_build(config)
    assert "MkDocs writes index.md to pages/index.html, and Policybook's links lead to index.html" in caplog.text
    assert not (tmp_path / "out" / "pages").exists()


def test_export_writes_the_same_pages_for_other_engines(tmp_path):
    out = tmp_path / "export"
    result = CliRunner().invoke(cli, ["export", str(out), "-p", str(SAMPLE_POLICIES), "--today", TODAY])
    assert result.exit_code == 0, result.output
    page = (out / "policies" / "social-media.md").read_text(encoding="utf-8")
    assert page.startswith("---\ntitle: ")
    # The hidden section and policy titles label the clause's search result.
    assert re.search(r"^### 1\.1 <span class=\"pb-clause-of\">.*Social Media Policy</span> \{#purpose\}$", page, re.M)
    comparison = (out / "policies" / "social-media" / "compare-v2-v3.md").read_text(encoding="utf-8")
    assert "search: {\"exclude\": true}" in comparison
    assert (out / "assets" / "policybook.css").is_file()
    assert '"nav"' in (out / "policybook-nav.json").read_text(encoding="utf-8")


def test_a_policy_with_no_version_in_force_does_not_send_readers_to_itself(handbook_dir):
    from policybook.load import load_handbook
    from policybook.pages import SiteOptions, build_site
    from tests.conftest import version_text

    handbook = load_handbook(handbook_dir({"demo/v1.yaml": version_text(status="superseded")})).handbook
    site = build_site(handbook, SiteOptions(today=dt.date(2026, 1, 1)))
    page = next(page for page in site.pages if page.path == "policies/demo.md")
    assert "see the current version" not in page.markdown
    assert "No version of this policy is in force now." in page.markdown


def test_a_draft_shows_its_approval_as_planned(handbook_dir):
    from policybook.load import load_handbook
    from policybook.pages import SiteOptions, build_site
    from tests.conftest import version_text

    files = {"demo/v1.yaml": version_text(), "demo/v2.yaml": version_text(version="2", status="draft")}
    site = build_site(load_handbook(handbook_dir(files)).handbook, SiteOptions(today=dt.date(2026, 1, 1)))
    draft = next(page for page in site.pages if page.path == "policies/demo/v2.md").markdown
    adopted = next(page for page in site.pages if page.path == "policies/demo.md").markdown
    assert "<dt>Approval planned</dt>" in draft and "<dt>Approved</dt>" not in draft
    assert "<dt>Approved</dt>" in adopted
