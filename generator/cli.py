"""The ``policybook`` command: new, validate, build, serve, export, diff, checklist, review, new-policy, new-version, adopt, import.

Every command reports problems as ``path:line:column: message`` and exits 1;
none prints a traceback. Author text reaches the terminal only through
``policybook.terminal``, so it can never drive it with escape codes.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
from pathlib import Path

import click

from .clock import DateError, build_date, checked_date
from .errors import PolicybookError, format_problems
from .load import ParseCache, load_handbook
from .model import Handbook
from .speed.collector import FrozenHeap, collector_paused, skip_last_collection
from .speed.parallel import fork_map
from .terminal import TerminalText, printable, styled
from .words import counted, plural

DEFAULT_POLICIES = "policies"
DEFAULT_CONFIG = "mkdocs.yml"


def _load(policies: Path, cache: ParseCache | None = None) -> Handbook:
    # Parsing is most of a big handbook's load: a second core takes part of it.
    with collector_paused():  # (inside build's own pause, a nested one costs nothing)
        result = load_handbook(policies, cache=cache if cache is not None else ParseCache(map_items=fork_map))
    for warning in result.warnings:
        click.echo(str(warning), err=True)
    if not result.ok:
        raise PolicybookError(result.problems)
    return result.handbook


def _plain_config(config_file: Path) -> dict:
    """The plain part of ``mkdocs.yml``, or {} without one: its ``!!python`` tags are not run."""
    import yaml

    class _Lenient(yaml.SafeLoader):
        def construct_yaml_timestamp(self, node):
            # YAML reads an unquoted 2026-13-01 as a date, and fails with a bare ValueError
            # (MkDocs' own loader too): say where, before MkDocs reads the file.
            try:
                return super().construct_yaml_timestamp(node)
            except ValueError as error:
                mark = node.start_mark
                raise click.ClickException(
                    f"{config_file}:{mark.line + 1}:{mark.column + 1}: {node.value!r} is not a date ({error}): "
                    "write it as YYYY-MM-DD, e.g. 2026-09-01") from None

    _Lenient.add_constructor("tag:yaml.org,2002:timestamp", _Lenient.construct_yaml_timestamp)
    _Lenient.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Lenient)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


NOT_A_HANDBOOK = "no mkdocs.yml here: run this in your handbook's folder, or start one with `policybook new`"


def _policies_from_config(config_file: Path, *, site: bool = False) -> Path:
    """The policies folder configured for the plugin in ``mkdocs.yml``.

    Args:
        site: the command builds a site, so it needs ``mkdocs.yml`` itself; the
            others make do with a ``policies`` folder beside where it would be.

    Raises:
        click.ClickException: run outside a handbook's folder.
    """
    if not config_file.is_file() and (site or not (config_file.parent / DEFAULT_POLICIES).is_dir()):
        if config_file.name == DEFAULT_CONFIG and not config_file.parent.name:
            raise click.ClickException(NOT_A_HANDBOOK)
        raise click.ClickException(f"{config_file} not found: name your handbook's mkdocs.yml with -f")
    plugins = _plain_config(config_file).get("plugins") or ()
    for plugin in [plugins] if isinstance(plugins, dict) else plugins:
        if isinstance(plugin, dict) and isinstance(plugin.get("policybook"), dict):
            folder = plugin["policybook"].get("policies_dir")
            if folder and isinstance(folder, str):
                return config_file.parent / folder
    return config_file.parent / DEFAULT_POLICIES


def _refuse_export_into_sources(directory: Path, policies: Path) -> None:
    """``export .`` or ``export docs`` would write into the handbook itself: refuse it, as build does."""
    from .outputs.folders import refuse_sources

    target, policies = directory.resolve(), policies.resolve()
    refuse_sources(target, [policies], policies.parent, verb="export")
    for config_file in sorted({Path(DEFAULT_CONFIG).resolve(), policies.parent / DEFAULT_CONFIG}):
        if config_file.is_file():
            project = config_file.parent
            docs = _plain_config(config_file).get("docs_dir")
            sources = [project, (project / (docs if isinstance(docs, str) else "docs")).resolve(),
                       _policies_from_config(config_file).resolve()]
            refuse_sources(target, sources, project, verb="export")


def _configured_policies(ctx, param, value: Path | None) -> Path:
    """Without -p, the policies folder that mkdocs.yml (trusted configuration) names, as build uses."""
    return value if value is not None else _policies_from_config(Path(DEFAULT_CONFIG))


policies_option = click.option("-p", "--policies", type=click.Path(path_type=Path), callback=_configured_policies,
                               help="The policies folder (default: policies_dir from mkdocs.yml, else policies).")


class _OutputPath(click.Path):
    """A path to write. An empty one is refused here: as a Path it would quietly mean the current folder."""

    def convert(self, value, param, ctx):
        if isinstance(value, str) and not value.strip():
            self.fail("is empty: name a file or folder to write", param, ctx)
        return super().convert(value, param, ctx)


def _set_quiet(ctx, param, quiet: bool) -> None:
    # Before the command (the group's -q) and after it (the command's own):
    # either one makes the run quiet; the group sets the default first.
    if quiet or ctx.parent is None:
        _show_mkdocs_log(logging.WARNING if quiet else logging.INFO)
    if quiet:
        ctx.find_root().meta[_QUIET] = True


_QUIET = "policybook.quiet"


def _done(message: str) -> None:
    """The line that says a command did its work: left out under ``-q``, which shows warnings and errors only."""
    if not click.get_current_context().find_root().meta.get(_QUIET):
        click.echo(printable(message))


def _global_options() -> list[click.Option]:
    """Options that mean the same for every command: ``policybook -q build`` and ``policybook build -q``."""
    return [click.Option(["-q", "--quiet"], is_flag=True, expose_value=False, callback=_set_quiet,
                         help="Show warnings and errors only.")]


class _Commands(click.Group):
    """The policybook group: every command added to it also takes the global options.

    Users type options where they think of them (``policybook build -q``); a
    command added later (by anyone) gets them without repeating a decorator.
    """

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        taken = {opt for param in cmd.params for opt in getattr(param, "opts", ())}
        cmd.params.extend(option for option in _global_options() if not taken & set(option.opts))
        super().add_command(cmd, name)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]}, params=_global_options())
@click.version_option(package_name="policybook")
def cli() -> None:
    """Policybook: a staff handbook website from policies written as YAML."""


def _show_mkdocs_log(level: int) -> None:
    """Print MkDocs' messages (and the adapter's own) as MkDocs' CLI would: build and serve report progress there."""
    for name in ("mkdocs", "policybook"):
        logger = logging.getLogger(name)
        if not any(getattr(h, "_policybook", False) for h in logger.handlers):
            handler = logging.StreamHandler()
            handler.setFormatter(_PrintableFormatter("%(levelname)-7s -  %(message)s"))
            handler._policybook = True  # type: ignore[attr-defined]
            logger.addHandler(handler)
        logger.setLevel(level)


