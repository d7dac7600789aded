"""The ``policybook`` command: validate, build, serve, export, diff, checklist, review.

Every command reports problems as ``path:line:column: message`` and exits 1;
none prints a traceback.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
from pathlib import Path

import click

from .errors import PolicybookError, format_problems
from .load import load_handbook
from .model import Handbook

DEFAULT_POLICIES = "policies"
DEFAULT_CONFIG = "mkdocs.yml"


def _load(policies: Path, cache=None) -> Handbook:
    result = load_handbook(policies, cache=cache)
    for warning in result.warnings:
        click.echo(str(warning), err=True)
    if not result.ok:
        raise PolicybookError(result.problems)
    return result.handbook


def _policies_from_config(config_file: Path) -> Path:
    """The policies folder configured for the plugin in ``mkdocs.yml``."""
    try:
        import yaml

        # mkdocs.yml may use !!python tags; read only the plain part we need.
        class _Lenient(yaml.SafeLoader):
            pass

        _Lenient.add_multi_constructor("", lambda loader, suffix, node: None)
        data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Lenient) or {}
        for plugin in data.get("plugins") or ():
            if isinstance(plugin, dict) and "policybook" in plugin:
                folder = (plugin["policybook"] or {}).get("policies_dir")
                if folder:
                    return config_file.parent / folder
    except (OSError, yaml.YAMLError, AttributeError):
        pass
    return config_file.parent / DEFAULT_POLICIES


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="policybook")
@click.option("-q", "--quiet", is_flag=True, help="Show warnings and errors only.")
def cli(quiet: bool) -> None:
    """Policybook: a staff handbook website from policies written as YAML."""
    _show_mkdocs_log(logging.WARNING if quiet else logging.INFO)


def _show_mkdocs_log(level: int) -> None:
    """Print MkDocs' messages as its own CLI would: build and serve report progress there."""
    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_policybook", False) for h in logger.handlers):
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        handler._policybook = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(level)


@cli.command()
@click.argument("path", type=click.Path(path_type=Path), default=DEFAULT_POLICIES)
def validate(path: Path) -> None:
    """Check every file under PATH and report all problems at once."""
    handbook = _load(path)
    versions = sum(len(p.versions) for p in handbook.policies)
    clauses = sum(len(v.clauses) for p in handbook.policies for v in p.versions)
    click.echo(f"OK: {len(handbook.policies)} policies, {versions} versions, {clauses} clauses, {len(handbook.roles)} roles.")


config_option = click.option("-f", "--config-file", type=click.Path(path_type=Path), default=DEFAULT_CONFIG, show_default=True, help="The MkDocs configuration.")
edition_option = click.option("--edition", type=click.Choice(["staff", "public"]),
                              help="staff: everything; public: only what is marked visibility: public (default: mkdocs.yml).")
today_option = click.option("--today", metavar="YYYY-MM-DD", help="Build as of this date (default: SOURCE_DATE_EPOCH or today).")


@cli.command()
@config_option
@click.option("-d", "--site-dir", type=click.Path(path_type=Path), help="Where to publish (default: site_dir from mkdocs.yml).")
@today_option
@click.option("--preview-drafts", is_flag=True, help="Include draft policies in role checklists.")
@edition_option
@click.option("--offline", is_flag=True, help="A site that works opened from disk (file://), e.g. on a shared drive.")
def build(config_file: Path, site_dir: Path | None, today: str | None, preview_drafts: bool,
          edition: str | None, offline: bool) -> None:
    """Validate, then build the site with mkdocs --strict; a failed build changes nothing."""
    from .build import build_site_atomically
    from .load import ParseCache

    cache = ParseCache()  # the build reuses what validation parsed
    _load(_policies_from_config(config_file), cache)
    _check_today(today)
    target = build_site_atomically(config_file, site_dir=site_dir, today=today, preview_drafts=preview_drafts,
                                   edition=edition, offline=offline, cache=cache)
    click.echo(f"Built the {edition or 'configured'} edition of the handbook into {target}" + (" (offline)" if offline else ""))


