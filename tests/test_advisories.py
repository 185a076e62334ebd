"""The offline supply-chain check (tools/advisories.py) on synthetic OSV advisories: no database."""

import io
import os
import textwrap

import pytest

from tools import advisories


def write(directory, package, ident, body):
    folder = directory / package
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{ident}.yaml").write_text(f"id: {ident}\n" + textwrap.dedent(body))


@pytest.fixture
def db(tmp_path):
    (tmp_path / "README.md").write_text("Copy of the database as last committed on 2024-10-10.\n")
    write(tmp_path, "demo", "PYSEC-1", """\
        aliases: [CVE-2020-1]
        affected:
        - package: {name: Demo_Pkg, ecosystem: PyPI}
          ranges:
          - type: GIT
            events: [{introduced: "0"}, {fixed: abcdef}]
          - type: ECOSYSTEM
            events: [{introduced: "0"}, {fixed: "1.4.2"}]
        """)
    write(tmp_path, "demo", "PYSEC-2", """\
        affected:
        - package: {name: demo-pkg, ecosystem: PyPI}
          ranges:
          - type: ECOSYSTEM
            events: [{introduced: "2.0"}, {fixed: "2.1"}, {introduced: "3.0"}, {fixed: "3.0.5"}]
        """)
    write(tmp_path, "demo", "PYSEC-3", """\
        withdrawn: "2021-01-01T00:00:00Z"
        affected:
        - package: {name: demo-pkg, ecosystem: PyPI}
          ranges:
          - type: ECOSYSTEM
            events: [{introduced: "0"}, {fixed: "99"}]
        """)
    write(tmp_path, "demo", "PYSEC-4", """\
        affected:
        - package: {name: demo-pkg, ecosystem: PyPI}
          ranges:
          - type: ECOSYSTEM
            events: [{introduced: "5.0"}]
        """)
    write(tmp_path, "other", "PYSEC-5", """\
        affected:
        - package: {name: other, ecosystem: PyPI}
          versions: ["0.9b1", "0.9"]
        - package: {name: other, ecosystem: npm}
          ranges:
          - type: SEMVER
            events: [{introduced: "0"}, {fixed: "50.0.0"}]
        """)
    write(tmp_path, "other", "PYSEC-6", """\
        affected:
        - package: {name: other, ecosystem: PyPI}
          ranges:
          - type: ECOSYSTEM
            events: [{introduced: "0"}, {last_affected: "1.2"}]
          versions: ["1.0", "1.2"]
        - package: {name: other, ecosystem: PyPI}
          ranges:
          - type: ECOSYSTEM
            events: [{introduced: "0"}, {fixed: "1.3"}]
        """)
    return tmp_path


def ids(directory, installed):
    return [(f.advisory, f.fixed) for f in
            advisories.findings_for(advisories.load_advisories(directory), installed)]


def test_a_version_below_the_fix_is_affected_and_names_the_fix(db):
    assert ids(db, {"demo-pkg": "1.4.1"}) == [("PYSEC-1", ("1.4.2",))]


def test_the_fixed_version_and_later_ones_are_not_affected(db):
    assert ids(db, {"demo-pkg": "1.4.2"}) == []
    assert ids(db, {"demo-pkg": "2.1"}) == []


def test_a_second_introduced_event_opens_a_new_range(db):
    assert ids(db, {"demo-pkg": "1.9"}) == []
    assert ids(db, {"demo-pkg": "2.0.3"}) == [("PYSEC-2", ("2.1",))]
    assert ids(db, {"demo-pkg": "3.0.4"}) == [("PYSEC-2", ("3.0.5",))]
    assert ids(db, {"demo-pkg": "3.1"}) == []


def test_prereleases_order_by_pep_440(db):
    assert ids(db, {"demo-pkg": "1.4.2rc1"}) == [("PYSEC-1", ("1.4.2",))]
    assert ids(db, {"demo-pkg": "2.0rc1"}) == [("PYSEC-1", ())][:0]


def test_withdrawn_advisories_are_ignored(db):
    assert "PYSEC-3" not in {a for a, _ in ids(db, {"demo-pkg": "50"})}


def test_an_advisory_without_a_fix_is_reported_without_one(db):
    assert ids(db, {"demo-pkg": "5.1"}) == [("PYSEC-4", ())]


def test_explicit_versions_match_and_other_ecosystems_do_not(db):
    assert ids(db, {"other": "0.9b1"}) == [("PYSEC-5", ()), ("PYSEC-6", ("1.3",))]
    assert ids(db, {"other": "0.9.1"}) == [("PYSEC-6", ("1.3",))]


def test_last_affected_closes_a_range_after_that_version(db):
    assert ids(db, {"other": "1.2.1"}) == [("PYSEC-6", ("1.3",))]
    assert ids(db, {"other": "1.3"}) == []


def test_names_compare_normalised(db):
    assert ids(db, {"DEMO.pkg": "1.0"}) == [("PYSEC-1", ("1.4.2",))]
    assert ids(db, {"unrelated": "0.1"}) == []


def run(db, installed, environ=None):
    out = io.StringIO()
    code = advisories.main(["--dir", str(db)] if db else [], environ=environ or {},
                           installed=installed, out=out)
    return code, out.getvalue()


def test_the_check_fails_and_prints_package_version_id_and_fix(db):
    code, text = run(db, {"demo-pkg": "1.0", "other": "2.0"})
    assert code == 1
    assert "as of 2024-10-10" in text
    assert "demo-pkg 1.0: PYSEC-1 (CVE-2020-1), fixed in 1.4.2" in text


def test_an_unfixable_advisory_is_a_warning_not_a_failure(db):
    code, text = run(db, {"demo-pkg": "5.1"})
    assert code == 0
    assert "warning: demo-pkg 5.1: PYSEC-4, no fixed version published" in text


def test_a_missing_directory_fails_under_ci_and_is_skipped_elsewhere(tmp_path):
    missing = tmp_path / "nowhere"
    env = {advisories.ENV_VAR: str(missing)}
    assert run(None, {}, {**env, "CI": "true"})[0] == 2
    code, text = run(None, {}, env)
    assert code == 0 and "skipped" in text


def test_an_empty_directory_fails(tmp_path):
    assert run(tmp_path, {})[0] == 2


def test_the_environment_variable_selects_the_directory(db, tmp_path):
    assert advisories.advisories_dir({advisories.ENV_VAR: str(db)}) == db


def test_this_virtualenv_is_clean_against_the_shared_copy():
    # The same verdict `make test` reaches; it fails here too if an install brings back an
    # affected version (the pip and setuptools a bare venv starts with are).
    directory = advisories.advisories_dir(os.environ)
    assert directory is not None, "the shared advisory copy must be beside the checkout"
    found = advisories.findings_for(advisories.load_advisories(directory),
                                    advisories.installed_distributions())
    assert [f.line() for f in found if f.fixed] == []
