"""`python3 -m build` makes a wheel and an sdist that carry the typed SDK and its generated models."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
from sibyl_server import REPO

PACKAGE = Path(__file__).resolve().parents[1]
MODULES = ["__init__.py", "client.py", "models.py", "py.typed"]
BUILD_LEFTOVERS = ["node_modules", "*.egg-info", "__pycache__", ".*_cache", "build", "dist"]


def pyproject_version() -> str:
    found = re.search(r'^version = "([^"]+)"$', (PACKAGE / "pyproject.toml").read_text("utf-8"), re.MULTILINE)
    assert found, "pyproject.toml has one static version"
    return found.group(1)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("dist")
    # A copy, so the build's egg-info and build/ folders never land in the checkout; node_modules is the
    # workspace's, not the package's.
    source = tmp_path_factory.mktemp("source") / "sdk-python"
    shutil.copytree(PACKAGE, source, ignore=shutil.ignore_patterns(*BUILD_LEFTOVERS))
    # --no-isolation: the build backend comes from requirements-dev.txt, so the test needs no network.
    finished = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(source)],
        capture_output=True,
        text=True,
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    (wheel,) = out.glob("*.whl")
    (sdist,) = out.glob("*.tar.gz")
    return {"wheel": wheel, "sdist": sdist}


def test_the_version_is_the_schema_packages() -> None:
    events = json.loads((REPO / "packages" / "events" / "package.json").read_text("utf-8"))
    assert pyproject_version() == events["version"]


def test_the_wheel_carries_the_typed_sdk_and_needs_nothing_else(built: dict[str, Path]) -> None:
    with zipfile.ZipFile(built["wheel"]) as wheel:
        names = set(wheel.namelist())
        metadata_name = next(name for name in names if name.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(wheel.read(metadata_name).decode("utf-8"))
    assert {f"sibyl_sdk/{module}" for module in MODULES} <= names
    assert metadata["Name"] == "sibyl-sdk" and metadata["Version"] == pyproject_version()
    assert metadata["Requires-Python"] == ">=3.9"
    assert metadata.get_all("Requires-Dist") is None


def test_the_sdist_carries_the_sources_and_no_repository_files(built: dict[str, Path]) -> None:
    with tarfile.open(built["sdist"]) as sdist:
        names = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert {"pyproject.toml", "README.md"} <= names
    assert {f"src/sibyl_sdk/{module}" for module in MODULES} <= names
    assert not any(name.startswith(("tests", "scripts", "node_modules")) for name in names)
    assert "package.json" not in names


def test_the_installed_wheel_imports_on_its_own(built: dict[str, Path], tmp_path: Path) -> None:
    with zipfile.ZipFile(built["wheel"]) as wheel:
        wheel.extractall(tmp_path)
    probe = (
        "import sibyl_sdk, sibyl_sdk.models as m; print(sibyl_sdk.__file__); print(m.RecoResponse.__name__)"
    )
    finished = subprocess.run(
        [sys.executable, "-c", probe], env={"PYTHONPATH": str(tmp_path)}, capture_output=True, text=True
    )
    assert finished.returncode == 0, finished.stderr
    location, model = finished.stdout.split()
    assert Path(location).is_relative_to(tmp_path) and model == "RecoResponse"
