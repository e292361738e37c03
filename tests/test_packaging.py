"""The wheel carries the catalogue, and an installed psoas finds it anywhere."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    # No build isolation: hatchling comes with the test extra, so this works offline.
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "--quiet", "-w", str(out), str(ROOT)], check=True)
    (built,) = out.glob("psoas-*.whl")
    return built


def test_wheel_contains_the_catalogue_inside_the_package(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "psoas_cli/data/stretches.yaml" in names
    assert {"psoas_cli/cli/main.py", "psoas_cli/ui/frame.py"} <= set(names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "psoas = psoas_cli.cli.main:main" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_wheel_lists_from_another_folder(wheel, tmp_path):
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--quiet",
                    "--target", str(site), str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "PSOAS_HOME": str(tmp_path / "home")}
    where = subprocess.run(
        [sys.executable, "-c", "import psoas_cli.datafiles as d; print(d.bundled_path(\"stretches.yaml\"))"],
        cwd=elsewhere, env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert where == str(site / "psoas_cli" / "data" / "stretches.yaml")
    listing = subprocess.run([sys.executable, "-m", "psoas_cli", "list"], cwd=elsewhere,
                             env=env, capture_output=True, text=True, check=True).stdout
    assert "Pigeon pose" in listing and "11 stretches" in listing
    script = subprocess.run([str(site / "bin" / "psoas"), "show", "8"], cwd=elsewhere,
                            env=env, capture_output=True, text=True, check=True).stdout
    assert script.startswith("8. Glute bridge")
