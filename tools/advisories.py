"""Offline supply-chain check: installed packages against a copy of the Python advisory database.

`make test` runs `python -m tools.advisories` with the virtualenv's interpreter. It reads the
OSV-format YAML advisories (pypa/advisory-database, `vulns/<package>/*.yaml`) from
`LECTIO_ADVISORIES_DIR`, or else from `shared/advisories` beside the checkout (CI clones the
repository next to a copy of `shared/`), and fails when an installed distribution is affected
by an advisory that names a fixed version. Affected versions without any fix are printed as
warnings: there is nothing to upgrade to. A missing advisory directory fails under `CI=true`
(a check that silently finds nothing to read would pass forever) and is a warning elsewhere.

Only the PyPI ecosystem is read; `ECOSYSTEM` ranges are evaluated as OSV specifies
(https://ossf.github.io/osv-schema/#evaluation) with PEP 440 ordering from `packaging`, and
explicit `versions` lists are matched too. GIT ranges (commit hashes) are ignored.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import yaml
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

ENV_VAR = "LECTIO_ADVISORIES_DIR"
REPO = Path(__file__).resolve().parent.parent
# A clone (CI, /work/main) has shared/ beside it; a worktree under wt/ one level further up.
DEFAULT_DIRS = (REPO.parent / "shared" / "advisories", REPO.parent.parent / "shared" / "advisories")


@dataclass(frozen=True)
class Advisory:
    id: str
    aliases: tuple[str, ...]
    modified: str
    affected: tuple[dict, ...]
    withdrawn: bool = False


@dataclass(frozen=True)
class Finding:
    package: str
    installed: str
    advisory: str
    aliases: tuple[str, ...]
    fixed: tuple[str, ...] = field(default=())

    def line(self) -> str:
        ids = self.advisory + (f" ({', '.join(self.aliases)})" if self.aliases else "")
        fix = f"fixed in {', '.join(self.fixed)}" if self.fixed else "no fixed version published"
        return f"{self.package} {self.installed}: {ids}, {fix}"


def _version(text) -> Version | None:
    try:
        return Version(str(text))
    except InvalidVersion:
        return None


def load_advisories(directory: Path) -> list[Advisory]:
    """Every advisory file under `directory` (recursively), parsed with `yaml.safe_load`."""
    advisories = []
    for path in sorted(directory.rglob("*.y*ml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict) or "id" not in data:
            continue
        advisories.append(Advisory(
            id=str(data["id"]),
            aliases=tuple(str(a) for a in data.get("aliases") or ()),
            modified=str(data.get("modified") or ""),
            affected=tuple(a for a in data.get("affected") or () if isinstance(a, dict)),
            withdrawn=bool(data.get("withdrawn")),
        ))
    return advisories


def database_date(directory: Path, advisories: Iterable[Advisory]) -> str:
    """The date the copy was taken, from its README, or else the newest `modified` stamp."""
    readme = directory / "README.md"
    if readme.exists():
        match = re.search(r"(\d{4}-\d{2}-\d{2})", readme.read_text(encoding="utf-8"))
        if match:
            return match.group(1)
    stamps = [a.modified[:10] for a in advisories if a.modified]
    return max(stamps) if stamps else "unknown"


def _range_verdict(version: Version, events: list[dict]) -> tuple[bool, list[str]]:
    """Whether `version` falls in one ECOSYSTEM range, and the range's fixed versions above it.

    OSV evaluation: walk the events in version order; `introduced` opens the range,
    `fixed` closes it at that version, `last_affected` just after it, `limit` caps it.
    """
    points = []
    for event in events:
        for kind in ("introduced", "fixed", "last_affected", "limit"):
            if kind in event:
                raw = str(event[kind])
                at = _version(raw)
                if at is not None:
                    points.append((at, kind, raw))
    # At an equal version, a fix is applied after the introduction it closes.
    order = {"introduced": 0, "last_affected": 1, "fixed": 2, "limit": 3}
    points.sort(key=lambda p: (p[0], order[p[1]]))
    affected = False
    for at, kind, _raw in points:
        if kind == "introduced":
            affected = affected or version >= at
        elif version > at or (version == at and kind != "last_affected"):
            affected = False
    fixes = [raw for at, kind, raw in points if kind == "fixed" and at > version]
    return affected, fixes[:1]


def _affected_verdict(raw_version: str, affected: dict) -> list[str] | None:
    """None if this `affected` entry spares the version, else the fixed versions above it."""
    version = _version(raw_version)
    ranges = [r for r in affected.get("ranges") or () if r.get("type") in ("ECOSYSTEM", "SEMVER")]
    hit, fixed = False, []
    for rng in ranges if version is not None else ():
        in_range, fixes = _range_verdict(version, list(rng.get("events") or ()))
        hit = hit or in_range
        fixed += fixes if in_range else []
    listed = {str(v) for v in affected.get("versions") or ()}
    if not hit and (raw_version in listed or (
            version is not None and any(_version(v) == version for v in listed))):
        hit = True
        # Listed explicitly: the fix is the first fixed event above this version, if any.
        for rng in ranges if version is not None else ():
            fixed += _range_verdict(version, list(rng.get("events") or ()))[1]
    return fixed if hit else None


def findings_for(advisories: Iterable[Advisory], installed: Mapping[str, str]) -> list[Finding]:
    """Each (installed package, advisory) pair where the installed version is affected."""
    wanted = {canonicalize_name(name): (name, version) for name, version in installed.items()}
    found = []
    for advisory in advisories:
        if advisory.withdrawn:
            continue
        hits: dict[str, list[str]] = {}
        for affected in advisory.affected:
            package = affected.get("package") or {}
            key = canonicalize_name(str(package.get("name", "")))
            if str(package.get("ecosystem", "")).lower() != "pypi" or key not in wanted:
                continue
            verdict = _affected_verdict(wanted[key][1], affected)
            if verdict is not None:
                hits.setdefault(key, []).extend(verdict)
        for key, fixed in hits.items():
            name, version = wanted[key]
            found.append(Finding(name, version, advisory.id, advisory.aliases,
                                 tuple(dict.fromkeys(fixed))))
    return sorted(found, key=lambda f: (f.package.lower(), f.advisory))


def installed_distributions() -> dict[str, str]:
    """Name -> version of every distribution visible to this interpreter."""
    seen: dict[str, tuple[str, str]] = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if name:
            seen.setdefault(canonicalize_name(name), (name, dist.version))
    return dict(seen.values())


def advisories_dir(environ: Mapping[str, str]) -> Path | None:
    """The configured directory, or the first default one that exists."""
    if environ.get(ENV_VAR):
        return Path(environ[ENV_VAR])
    return next((d for d in DEFAULT_DIRS if d.is_dir()), None)


def main(argv: list[str] | None = None, environ: Mapping[str, str] | None = None,
         installed: Mapping[str, str] | None = None, out=None) -> int:
    """Exit status: 0 clean (or skipped outside CI), 1 vulnerable, 2 advisories missing."""
    environ = os.environ if environ is None else environ
    out = out or sys.stdout
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, help=f"advisory directory (default: ${ENV_VAR})")
    args = parser.parse_args(argv)
    directory = args.dir or advisories_dir(environ)
    in_ci = environ.get("CI", "").lower() == "true"
    if directory is None or not directory.is_dir():
        where = directory or " or ".join(str(d) for d in DEFAULT_DIRS)
        if in_ci:
            print(f"ADVISORY CHECK FAILED: no advisory directory at {where}; "
                  f"set {ENV_VAR}.", file=out)
            return 2
        print(f"Advisory check skipped: no advisory directory at {where} "
              f"(set {ENV_VAR}; under CI=true this fails).", file=out)
        return 0
    advisories = load_advisories(directory)
    if not advisories:
        print(f"ADVISORY CHECK FAILED: {directory} holds no advisories.", file=out)
        return 2
    installed = installed_distributions() if installed is None else installed
    print(f"Advisories: {len(advisories)} from {directory}, a copy of the database as of "
          f"{database_date(directory, advisories)}; {len(installed)} installed packages.",
          file=out)
    findings = findings_for(advisories, installed)
    fixable = [f for f in findings if f.fixed]
    for finding in findings:
        label = "VULNERABLE" if finding.fixed else "warning"
        print(f"  {label}: {finding.line()}", file=out)
    if fixable:
        print(f"{len(fixable)} known vulnerabilities with a fix: upgrade these packages.",
              file=out)
        return 1
    print("No installed package has a known vulnerability with a fix.", file=out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