@cli.command()
@config_option
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
def serve(config_file: Path, dev_addr: str) -> None:
    """Serve the handbook with live reload; saving a YAML file rebuilds."""
    from mkdocs.commands.serve import serve as mkdocs_serve

    _load(_policies_from_config(config_file))
    mkdocs_serve(config_file=str(config_file), dev_addr=dev_addr, livereload=True)


@cli.command()
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("-p", "--policies", type=click.Path(path_type=Path), default=DEFAULT_POLICIES, show_default=True)
@today_option
@click.option("--directory-urls/--no-directory-urls", default=False, help="Link style of the target site.")
@edition_option
def export(directory: Path, policies: Path, today: str | None, directory_urls: bool, edition: str | None) -> None:
    """Write the generated pages as Markdown files into DIRECTORY, for other engines."""
    from .edition import select_edition
    from .mkdocs_plugin import build_date
    from .site import STYLESHEET, SiteOptions, build_site

    edition = edition or "staff"
    handbook = select_edition(_load(policies), edition)
    site = build_site(handbook, SiteOptions(today=build_date(_check_today(today)), directory_urls=directory_urls, edition=edition))
    for page in site.pages:
        _write(directory / page.path, page.with_front_matter())
    for path, content in site.assets.items():
        _write(directory / path, content)
    _write(directory / "policybook-nav.json", json.dumps({"nav": site.nav, "extra_css": [STYLESHEET]}, indent=2) + "\n")
    click.echo(f"Exported {len(site.pages)} pages to {directory}")


@cli.command()
@click.argument("policy")
@click.argument("old")
@click.argument("new")
@click.option("-p", "--policies", type=click.Path(path_type=Path), default=DEFAULT_POLICIES, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "html", "json"]), default="text", show_default=True,
              help="text: coloured terminal diff; json: the machine contract (see generator.views.compare.comparison_data).")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write to this file instead of standard output.")
def diff(policy: str, old: str, new: str, policies: Path, fmt: str, output: Path | None) -> None:
    """Compare versions OLD and NEW of POLICY clause by clause."""
    from .render.compare_output import render_comparison
    from .views.compare import compare_versions

    handbook = _load(policies)
    found = handbook.policy(policy)
    if found is None:
        raise click.ClickException(f"no policy '{policy}'; policies are: {', '.join(p.id for p in handbook.policies)}")
    versions = []
    for label in (old, new):
        version = found.version(label)
        if version is None:
            raise click.ClickException(f"policy '{policy}' has no version '{label}'; versions are: {', '.join(v.version for v in found.versions)}")
        versions.append(version)
    text = render_comparison(compare_versions(*versions, handbook=handbook), handbook, fmt)
    if output is not None:
        # Files get no colour codes; the terminal keeps them (click strips them for pipes).
        _write(output, click.unstyle(text))
        click.echo(f"Wrote the comparison to {output}", err=True)
    else:
        click.echo(text, nl=not text.endswith("\n"))


@cli.command()
@click.argument("role", required=False)
@click.option("-p", "--policies", type=click.Path(path_type=Path), default=DEFAULT_POLICIES, show_default=True)
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "html", "pdf"]), default="text", show_default=True,
              help="text prints to the terminal unless -o is given; the others write a file.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File to write (default ROLE.<ext>); with --all, a directory (default checklists).")
