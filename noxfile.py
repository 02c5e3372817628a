"""The project's front door: `nox -l` lists the sessions.

`build` makes every PDF and EPUB; `verify` builds and checks every output; `tests` runs the test suite, `fast` its
fast subset; `fuzz` runs its fuzz suite with many more examples; `lint` checks the code with ruff; `extract` and
`update` refresh the POT and PO catalogs after the masters change; `coverage`, `check` and `gate` show how complete
and how sound the translations are and what may be released; `preview` builds the PDFs and writes contact sheets of
their first pages into build/preview/; `release` goes from the sources to the published download set in
build/release/<edition>/.
"""

import os
import tomllib

import nox

nox.options.sessions = ["tests", "lint"]
nox.options.reuse_existing_virtualenvs = True

PYTHON = "3.11"


#: Every version pinned: the sessions install what CI installs.
CONSTRAINTS = ("-c", "constraints.txt")


def _install(session: nox.Session, *extras: str) -> None:
    target = f".[{','.join(extras)}]" if extras else "."
    session.install(*CONSTRAINTS, "-e", target)


def _extra(name: str) -> list[str]:
    """The requirements of one of the project's optional extras, as pyproject.toml declares them."""
    with open("pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["project"]["optional-dependencies"][name]


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite (fixture documents in every script; EPUBCheck needs Java)."""
    _install(session, "test")
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON, default=False)
def fast(session: nox.Session) -> None:
    """Run the fast subset of the tests (under 30 s): everything but rendering and the Java tools."""
    _install(session, "test")
    session.run("pytest", "-m", "not render and not java", *session.posargs)


@nox.session(python=PYTHON, default=False)
def fuzz(session: nox.Session) -> None:
    """Run the fuzz suite with many more examples than the tests do (nox -s fuzz -- 2000 for more still)."""
    _install(session, "test")
    examples = session.posargs[0] if session.posargs else "500"
    session.run("pytest", "-s", "-q", "tests/test_fuzz.py", "tests/catalogs/test_gettext_agreement.py",
                env={"COP_DOCS_FUZZ_EXAMPLES": examples, "COP_DOCS_FUZZ_RANDOM": "1"})


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Check the code with ruff."""
    session.install(*CONSTRAINTS, *_extra("lint"))
    session.run("ruff", "check", "cop_docs", "tests", "benchmarks", "noxfile.py")


@nox.session(python=PYTHON, default=False)
def build(session: nox.Session) -> None:
    """Build every PDF and EPUB into build/<lang>/ (pass options through: nox -s build -- --lang fr)."""
    _install(session)
    session.run("cop-docs", "build", *session.posargs)


@nox.session(python=PYTHON, default=False)
def verify(session: nox.Session) -> None:
    """Build the whole document set, then check every output (language, title, fonts, EPUBCheck) and, when the
    web edition was built, every link of the site."""
    _install(session, "test")
    session.run("cop-docs", "build")
    session.run("pytest", "tests/test_full_set.py", env={"COP_DOCS_FULL_SET": str(session.invoked_from)})
    if os.path.isdir("build/web"):
        session.run("cop-docs", "linkcheck", "build/web", "--root", "build")


@nox.session(python=PYTHON, default=False)
def preview(session: nox.Session) -> None:
    """Build the PDFs, then write a contact sheet of their first pages per language: open build/preview/index.html
    (pass options through to the preview: nox -s preview -- --lang ar --pages 6)."""
    _install(session)
    session.run("cop-docs", "build", "--format", "pdf")
    session.run("cop-docs", "preview", *session.posargs)


@nox.session(python=PYTHON, default=False)
def release(session: nox.Session) -> None:
    """From the sources to build/release/<edition>/: lock check, checks, gate, incremental build, manifest, checksums,
    download pages, zips (nox -s release -- --shard --lang ar builds one CI shard; -- --from-shards DIR... gathers)."""
    _install(session)
    session.run("cop-docs", "release", *session.posargs)


@nox.session(python=PYTHON, default=False)
def coverage(session: nox.Session) -> None:
    """Show how complete each language is (pass options through: nox -s coverage -- --format markdown)."""
    _install(session)
    session.run("cop-docs", "coverage", *session.posargs)


@nox.session(python=PYTHON, default=False)
def check(session: nox.Session) -> None:
    """Check the translations (Markdown parity, placeholders, numbers, conventions, terminology); fails on errors."""
    _install(session)
    session.run("cop-docs", "check", *session.posargs)


@nox.session(python=PYTHON, default=False)
def gate(session: nox.Session) -> None:
    """Apply the release policies: what ships, what is a draft, what is withheld; fails if a required language is short."""
    _install(session)
    session.run("cop-docs", "gate", *session.posargs)


@nox.session(python=PYTHON, default=False)
def extract(session: nox.Session) -> None:
    """Write the POT templates from the master sources."""
    _install(session)
    session.run("cop-docs", "extract", *session.posargs)


@nox.session(python=PYTHON, default=False)
def update(session: nox.Session) -> None:
    """Extract, then create or update every PO file (changed messages become fuzzy; nothing is lost)."""
    _install(session)
    session.run("cop-docs", "update", *session.posargs)