class _PrintableFormatter(logging.Formatter):
    """MkDocs' messages may quote page titles or file names: no escape codes from them."""

    def format(self, record: logging.LogRecord) -> str:
        return printable(super().format(record))


@cli.command()
@click.argument("path", type=click.Path(path_type=Path), required=False, callback=_configured_policies)
def validate(path: Path) -> None:
    """Check every file under PATH (default: policies_dir from mkdocs.yml, else policies) and report all problems at once."""
    handbook = _load(path)
    versions = sum(len(p.versions) for p in handbook.policies)
    clauses = sum(len(v.clauses) for p in handbook.policies for v in p.versions)
    _done(f"OK: {counted(len(handbook.policies), 'policy')}, {counted(versions, 'version')}, "
          f"{counted(clauses, 'clause')}, {counted(len(handbook.roles), 'role')}.")


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--name", "organisation", default="Our School", show_default=True,
              help="The organisation's name, written into policies/handbook.yaml.")
@click.option("--today", metavar="YYYY-MM-DD", help="Date the starter policies are adopted (default: today).")
def new(directory: Path, organisation: str, today: str | None) -> None:
    """Start a handbook of your own in DIRECTORY (a new or empty folder)."""
    from .starter import StarterError, write_starter

    try:
        written = write_starter(directory, organisation=organisation, today=build_date(_check_today(today)))
    except StarterError as error:
        raise click.ClickException(str(error)) from None
    _done(f"Wrote a starter handbook of {len(written)} files into {directory}. Next:\n"
          f"  cd {directory}\n  policybook serve     # preview it at http://127.0.0.1:8000\n"
          "Then replace the example organisation, roles and policies in policies/ with your own.")


