"""policybook import for Word: the sample handbook's policies to .docx and back, --into, and bad files."""

from __future__ import annotations

import re
import shutil
import zipfile

import docx
import pytest

from policybook.importer import ImportRefused, import_document
from policybook.importer.obligations import as_one
from policybook.importer.structure import document_clauses as structure_parts
from policybook.load import load_handbook
from policybook.views.compare import compare_versions
from tests.conftest import ROOT, SAMPLE_POLICIES
from benchmarks.word_fixture import write_policy_docx
from tests.test_bad_inputs import run_cli


@pytest.fixture(scope="module")
def sample():
    return load_handbook(SAMPLE_POLICIES).handbook


@pytest.fixture
def project(tmp_path):
    shutil.copytree(SAMPLE_POLICIES, tmp_path / "policies")
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    return tmp_path


def words(text: str) -> str:
    return " ".join(text.split())


def structure(version):
    """Sections (title, number) and their clauses (number, text, items, item style), as a reader sees them."""
    return [((s.title, s.number if s.binding else None),
             [(c.number if s.binding else None, words(c.text), tuple(words(i) for i in c.items), c.item_style if c.items else None)
              for c in s.clauses])
            for s in version.sections]


def document_clauses(section):
    """The section's clauses as the document has them: one split for its duties of different strengths is one."""
    return [as_one(parts) for parts in structure_parts([c for c in section.clauses if "definition" not in c.notes])]


def imported_structure(draft):
    return [((s.title, s.number), [(c.number, c.text, tuple(c.items), c.item_style) for c in document_clauses(s)])
            for s in draft.sections if any("definition" not in c.notes for c in s.clauses)]


def test_the_fixture_uses_automatic_numbering_not_typed_numbers(sample, tmp_path):
    styles = set()
    for policy in sample.policies:
        document = docx.Document(str(write_policy_docx(policy.current, tmp_path / f"{policy.id}.docx")))
        styles |= {p.style.name for p in document.paragraphs}
        assert not any(p.text[:1].isdigit() for p in document.paragraphs), "numbers come from numbering.xml"
    assert {"Title", "Heading 1", "List Number", "List Bullet"} <= styles
    path = tmp_path / "social-media.docx"
    with zipfile.ZipFile(path) as archive:
        numbering = archive.read("word/numbering.xml").decode()
    assert 'w:val="%1.%2"' in numbering and "lowerLetter" in numbering and "lowerRoman" in numbering


def test_round_trip_gives_the_same_sections_clauses_and_item_styles(sample, tmp_path, project):
    # The drafts are validated in a handbook of their own: beside the originals their titles would clash.
    for folder in (project / "policies").iterdir():
        if folder.is_dir():
            shutil.rmtree(folder)
    agree = total = 0
    for policy in sample.policies:
        version = policy.current
        result = import_document(write_policy_docx(version, tmp_path / f"{policy.id}.docx"), sample, policy_id=f"{policy.id}-imported")
        assert imported_structure(result.draft) == structure(version), policy.id
        assert result.draft.title == version.title
        assert [(t, words(m)) for t, m, _ in result.draft.definitions] == [(d.term, words(d.meaning)) for d in version.definitions]
        assert [u.kind for u in result.draft.unplaced] == ["document-control"], "the table at the top is kept"
        assert result.words_kept == result.words_in
        found = [c.obligation for s in result.draft.sections for c in document_clauses(s)]
        wanted = [c.obligation.value if c.obligation else None for c in version.clauses]
        agree += sum(a == b for a, b in zip(found, wanted))
        total += len(wanted)
        folder = project / "policies" / result.meta.policy
        folder.mkdir()
        # The drafts name the sample's other policies by id (related:); in this handbook those are their -imported copies.
        ids = "|".join(re.escape(p.id) for p in sample.policies)
        related = re.sub(r"(?m)^related: \[.*$", lambda m: re.sub(rf"\b({ids})(?=[,\]])", r"\1-imported", m.group()), result.yaml)
        (folder / "v1.yaml").write_text(related, encoding="utf-8")
    print(f"\nobligations read back from the wording: {agree} of {total} ({agree / total:.0%})")
    # The sample writes many duties as instructions or aspirations; the wording alone gives most of them.
    assert agree >= 0.85 * total
    loaded = load_handbook(project / "policies")
    assert loaded.ok, [str(p) for p in loaded.problems]


def test_into_keeps_the_ids_of_clauses_that_carry_on(sample, tmp_path, project):
    from dataclasses import replace

    current = sample.policy("social-media").current
    first, second = current.sections[0], current.sections[1]
    reworded = replace(second.clauses[0], text=second.clauses[0].text.replace("at least once a term", "at least twice a term"))
    added = replace(second.clauses[1], id="x", text="Staff must report a fake account in the school's name to the headteacher.",
                    items=())
    changed = replace(current, sections=(
        replace(first, clauses=first.clauses[:-1]),           # one clause removed
        replace(second, clauses=(reworded, added, *second.clauses[1:])),
        *current.sections[2:]))
    result = import_document(write_policy_docx(changed, tmp_path / "new.docx"), sample, into=sample.policy("social-media"))
    assert result.meta.version == "6" and result.meta.category == (current.category, None)
    kept_ids = [c.id for c in current.clauses if c.id != first.clauses[-1].id]
    assert [c.id for c in result.draft.clauses if c.id in kept_ids] == kept_ids
    assert len(result.carried) == len(kept_ids)
    path = project / "policies" / "social-media" / "v6.yaml"
    path.write_text(result.yaml, encoding="utf-8")
    loaded = load_handbook(project / "policies")
    assert loaded.ok, [str(p) for p in loaded.problems]
    policy = loaded.handbook.policy("social-media")
    comparison = compare_versions(policy.version("5"), policy.version("6"))
    kinds = {change.clause_id: change.kinds for change in comparison.changed}
    assert kinds[first.clauses[-1].id] == ("removed",)
    assert "reworded" in kinds[reworded.id] or "editorial" in kinds[reworded.id]
    assert sum(1 for k in kinds.values() if "added" in k) == 1


