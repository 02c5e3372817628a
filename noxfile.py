"""The project's front door: `nox -l` lists the sessions.

`build` makes every PDF and EPUB; `verify` builds and checks every output; `tests` runs the test suite; `lint`
checks the code with ruff; `extract` and `update` refresh the POT and PO catalogs after the masters change.
"""

import nox

nox.options.sessions = ["tests", "lint"]
nox.options.reuse_existing_virtualenvs = True

PYTHON = "3.11"


def _install(session: nox.Session, *extras: str) -> None:
    target = f".[{','.join(extras)}]" if extras else "."
    session.install("-e", target)


@nox.session(python=PYTHON)
def tests(session: nox.Session) -> None:
    """Run the test suite (fixture documents in every script; EPUBCheck needs Java)."""
    _install(session, "test")
    session.run("pytest", *session.posargs)


@nox.session(python=PYTHON)
def lint(session: nox.Session) -> None:
    """Check the code with ruff."""
    session.install("ruff>=0.6")
    session.run("ruff", "check", "cop_docs", "tests", "benchmarks", "noxfile.py")


@nox.session(python=PYTHON, default=False)
def build(session: nox.Session) -> None:
    """Build every PDF and EPUB into build/<lang>/ (pass options through: nox -s build -- --lang fr)."""
    _install(session)
    session.run("cop-docs", "build", *session.posargs)


@nox.session(python=PYTHON, default=False)
def verify(session: nox.Session) -> None:
    """Build the whole document set, then check every output (language, title, fonts, EPUBCheck)."""
    _install(session, "test")
    session.run("cop-docs", "build")
    session.run("pytest", "tests/test_full_set.py", env={"COP_DOCS_FULL_SET": str(session.invoked_from)})


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