config_option = click.option("-f", "--config-file", type=click.Path(path_type=Path), default=DEFAULT_CONFIG, show_default=True, help="The MkDocs configuration.")
edition_option = click.option("--edition", type=click.Choice(["staff", "public"]),
                              help="staff: everything; public: only what is marked visibility: public (default: mkdocs.yml).")
today_option = click.option("--today", metavar="YYYY-MM-DD", help="Build as of this date (default: SOURCE_DATE_EPOCH or today).")


@cli.command()
@config_option
@click.option("-d", "--site-dir", type=_OutputPath(path_type=Path), help="Where to publish (default: site_dir from mkdocs.yml).")
@today_option
@click.option("--preview-drafts", is_flag=True, help="Include draft policies in role checklists.")
@edition_option
@click.option("--offline", is_flag=True, help="A site that works opened from disk (file://), e.g. on a shared drive.")
def build(config_file: Path, site_dir: Path | None, today: str | None, preview_drafts: bool,
          edition: str | None, offline: bool) -> None:
    """Validate, then build the site with mkdocs --strict; a failed build changes nothing."""
    build_site_atomically = _engine().build.build_site_atomically

    _check_today(today)
    cache = ParseCache(map_items=fork_map)  # the build reuses what validation parsed
    with FrozenHeap() as heap:  # what validation loads lives to the end of the build (speed/collector.py)
        with collector_paused():
            _load(_policies_from_config(config_file, site=True), cache)
            heap.keep()  # before the collector resumes: it would walk everything loaded
        target = build_site_atomically(config_file, site_dir=site_dir, today=today, preview_drafts=preview_drafts,
                                       edition=edition, offline=offline, cache=cache)
    _done(f"Built the {edition or 'configured'} edition of the handbook into {target}" + (" (offline)" if offline else ""))


@cli.command()
@config_option
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
def serve(config_file: Path, dev_addr: str) -> None:
    """Serve the handbook with live reload; saving a YAML file rebuilds, and a broken one is shown in the browser."""
    serve = _engine().serve

    policies = _policies_from_config(config_file, site=True)
    try:
        serve.check_port(dev_addr)  # before the build, which takes a while in a big handbook
    except serve.PortInUse as error:
        raise click.ClickException(str(error)) from None
    _load(policies)
    serve.serve_handbook(config_file, dev_addr)


def _engine():
    """The MkDocs adapter, or a clear error when MkDocs or Material for MkDocs is missing."""
    try:
        from . import mkdocs_adapter
        from .mkdocs_adapter import build, serve  # noqa: F401 - the commands use them
    except ModuleNotFoundError as error:
        if (error.name or "").split(".")[0] not in {"mkdocs", "material"}:
            raise
        raise click.ClickException(
            f"building a site needs MkDocs and Material for MkDocs, and {error.name} cannot be imported: "
            "install Policybook again with pip, which brings them") from None
    return mkdocs_adapter