@click.option("--all", "all_roles", is_flag=True, help="One file per role with duties: an induction pack.")
@click.option("--preview-drafts", is_flag=True, help="Include draft policies (marked as drafts).")
@today_option
def checklist(role: str | None, policies: Path, fmt: str, output: Path | None, all_roles: bool,
              preview_drafts: bool, today: str | None) -> None:
    """Every duty of ROLE (an id, name or alias), grouped by policy, ready to print."""
    from .load.schema import did_you_mean
    from .mkdocs_plugin import build_date
    from .printing import FORMATS, ChecklistPrinter, PrintError, checklist_text, write_checklist
    from .views.checklists import build_checklist, build_checklists, find_role

    if bool(role) == all_roles:
        raise click.UsageError("give either a ROLE or --all")
    handbook = _load(policies)
    date = build_date(_check_today(today))
    if all_roles:
        checklists = [c for c in build_checklists(handbook, include_drafts=preview_drafts) if c.count]
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
        if fmt == "text" and output is None:
            click.echo(checklist_text(handbook, checklists[0], today=date, preview=preview_drafts), nl=False)
            return
        targets = [output or Path(f"{found.id}.{FORMATS[fmt]}")]
    try:
        with (ChecklistPrinter() if fmt == "pdf" else contextlib.nullcontext()) as printer:
            for item, target in zip(checklists, targets):
                write_checklist(handbook, item, fmt, target, today=date, preview=preview_drafts, printer=printer)
                click.echo(f"Wrote {target} ({item.role.name}, {item.count} duties)")
    except PrintError as error:
        raise click.ClickException(str(error)) from None
    if all_roles:
        skipped = [r.name for r in handbook.roles if r.id not in {c.role.id for c in checklists}]
        if skipped:
            click.echo(f"No duties, so no file: {', '.join(skipped)}")


@cli.command()
@click.option("-p", "--policies", type=click.Path(path_type=Path), default=DEFAULT_POLICIES, show_default=True)
@today_option
@click.option("--fail-on-overdue", is_flag=True, help="Exit 1 when any policy is overdue for review.")
def review(policies: Path, today: str | None, fail_on_overdue: bool) -> None:
    """Print the review schedule."""
    from .mkdocs_plugin import build_date
    from .views.schedule import DUE_SOON_DAYS, SCHEDULE_BUCKETS, build_schedule

    handbook = _load(policies)
    schedule = build_schedule(handbook, build_date(_check_today(today)))
    click.echo(f"Review schedule as of {schedule.today.isoformat()} (due soon: within {DUE_SOON_DAYS} days)")
    for state, title in SCHEDULE_BUCKETS:
        rows = schedule.bucket(state)
        if not rows:
            continue
        click.secho(f"\n{title} ({len(rows)})", bold=True, fg="red" if state == "overdue" else None)
        for row in rows:
            version = row.version
            due = row.due.isoformat() if row.due else "no date"
            if row.days_left is not None:
                due += f" ({-row.days_left} days overdue)" if row.days_left < 0 else f" (in {row.days_left} days)"
            lead = handbook.role(version.review.lead).name if version.review.lead else "no lead"
            cycle = f"every {version.review.cycle_months} months" + (", statutory" if version.review.statutory else "")
            click.echo(f"  {version.title}: {due}; owner {handbook.role(version.owner).name}; review lead {lead}; {cycle}")
    if fail_on_overdue and schedule.overdue:
        click.echo(f"\n{len(schedule.overdue)} polic{'y is' if len(schedule.overdue) == 1 else 'ies are'} overdue for review.", err=True)
        sys.exit(1)


def _check_today(today: str | None) -> str | None:
    import datetime as dt

    if today:
        try:
            dt.date.fromisoformat(today)
        except ValueError:
            raise click.BadParameter(f"'{today}' is not a date: use YYYY-MM-DD", param_hint="--today") from None
    return today


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def main() -> None:
    """Entry point: turn every expected failure into a message and exit code."""
    from mkdocs.exceptions import MkDocsException

    try:
        cli.main(standalone_mode=False)
    except PolicybookError as error:
        click.echo(format_problems(error.problems), err=True)
        sys.exit(1)
    except click.exceptions.Exit as exit_:
        sys.exit(exit_.exit_code)
    except click.ClickException as error:  # includes MkDocs' Abort and PluginError
        error.show()
        sys.exit(1)
    except click.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except MkDocsException as error:
        click.echo(f"Error: {error}", err=True)
        sys.exit(1)
    except Exception as error:  # noqa: BLE001 - the last line of defence against tracebacks
        if os.environ.get("POLICYBOOK_DEBUG"):
            raise
        click.echo(f"Internal error: {type(error).__name__}: {error}. Set POLICYBOOK_DEBUG=1 for details, and please report it.", err=True)
        sys.exit(2)
