"""Templates mark their headings and HTML blocks; the body writes the page's Markdown back exactly."""

from __future__ import annotations

import datetime as dt
import pickle

import jinja2
import pytest
from markupsafe import Markup

from policybook.load import load_handbook
from policybook.pages import SiteOptions, build_site
from policybook.render import Heading, HtmlBlock, MarkdownText, PageBody, Renderer
from policybook.render import text as render_text
from tests.conftest import SAMPLE_POLICIES

TEMPLATE = """{{ title|heading(1) }}

{% filter html_block %}
<div class="pb-x">
<p>{{ text }}</p>
</div>
{% endfilter %}

{{ ("Law " ~ title)|heading(3, "law-" ~ anchor, "pb-law-title pb-other") }}
"""


def _renderer(**templates) -> Renderer:
    return Renderer(loader=jinja2.DictLoader(templates))


def test_a_template_is_rendered_into_its_parts():
    body = _renderer(**{"t.md.j2": TEMPLATE}).render_body("t.md.j2", "p.md", title="A & B", text="x\ny", anchor="a")
    assert body.parts == (
        Heading(1, "A &amp; B"),
        MarkdownText("\n\n"),
        HtmlBlock('<div class="pb-x">\n<p>x&#10;y</p>\n</div>'),
        MarkdownText("\n\n"),
        Heading(3, "Law A &amp; B", "law-a", ("pb-law-title", "pb-other")),
        MarkdownText("\n"),
    )


def test_the_body_is_the_markdown_the_template_wrote_inline():
    inline = """# {{ title }}

<div class="pb-x">
<p>{{ text }}</p>
</div>

### {{ "Law " ~ title }} {#law-{{ anchor }} .pb-law-title .pb-other}
"""
    renderer = _renderer(**{"t.md.j2": TEMPLATE, "inline.md.j2": inline})
    values = {"title": "A & B <i>", "text": "x\ny", "anchor": "a"}
    assert renderer.render_body("t.md.j2", "p.md", **values).markdown == renderer.render("inline.md.j2", "p.md", **values)
    assert renderer.render("t.md.j2", "p.md", **values) == renderer.render("inline.md.j2", "p.md", **values)


def test_a_template_without_parts_is_one_piece_of_text():
    body = _renderer(**{"t.html.j2": "<p>{{ x }}</p>\n"}).render_body("t.html.j2", "p.md", x=1)
    assert body == PageBody((MarkdownText("<p>1</p>\n"),))


def test_no_marker_reaches_a_page():
    renderer = Renderer()
    site = build_site(load_handbook(SAMPLE_POLICIES).handbook, SiteOptions(today=dt.date(2026, 11, 1)), renderer)
    for page in site.pages:
        assert renderer._part_token not in page.markdown, page.path
        assert any(isinstance(part, Heading) and part.level == 1 for part in page.body.parts), page.path
        # Between the parts the templates write blank lines only.
        assert all(not part.text.strip() for part in page.body.parts if isinstance(part, MarkdownText)), page.path


def test_a_part_printed_twice_is_refused():
    template = "{% set h = 'x'|heading(2) %}{{ h }}\n\n{{ h }}\n"
    with pytest.raises(ValueError, match="printed twice"):
        _renderer(**{"t.md.j2": template}).render_body("t.md.j2", "p.md")


def test_a_part_inside_a_block_is_refused():
    template = "{% filter html_block %}<div>{{ 'x'|heading(2) }}</div>{% endfilter %}\n"
    with pytest.raises(ValueError, match="inside an HTML block"):
        _renderer(**{"t.md.j2": template}).render_body("t.md.j2", "p.md")


def test_a_body_pickles_to_the_same_parts():
    body = _renderer(**{"t.md.j2": TEMPLATE}).render_body("t.md.j2", "p.md", title="A & B", text="x\ny", anchor="a")
    assert body.parts and pickle.loads(pickle.dumps(body)) == body
    assert pickle.loads(pickle.dumps(PageBody(()))) == PageBody(())


def test_a_body_holds_texts_and_parts_alternately_without_an_object_per_part():
    # Held as built-in values (a str per block, a tuple per heading): 128,000 part objects at 100 policies,
    # alive as long as the site, made the garbage collector's passes a twentieth of generating.
    body = _renderer(**{"t.md.j2": TEMPLATE}).render_body("t.md.j2", "p.md", title="A & B", text="x\ny", anchor="a")
    assert body.pieces == (
        "", (1, "A &amp; B", None, (), None),
        "\n\n", '<div class="pb-x">\n<p>x&#10;y</p>\n</div>',
        "\n\n", (3, "Law A &amp; B", "law-a", ("pb-law-title", "pb-other"), None),
        "\n",
    )
    assert [type(piece) for piece in body.pieces[0::2]] == [str] * 4
    assert list(body.headings) == [part for part in body.parts if isinstance(part, Heading)]