@cli.command()
@click.argument("directory", type=_OutputPath(path_type=Path))
@policies_option
@today_option
@click.option("--directory-urls/--no-directory-urls", default=False, help="Link style of the target site.")
@edition_option
def export(directory: Path, policies: Path, today: str | None, directory_urls: bool, edition: str | None) -> None:
    """Write the generated pages as Markdown files into DIRECTORY, for other engines."""
    from .edition import select_edition
    from .outputs.export import exported_file, html_nav
    from .outputs.folders import output_lock, write_export
    from .pages import STYLESHEET, SiteOptions, build_site

    _refuse_export_into_sources(directory, policies)
    _check_output(directory, folder=True, hint="'DIRECTORY'")
    edition = edition or "staff"
    handbook = select_edition(_load(policies), edition)
    site = build_site(handbook, SiteOptions(today=build_date(_check_today(today)), directory_urls=directory_urls, edition=edition),
                      map_items=fork_map)
    files = {str(page.path): exported_file(page) for page in site.pages}
    files.update(site.assets)
    files["policybook-nav.json"] = json.dumps({"nav": html_nav(site.nav), "extra_css": [STYLESHEET]}, indent=2) + "\n"
    with output_lock(directory.resolve(), run="export"), _reported_write_errors():
        write_export(directory, files)
    _done(f"Exported {len(site.pages)} pages to {directory}")


@cli.command()
@click.argument("policy")
@click.argument("old")
@click.argument("new")
@policies_option
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "html", "json"]), default="text", show_default=True,
              help="text: coloured terminal diff; json: the machine contract (see policybook.views.compare.comparison_data).")
@click.option("-o", "--output", type=_OutputPath(path_type=Path), help="Write to this file instead of standard output.")
def diff(policy: str, old: str, new: str, policies: Path, fmt: str, output: Path | None) -> None:
    """Compare versions OLD and NEW of POLICY clause by clause."""
    from .outputs.compare_formats import render_comparison
    from .views.compare import compare_versions

    _check_output(output, folder=False)
    handbook = _load(policies)
    found = handbook.policy(policy)
    if found is None:
        raise click.ClickException(f"no policy '{policy}'; policies are: {', '.join(p.id for p in handbook.policies)}")
    versions = [_find_version(found, label) for label in (old, new)]
    # A standalone HTML file links into the published site, when mkdocs.yml says where that is.
    config_file = next((f for f in (Path(DEFAULT_CONFIG), policies.parent / DEFAULT_CONFIG) if f.is_file()), None)
    config = _plain_config(config_file) if config_file is not None else {}
    site_url = config.get("site_url") if isinstance(config.get("site_url"), str) else None
    text = render_comparison(compare_versions(*versions, handbook=handbook), handbook, fmt, site_url=site_url or None,
                             directory_urls=config.get("use_directory_urls", True) is not False)
    if output is not None:
        # Files get no colour codes; the terminal keeps them (click strips them for pipes).
        _write(output, click.unstyle(text))
        click.echo(printable(f"Wrote the comparison to {output}"), err=True)
    else:
        # Text and JSON are terminal-safe as rendered; a Markdown or HTML document is shown printable.
        text = text if fmt in ("text", "json") else printable(text)
        click.echo(text, nl=not text.endswith("\n"))


@cli.command()
@click.argument("role", required=False)
@policies_option
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "html", "pdf"]), default="text", show_default=True,
              help="text prints to the terminal unless -o is given; the others write a file.")
