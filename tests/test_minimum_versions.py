"""requirements/minimum.txt pins exactly the floors that pyproject.toml declares."""

from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from Python 3.11")

ROOT = Path(__file__).resolve().parent.parent


def _floors():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    floors = {}
    extras = project["optional-dependencies"]
    for line in project["dependencies"] + extras["plots"] + extras["translation"] + extras["persistence"]:
        requirement = Requirement(line)
        (specifier,) = requirement.specifier  # one lower bound, nothing else
        assert specifier.operator == ">=", line
        floors[canonicalize_name(requirement.name)] = Version(specifier.version)
    return floors


def _pins():
    pins = {}
    for line in (ROOT / "requirements" / "minimum.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = Version(version)
    return pins


def test_minimum_pins_are_the_pyproject_floors():
    assert _pins() == _floors()