def test_a_body_made_of_its_parts_is_the_same_body():
    blank = MarkdownText("\n\n")
    parts = (HtmlBlock("<div>a</div>"), HtmlBlock("<div>b</div>"), blank, Heading(2, "T", "t", ("c",), "T"), blank)
    body = PageBody(parts)
    assert body.parts == parts  # two blocks that meet keep an empty text between them, not shown as a part
    assert body.pieces == ("", "<div>a</div>", "", "<div>b</div>", "\n\n", (2, "T", "t", ("c",), "T"), "\n\n")
    assert body.markdown == "<div>a</div><div>b</div>\n\n## T {#t .c}\n\n"
    # Consecutive texts are one text; an empty one is none.
    assert PageBody((MarkdownText("a"), MarkdownText(""), MarkdownText("b"))) == PageBody((MarkdownText("ab"),))
    assert PageBody(()).parts == PageBody.from_markdown("").parts == ()
    assert PageBody(()) != PageBody.from_markdown("x") and hash(PageBody(parts)) == hash(body)
    with pytest.raises(AttributeError):
        body.pieces = ()


def test_every_page_of_the_sample_is_the_body_of_its_own_parts():
    site = build_site(load_handbook(SAMPLE_POLICIES).handbook, SiteOptions(today=dt.date(2026, 11, 1)))
    for page in site.pages:
        parts = page.body.parts
        assert PageBody(parts) == page.body and PageBody(parts).markdown == page.markdown, page.path
        assert "".join(part.markdown for part in parts) == page.markdown, page.path
        texts = [index for index, part in enumerate(parts) if isinstance(part, MarkdownText)]
        assert all(parts[index].text for index in texts), page.path  # no empty text is a part
        assert all(later - earlier > 1 for earlier, later in zip(texts, texts[1:])), page.path  # nor two in a row


def test_templates_are_not_checked_on_disk_at_every_page():
    # A renderer serves one build: asking the loader whether each template
    # changed, at every page, was a stat per page and template.
    checks = []

    def uptodate() -> bool:
        checks.append(1)
        return True

    renderer = Renderer(loader=jinja2.FunctionLoader(lambda name: ("{{ text }}", name, uptodate)))
    assert [renderer.render("t.md.j2", f"p{n}.md", text=str(n)) for n in range(3)] == ["0", "1", "2"]
    assert checks == []


@pytest.mark.parametrize("obligation, markup", [
    ("MUST", '<span class="pb-ob pb-ob--must">must</span>'),
    ("MUST_NOT", '<span class="pb-ob pb-ob--must-not">must not</span>'),
    ("SHOULD_NOT", '<span class="pb-ob pb-ob--should-not">should not</span>'),
    ("MAY", '<span class="pb-ob pb-ob--may">may</span>'),
    (None, '<span class="pb-ob pb-ob--info">information</span>'),
])
def test_every_template_can_show_a_badge(obligation, markup):
    from policybook.model import Obligation

    value = Obligation[obligation] if obligation else None
    renderer = _renderer(**{"t.md.j2": "<p>{{ badge(o) }}</p>"})
    assert renderer.render("t.md.j2", "p.md", o=value) == f"<p>{markup}</p>"


def test_clauses_that_differ_only_in_their_number_share_a_fragment_key():
    import dataclasses

    from policybook.model import Clause
    from policybook.render import unnumbered

    clause = load_handbook(SAMPLE_POLICIES).handbook.policies[0].versions[-1].clauses[0]
    assert unnumbered(clause) == unnumbered(dataclasses.replace(clause, number="9.9"))
    assert unnumbered(clause) == unnumbered(dataclasses.replace(clause, source=None))  # not compared
    changed = {"text": "Other words.", "items": ("x",), "deadline": "today", "title": "Other", "binding": not clause.binding}
    for name, value in changed.items():
        assert unnumbered(clause) != unnumbered(dataclasses.replace(clause, **{name: value})), name
    compared = {f.name for f in dataclasses.fields(Clause) if f.compare} - {"number"}
    assert len(unnumbered(clause)) == len(compared)


@pytest.mark.parametrize("name", ["literal", "lead"])
def test_remembered_text_filters_answer_markup_and_plain_text_alike(name):
    # The renderer remembers these filters' results by the text, and a Markup and a str of the same
    # characters are one dict key: each must depend on the characters alone, and agree with a fresh call.
    renderer = Renderer()
    remembered, function = renderer.env.filters[name], getattr(render_text, name)
    for value in ("Tom &amp; Jerry *say* [hi](x) one two three four five six seven eight nine", "<b>4.2</b> # Keys", ""):
        first = remembered(Markup(value))
        assert remembered(value) == first == function(Markup(value)) == function(value)