@click.option("-o", "--output", type=_OutputPath(path_type=Path), help="File to write (default ROLE.<ext>); with --all, a directory (default checklists).")
@click.option("--all", "all_roles", is_flag=True, help="One file per role with duties: an induction pack.")
@click.option("--preview-drafts", is_flag=True, help="Include draft policies (marked as drafts).")
@click.option("--must-only", is_flag=True, help="The short form: must and must-not duties only.")
@today_option
def checklist(role: str | None, policies: Path, fmt: str, output: Path | None, all_roles: bool,
              preview_drafts: bool, must_only: bool, today: str | None) -> None:
    """Every duty of ROLE (an id, name or alias), grouped by policy, ready to print."""
    from .load.schema import did_you_mean
    from .outputs.printing import FORMATS, ChecklistPrinter, PrintError, checklist_text, write_checklist
    from .render import Renderer
    from .views.checklists import build_checklist, build_checklists, find_role, short_form

    if bool(role) == all_roles:
        raise click.UsageError("give either a ROLE or --all")
    _check_output(output or (Path("checklists") if all_roles else None), folder=all_roles)
    handbook = _load(policies)
    date = build_date(_check_today(today))
    if all_roles:
        checklists = [c for c in build_checklists(handbook, include_drafts=preview_drafts) if c.count]
        if must_only:
            checklists = [c for c in map(short_form, checklists) if c.count]
        folder = output or Path("checklists")
        targets = [folder / f"{c.role.id}.{FORMATS[fmt]}" for c in checklists]
    else:
        found = find_role(handbook, role)
        if found is None:
            ids = [r.id for r in handbook.roles]
            raise click.ClickException(f"no role '{role}'{did_you_mean(role, ids)} (roles: {', '.join(ids)})")
        checklists = [build_checklist(handbook, found.id, include_drafts=preview_drafts)]
        if not checklists[0].count:
            raise click.ClickException(f"{found.name} has no duties in any {'policy' if preview_drafts else 'adopted policy'}: nothing to print")
        if must_only:
            checklists = [short_form(checklists[0])]
            if not checklists[0].count:
                raise click.ClickException(f"{found.name} has no must or must-not duties: leave out --must-only")
        if fmt == "text" and output is None:
            click.echo(checklist_text(handbook, checklists[0], today=date, preview=preview_drafts), nl=False)
            return
        targets = [output or Path(f"{found.id}.{FORMATS[fmt]}")]
    renderer = Renderer()  # one for every file: the templates are compiled once
    try:
        with (ChecklistPrinter() if fmt == "pdf" else contextlib.nullcontext()) as printer, _reported_write_errors():
            for item, target in zip(checklists, targets):
                write_checklist(handbook, item, fmt, target, today=date, preview=preview_drafts, printer=printer,
                                renderer=renderer)
                click.echo(printable(f"Wrote {target} ({item.role.name}, {counted(item.count, 'duty')})"))
    except PrintError as error:
        raise click.ClickException(str(error)) from None
    if all_roles:
        skipped = [r.name for r in handbook.roles if r.id not in {c.role.id for c in checklists}]
        if skipped:
            click.echo(printable(f"No duties, so no file: {', '.join(skipped)}"))


@cli.command()
@click.argument("policy")
@click.argument("versions", nargs=-1, required=True, metavar="[OLD] NEW")
@policies_option
@click.option("--format", "fmt", type=click.Choice(["pdf", "html"]), default="pdf", show_default=True,
              help="pdf: printed by Chromium; html: a print-ready file for any browser.")
