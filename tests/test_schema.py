"""The shared vocabulary is exported as JSON Schema, and the committed copies are current."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from ui.cli.main import app

ROOT = Path(__file__).resolve().parents[1]


def test_schema_command_writes_every_shared_model(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["schema", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in tmp_path.glob("*.schema.json"))
    assert names == [
        "document.schema.json",
        "file_text.schema.json",
        "program.schema.json",
        "report.schema.json",
    ]
    doc = json.loads((tmp_path / "document.schema.json").read_text())
    assert "pathology_report" in json.dumps(doc)
    # The committed copies in docs/schema are what `recordready schema` writes today.
    for name in names:
        assert (ROOT / "docs" / "schema" / name).read_text() == (tmp_path / name).read_text(), name
