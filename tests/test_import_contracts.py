"""The import contracts of pyproject.toml ([tool.importlinter]) hold: the layers below the faces never import upward,
not even inside a function, and no face imports another face."""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def test_every_import_contract_is_kept():
    # This tree first on the path: an installed copy of the project must not stand in for it.
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))}
    result = subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, f"lint-imports found a broken contract:\n{result.stdout}\n{result.stderr}"
    assert "0 broken" in result.stdout


def test_the_contracts_cover_the_layers_and_the_faces():
    config = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    contracts = {contract["id"]: contract for contract in config["contracts"]}
    assert contracts["layers"]["layers"][1:6] == [
        "portal | review | api | exports",
        "notifications",
        "documents",
        "rfp",
        "suppliers",
    ]
    assert sorted(contracts["faces"]["modules"]) == ["api", "exports", "portal", "review"]
    assert "tests" not in config["root_packages"]