@click.option("-o", "--output", type=_OutputPath(path_type=Path), help="File to write (default POLICY-pack-vOLD-vNEW.<ext>).")
@click.option("--full", is_flag=True, help="Add the full text with changes, section by section.")
@today_option
def pack(policy: str, versions: tuple[str, ...], policies: Path, fmt: str, output: Path | None, full: bool,
         today: str | None) -> None:
    """The governors' pack for version NEW of POLICY against OLD (default: the version before NEW)."""
    from .model import version_key
    from .outputs.pack import pack_html
    from .outputs.printing import Printer, PrintError
    from .views.compare import compare_versions

    if len(versions) > 2:
        raise click.ClickException("give at most two versions: [OLD] NEW")
    _check_output(output, folder=False)
    date = build_date(_check_today(today))
    handbook = _load(policies)
    found = _find_policy(handbook, policy)
    new = _find_version(found, versions[-1])
    if len(versions) == 2:
        old = _find_version(found, versions[0])
    else:
        earlier = [v for v in found.versions if version_key(v.version) < version_key(new.version)]
        if not earlier:
            raise click.ClickException(f"version {new.version} is the first version of '{found.id}': there is no "
                                       "earlier version to compare it with")
        old = max(earlier, key=lambda v: version_key(v.version))
    if old is new:
        raise click.ClickException(f"OLD and NEW are both version {new.version}: name two different versions")
    if version_key(old.version) > version_key(new.version):
        raise click.ClickException(f"version {old.version} is newer than version {new.version}: give the older version first")
    if not old.clauses and not new.clauses:
        raise click.ClickException(f"versions {old.version} and {new.version} of '{found.id}' have no clauses: no text to compare")
    target = output or Path(f"{found.id}-pack-v{old.version}-v{new.version}.{fmt}")
    _check_output(target, folder=False)
    document = pack_html(handbook, compare_versions(old, new, handbook=handbook), today=date, full=full)
    try:
        with _reported_write_errors():
            if fmt == "html":
                target.write_text(document, encoding="utf-8")
            else:
                with Printer() as printer:
                    printer.print_pdf(document, target)
    except PrintError as error:
        raise click.ClickException(str(error)) from None
    click.echo(printable(f"Wrote the governors' pack for {found.id} version {old.version} -> {new.version} to {target}"))


def _find_policy(handbook: Handbook, policy_id: str):
    found = handbook.policy(policy_id)
    if found is None:
        raise click.ClickException(f"no policy '{policy_id}'; policies are: {', '.join(p.id for p in handbook.policies)}")
    return found


def _find_version(policy, label: str):
    """The version of ``policy`` labelled ``label``, for diff and pack; one known only from the log cannot be compared."""
    version = policy.version(label)
    if version is None:
        logged = "in the version log only: its text is not held, so it cannot be compared" if any(
            row.version in (label, label.removeprefix("v")) for row in policy.log) else ""
        raise click.ClickException(f"policy '{policy.id}' has no version '{label}'{'; it is ' + logged if logged else ''}; "
                                   f"versions are: {', '.join(v.version for v in policy.versions)}")
    return version


@cli.command()
@policies_option
@today_option
@click.option("--fail-on-overdue", is_flag=True, help="Exit 1 when any policy is overdue for review.")
def review(policies: Path, today: str | None, fail_on_overdue: bool) -> None:
    """Print the review schedule."""
    from .views.schedule import DUE_SOON_DAYS, SCHEDULE_BUCKETS, build_schedule

    handbook = _load(policies)
    schedule = build_schedule(handbook, build_date(_check_today(today)))
    out = TerminalText()
    out.line(f"Review schedule as of {schedule.today.isoformat()} (due soon: within {DUE_SOON_DAYS} days)")
    for state, title in SCHEDULE_BUCKETS:
        rows = schedule.bucket(state)
        if not rows:
            continue
        out.blank()
        out.line(styled(f"{title} ({len(rows)})", bold=True, fg="red" if state == "overdue" else None))
        for row in rows:
            version = row.version
            due = row.due.isoformat() if row.due else "no date"
            if row.next and not row.next.exact:
                due = f"by {row.next.label} (due {due})"
            if row.days_left is not None:
                due += f" ({counted(-row.days_left, 'day')} overdue)" if row.days_left < 0 else f" (in {counted(row.days_left, 'day')})"
            lead = handbook.role(version.review.lead).name if version.review.lead else "no lead"
            cycle = f"every {counted(version.review.cycle_months, 'month')}" + (", statutory" if version.review.statutory else "")
            out.line(f"  {version.title}: {due}; owner {handbook.body_name(version.owner)}; review lead {lead}; {cycle}")
    click.echo(str(out), nl=False)
    if fail_on_overdue and schedule.overdue:
        overdue = len(schedule.overdue)
        click.echo(f"\n{counted(overdue, 'policy')} {plural('is', overdue)} overdue for review.", err=True)
        sys.exit(1)


