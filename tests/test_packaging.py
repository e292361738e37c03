"""The wheel carries the catalogue, and an installed psoas finds it anywhere; the
sdist and the wheel carry the licence and the README's pictures."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

builds = pytest.mark.slow  # builds a wheel or an sdist (pip and hatchling, fresh Pythons)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # No build isolation: hatchling comes with the test extra, so this works offline.
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--quiet", "-w", str(out), str(ROOT)], check=True)
    (built,) = out.glob("psoas-*.whl")
    return built


@builds
def test_wheel_contains_the_catalogue_inside_the_package(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "psoas_cli/data/stretches.yaml" in names
    assert "psoas_cli/data/programs.yaml" in names
    assert {"psoas_cli/cli/main.py", "psoas_cli/ui/player/frame.py"} <= set(names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "psoas = psoas_cli.cli.start:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


@builds
def test_installed_wheel_lists_from_another_folder(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet",
                    "--target", str(site), str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "PSOAS_HOME": str(tmp_path / "home")}
    where = subprocess.run(
        [sys.executable, "-c",
         "import psoas_cli.files.datafiles as d; print(d.bundled_path(\"stretches.yaml\"))"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert where == str(site / "psoas_cli" / "data" / "stretches.yaml")
    listing = subprocess.run([sys.executable, "-m", "psoas_cli", "list"], cwd=elsewhere,
                             env=env, capture_output=True, text=True, check=True).stdout
    assert "Pigeon pose" in listing and "22 stretches, 11 of them added by psoas" in listing
    script = subprocess.run([str(site / "bin" / "psoas"), "show", "8"], cwd=elsewhere,
                            env=env, capture_output=True, text=True, check=True).stdout
    assert script.startswith("8. Glute bridge")
    plan = subprocess.run([sys.executable, "-m", "psoas_cli", "program", "show", "hips"],
                          cwd=elsewhere, env=env, capture_output=True, text=True,
                          check=True).stdout
    assert plan.startswith("hips: Six weeks for tight hip flexors")


# -- what a package index gets: the sdist, the wheel, the metadata ---------------------

README_LINKS = sorted(set(re.findall(r"\]\((?!https?:|#)([^)#\s]+)", (ROOT / "README.md")
                                     .read_text(encoding="utf-8"))))


def build(kind: str, source: Path, out: Path) -> Path:
    """Build with hatchling's own hooks, offline, as pip would."""
    code = f"import hatchling.build as b; print(b.build_{kind}({str(out)!r}))"
    name = subprocess.run([sys.executable, "-c", code], cwd=source, capture_output=True,
                          text=True, check=True).stdout.split()[-1]
    return out / name


@pytest.fixture(scope="module")
def sdist(tmp_path_factory) -> Path:
    return build("sdist", ROOT, tmp_path_factory.mktemp("sdist"))


def test_the_readme_links_to_pictures_and_docs():
    assert {"docs/list.svg", "docs/player.svg", "docs/architecture.md"} <= set(README_LINKS)


@builds
def test_sdist_carries_the_license_and_everything_the_readme_links_to(sdist):
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
        assert "MIT" in archive.extractfile("psoas-0.1.0/LICENSE").read().decode()
    assert {"LICENSE", "README.md", "pyproject.toml", "data/stretches.yaml"} <= names
    assert set(README_LINKS) <= names
    assert {"scripts/pictures.py", "tests/test_pictures.py"} <= names  # its tests can run


@builds
def test_a_wheel_built_from_the_sdist_is_the_same_as_from_the_repository(sdist, wheel, tmp_path):
    with tarfile.open(sdist) as archive:
        # The "data" filter where this Python has it (3.12, and late 3.10 and 3.11 releases).
        archive.extractall(tmp_path, **({"filter": "data"} if hasattr(tarfile, "data_filter")
                                        else {}))
    again = build("wheel", tmp_path / "psoas-0.1.0", tmp_path)
    assert zipfile.ZipFile(again).namelist() == zipfile.ZipFile(wheel).namelist()


@builds
def test_wheel_carries_the_license_and_the_readme_beside_its_pictures(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "psoas-0.1.0.dist-info/licenses/LICENSE" in names
    docs = "psoas-0.1.0.data/data/share/doc/psoas/"
    assert docs + "README.md" in names
    assert {docs + link for link in README_LINKS} <= names


@builds
def test_metadata_says_mit_posix_console_and_python_3_10_to_3_13(wheel):
    archive = zipfile.ZipFile(wheel)
    metadata = archive.read("psoas-0.1.0.dist-info/METADATA").decode()
    header = metadata.split("\n\n", 1)[0].splitlines()
    assert "License-Expression: MIT" in header and "License-File: LICENSE" in header
    assert "Requires-Python: >=3.10" in header
    classifiers = {line.split(": ", 1)[1] for line in header if line.startswith("Classifier:")}
    assert {"Operating System :: POSIX", "Environment :: Console",
            *(f"Programming Language :: Python :: 3.{minor}" for minor in range(10, 14))} \
        <= classifiers
    license_text = archive.read("psoas-0.1.0.dist-info/licenses/LICENSE").decode()
    assert license_text.startswith("MIT License\n\nCopyright (c) 2026 The psoas developers\n")