def test_the_command_writes_the_draft_and_the_report(monkeypatch, capsys, sample, tmp_path, project):
    path = write_policy_docx(sample.policy("anti-bullying").current, tmp_path / "Anti bullying.docx")
    code, out = run_cli(monkeypatch, capsys, project, "import", str(path), "--policy", "bullying-imported")
    assert code == 1 and "already has a policy titled 'Anti-Bullying Policy'" in out and "--into anti-bullying" in out
    assert not (project / "policies" / "bullying-imported").exists()
    written = project / "drafts" / "bullying.yaml"
    written.parent.mkdir()
    code, out = run_cli(monkeypatch, capsys, project, "import", str(path), "-o", str(written))
    assert code == 0, out
    assert written.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../schema/policy.schema.json\n")
    assert "Kept" in out and "Could not place" in out and "document-control" in out
    assert "warning: policy 'anti-bullying' has the same title" in out
    code, out = run_cli(monkeypatch, capsys, project, "import", str(path), "-o", str(written))
    assert code == 1 and "exists" in out and "Traceback" not in out
    code, out = run_cli(monkeypatch, capsys, project, "import", str(path), "--into", "anti-bullying")
    assert code == 0, out
    assert (project / "policies" / "anti-bullying" / "v2.yaml").is_file()
    assert "Next: policybook diff anti-bullying 1 2" in out
    assert "keep their ids" in out


def _encrypted_docx(path):
    # What Word writes for a password-protected .docx: an OLE compound file holding EncryptionInfo and EncryptedPackage.
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    path.write_bytes(header + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64 + "EncryptedPackage".encode("utf-16-le"))
    return path


def _scanned_pdf(path):
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_blank_page(width=595, height=842)
    with path.open("wb") as handle:
        writer.write(handle)
    return path


def _empty_docx(path):
    docx.Document().save(str(path))
    return path


def _huge(path):
    with path.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024)   # sparse: nothing is written, and nothing must be read
    return path


BAD_FILES = {
    "not-word.docx": (lambda p: (p.write_text("just some text", encoding="utf-8"), p)[1], "not a Word document"),
    "old-word.docx": (lambda p: (p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600), p)[1], "Word 97-2003"),
    "locked.docx": (_encrypted_docx, "password-protected"),
    "scanned.pdf": (_scanned_pdf, "no text layer"),
    "empty.docx": (_empty_docx, "holds no text"),
    "huge.docx": (_huge, "200 MB"),
    "fake.pdf": (lambda p: (p.write_bytes(b"PK\x03\x04 not a pdf"), p)[1], "not a PDF"),
    "policy.odt": (lambda p: (p.write_bytes(b"x"), p)[1], "cannot import a '.odt' file"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_files_get_a_clear_message_and_exit_1(monkeypatch, capsys, tmp_path, project, name):
    make, message = BAD_FILES[name]
    path = make(tmp_path / name)
    code, out = run_cli(monkeypatch, capsys, project, "import", str(path))
    assert code == 1, out
    assert message in out and "Traceback" not in out and "Internal error" not in out
    assert out.startswith("Error: ") and len(out.splitlines()) == 1
    if name == "scanned.pdf":
        assert "OCR" in out


def test_a_huge_file_is_refused_before_it_is_read(monkeypatch, tmp_path, sample):
    from pathlib import Path

    path = _huge(tmp_path / "huge.docx")
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read a file that is too large"))
    with pytest.raises(ImportRefused, match="200 MB"):
        import_document(path, sample)


def test_list_number_paragraphs_under_a_heading_are_clauses_and_after_a_lead_in_are_steps(sample, tmp_path):
    document = docx.Document()
    document.add_paragraph("Uniform policy", style="Title")
    document.add_paragraph("Everyday uniform", style="Heading 1")
    document.add_paragraph("Pupils wear the school jumper every day.", style="List Number")
    document.add_paragraph("Staff should check uniform each morning.", style="List Number")
    lead_in = document.add_paragraph()
    lead_in.add_run("Before a trip, the leader must:").bold = True
    document.add_paragraph("check the kit list", style="List Bullet")
    document.add_paragraph("tell the office", style="List Bullet")
    path = tmp_path / "uniform.docx"
    document.save(str(path))
    result = import_document(path, sample)
    assert result.draft.title == "Uniform policy"
    [section] = result.draft.sections
    assert [(c.number, c.items, c.item_style, c.obligation) for c in section.clauses] == [
        ("1", [], None, None), ("2", [], None, "should"),
        (None, ["check the kit list", "tell the office"], "bullet", "must")]