@cli.command("new-version")
@click.argument("policy")
@policies_option
@click.option("--version", "label", metavar="LABEL", help="The new version's label (default: the version in force plus one).")
def new_version(policy: str, policies: Path, label: str | None) -> None:
    """Start the next version of POLICY: a draft copy of the version in force."""
    from .lifecycle import new_version as start_version

    change = _lifecycle(lambda: [start_version(policies, policy, label)])[0]
    click.echo(printable(f"Wrote {change.path}: a draft copy of the version in force. Edit it, say what changed "
                         "under changes:, and run policybook validate."))


@cli.command()
@click.argument("policy")
@click.argument("version")
@policies_option
@click.option("--body", required=True, help='The approving body, e.g. "Full governing board".')
@click.option("--date", "date_text", required=True, metavar="YYYY-MM-DD",
              help="The date it was approved (or 06.05.18 as handbook.yaml's date_order reads it).")
@click.option("--minute", help='The minute reference, e.g. "FGB 2026/11 item 4".')
@click.option("--effective", "effective_text", metavar="YYYY-MM-DD",
              help="When it comes into force (default: the draft's effective date, else --date).")
def adopt(policy: str, version: str, policies: Path, body: str, date_text: str, minute: str | None,
          effective_text: str | None) -> None:
    """Record the approval of VERSION of POLICY: it is adopted, and the version it replaces superseded."""
    from .lifecycle import adopt as adopt_version

    date = _date_argument(date_text, "--date")
    effective = _date_argument(effective_text, "--effective") if effective_text else None
    changes = _lifecycle(lambda: adopt_version(policies, policy, version, body=body, date=date, minute=minute,
                                               effective=effective))
    click.echo(printable(f"Adopted version {version} of {policy}: " + "; ".join(
        f"{'wrote' if i == 0 else 'superseded'} {c.path}" for i, c in enumerate(changes)) + "."))


@cli.command("new-policy")
@click.argument("policy_id", metavar="ID")
@policies_option
@click.option("--title", required=True, help="The policy's title.")
@click.option("--category", required=True, help="A category id from handbook.yaml.")
@click.option("--owner", help="The owning role's id (default: the role that owns most policies).")
@click.option("--scope", "scope", multiple=True, metavar="ROLE", help="A role it covers; repeat for more (default: the first role).")
def new_policy(policy_id: str, policies: Path, title: str, category: str, owner: str | None, scope: tuple[str, ...]) -> None:
    """Start policy ID as a draft version 1 that validates, ready to write."""
    from .lifecycle import new_policy as start_policy

    change = _lifecycle(lambda: [start_policy(policies, policy_id, title=title, category=category, owner=owner,
                                              scope=scope)])[0]
    click.echo(printable(f"Wrote {change.path}: fill in its sections, then run policybook validate."))


def _lifecycle(work):
    """Run a life-cycle command's ``work`` and write the files it returns; a refusal changes nothing."""
    from .lifecycle import LifecycleError, Refused, write_files

    try:
        changes = work()
    except LifecycleError as error:
        raise click.ClickException(str(error)) from None
    except Refused as error:
        click.echo(printable(f"Refused: {error}:"), err=True)
        raise PolicybookError(error.problems) from None
    with _reported_write_errors():
        write_files(changes)
    return changes


def _date_argument(text: str, option: str):
    """A YYYY-MM-DD date; a date in numbers only is passed on as text, for the handbook's ``date_order`` to read."""
    import datetime as dt

    from .dates import numbers_only

    try:
        if len(text) == 10:
            return dt.date.fromisoformat(text)
    except ValueError:
        pass
    if numbers_only(text):
        return text
    raise click.BadParameter(f"{text!r} is not a date: use YYYY-MM-DD", param_hint=option)


@cli.command("import")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--policy", "policy_id", metavar="ID", help="The new policy's id (default: from its title).")
@click.option("--version", metavar="V", help='The version label (default: "1", or the next one with --into).')
@click.option("--into", metavar="POLICY", help="Import a new version of this policy: clauses that carry on keep their ids.")
@click.option("-o", "--output", type=_OutputPath(path_type=Path), help="Write the draft here (default: POLICIES/<policy>/v<version>.yaml).")
@policies_option
def import_(file: Path, policy_id: str | None, version: str | None, into: str | None, output: Path | None, policies: Path) -> None:
    """Import FILE (.docx, .pdf, .txt, .md, .html) as a DRAFT version, and print what to review."""
    from .importer import ImportRefused
    from .importer.command import run_import
    from .importer.report import review_report

    handbook = _load(policies)
    try:
        imported = run_import(file, handbook, policies, policy_id=policy_id, version=version, into=into, output=output)
    except ImportRefused as error:
        raise click.ClickException(str(error)) from None
    click.echo(review_report(imported.result, str(imported.target)), nl=False)
    for warning in imported.warnings:
        click.echo(printable(f"warning: {warning}"), err=True)
    if into:
        click.echo(printable(f"Next: policybook diff {into} {imported.result.into.version} {imported.result.meta.version}"))

def _check_today(today: str | None) -> str | None:
    """Refuse a --today (or SOURCE_DATE_EPOCH) that is not a plausible YYYY-MM-DD date."""
    if today is None:
        try:
            build_date()
        except DateError as error:
            raise click.ClickException(str(error)) from None
        return None
    try:
        checked_date(today, fix="use YYYY-MM-DD")
    except DateError as error:
        raise click.BadParameter(str(error), param_hint="--today") from None
    return today


def _check_output(path: Path | None, *, folder: bool, hint: str = "'-o' / '--output'") -> None:
    """Refuse an output path before doing the work: a folder for a file, a file for a folder, a missing parent."""
    if path is None:
        return
    if not folder and path.is_dir():
        raise click.BadParameter(f"{path} is a folder: name a file to write", param_hint=hint)
    if folder and path.exists() and not path.is_dir():
        raise click.BadParameter(f"{path} is a file: name a folder to write into", param_hint=hint)
    parent = path.resolve().parent
    if not parent.is_dir():
        raise click.ClickException(f"cannot write {path}: the folder {parent} does not exist; create it first")
    if not os.access(path if path.exists() else parent, os.W_OK):
        raise click.ClickException(f"cannot write {path}: permission denied")


@contextlib.contextmanager
def _reported_write_errors():
    """A full disk or a read-only file is the user's to fix, not an internal error."""
    try:
        yield
    except OSError as error:
        raise click.ClickException(f"cannot write {error.filename or 'the output'}: {error.strerror or error}") from None


def _write(path: Path, text: str) -> None:
    with _reported_write_errors():
        path.write_text(text, encoding="utf-8")


def console() -> None:
    """The ``policybook`` command: :func:`main` in a process of its own, which need not tidy up at exit."""
    skip_last_collection()
    main()


def main() -> None:
    """Entry point: turn every expected failure into a message and exit code."""
    try:
        cli.main(standalone_mode=False)
    except PolicybookError as error:
        click.echo(format_problems(error.problems), err=True)
        sys.exit(1)
    except click.exceptions.Exit as exit_:
        sys.exit(exit_.exit_code)
    except click.ClickException as error:  # includes every MkDocs error (MkDocsException is one)
        error.message = printable(error.message)  # it may quote author text or arguments
        error.show()
        sys.exit(1)
    except click.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except DateError as error:  # SOURCE_DATE_EPOCH, read wherever an output is dated
        click.echo(printable(f"Error: {error}"), err=True)
        sys.exit(1)
    except Exception as error:  # noqa: BLE001 - the last line of defence against tracebacks
        if os.environ.get("POLICYBOOK_DEBUG"):
            raise
        click.echo(printable(f"Internal error: {type(error).__name__}: {error}. Set POLICYBOOK_DEBUG=1 for details, "
                             "and please report it."), err=True)
        sys.exit(2)
