"""Load program YAML files, with errors that name the file, the line and the field.

Built-in programs live in `checklists/programs/`. A coordinator adds or overrides one by
dropping a YAML file there or in a folder of its own that the caller passes (intake reads
them from RECORDREADY_PROGRAMS_DIR, several folders separated by the OS path separator); a program in an extra folder with
the id of a built-in one replaces it, so sites can set their own thresholds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError

from checklists.models import Program

BUILTIN_DIR = Path(__file__).resolve().parent / "programs"

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    line: int  # 1-based
    field: str  # dotted location, e.g. "requirements[3].checks[0].field" (with the requirement id)
    message: str


class ProgramFileError(Exception):
    """A program file that cannot be used. `str()` reads `file:line: field: message`."""

    def __init__(self, file: Path, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems
        lines = [
            f"{file}:{p.line}: {p.field}: {p.message}"
            if p.field
            else f"{file}:{p.line}: {p.message}"
            for p in problems
        ]
        super().__init__("\n".join(lines))

    @property
    def line(self) -> int:
        return self.problems[0].line

    @property
    def field(self) -> str:
        return self.problems[0].field


def _line_map(
    node: yaml.Node, path: PathKey = (), out: dict[PathKey, int] | None = None
) -> dict[PathKey, int]:
    """Line (1-based) of every value in the YAML tree, and of each mapping key."""
    out = {} if out is None else out
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value
            # The key's own line: for a missing or extra field the key is what to point at.
            out[(*path, key)] = key_node.start_mark.line + 1
            _line_map(value_node, (*path, key), out)
            out[(*path, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _line_map(item, (*path, i), out)
    return out


def _nearest_line(lines: dict[PathKey, int], loc: PathKey) -> int:
    for n in range(len(loc), -1, -1):
        if loc[:n] in lines:
            return lines[loc[:n]]
    return 1


def _field_name(data: object, loc: PathKey) -> str:
    parts: list[str] = []
    node = data
    for part in loc:
        if isinstance(part, int):
            label = f"[{part}]"
            if (
                isinstance(node, list)
                and part < len(node)
                and isinstance(node[part], dict)
                and "id" in node[part]
            ):
                label = f"[{part}]({node[part]['id']})"
            parts.append(label)
            node = node[part] if isinstance(node, list) and part < len(node) else None
        else:
            parts.append(("." if parts else "") + str(part))
            node = node.get(part) if isinstance(node, dict) else None
    return "".join(parts)


_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _clean_loc(loc: tuple[str | int, ...], data: object) -> PathKey:
    """Drop pydantic's union/validator tags ("str", "function-before[...]") from a location."""
    out: list[str | int] = []
    node = data
    for part in loc:
        if isinstance(node, list) and isinstance(part, int):
            out.append(part)
            node = node[part] if part < len(node) else None
        elif isinstance(node, dict) and isinstance(part, str) and part in node:
            out.append(part)
            node = node[part]
        elif (
            isinstance(node, dict)
            and isinstance(part, str)
            and _IDENT.match(part)
            and part not in _TAGS
        ):
            # A missing field: keep its name, it is what the error is about.
            out.append(part)
            node = None
    return tuple(out)


_TAGS = {"str", "int", "float", "list", "dict", "bool"}


def parse_program(text: str, file: Path) -> Program:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise ProgramFileError(
            file, [Problem(line, "", f"not valid YAML: {exc.problem or exc}")]
        ) from None
    if root is None or not isinstance(data, dict):
        raise ProgramFileError(
            file, [Problem(1, "", "a program file must be a YAML mapping (id, title, ...)")]
        )
    lines = _line_map(root)
    try:
        return Program.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = _clean_loc(tuple(err["loc"]), data)
            problems.append(Problem(_nearest_line(lines, loc), _field_name(data, loc), err["msg"]))
        raise ProgramFileError(file, problems) from None


def load_program(path: Path | str) -> Program:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProgramFileError(
            path, [Problem(1, "", f"cannot read the file ({type(exc).__name__})")]
        ) from None
    return parse_program(text, path)


def program_dirs(extra: Sequence[Path] = ()) -> list[Path]:
    """The built-in programs' folder, then the deployment's own folders (later ones win)."""
    return [BUILTIN_DIR, *extra]


def program_files(dirs: list[Path] | None = None) -> list[Path]:
    files: list[Path] = []
    for d in dirs if dirs is not None else program_dirs():
        if d.is_dir():
            files.extend(sorted([*d.glob("*.yaml"), *d.glob("*.yml")]))
    return files


def load_programs(
    dirs: list[Path] | None = None,
) -> tuple[dict[str, Program], list[ProgramFileError]]:
    """Every program that loads, by id (later folders override earlier ones), and the errors.

    One malformed file never hides the others: its error is returned beside the good ones.
    """
    programs: dict[str, Program] = {}
    errors: list[ProgramFileError] = []
    for path in program_files(dirs):
        try:
            program = load_program(path)
        except ProgramFileError as exc:
            errors.append(exc)
            continue
        programs[program.id] = program
    return programs, errors


def get_program(program_id: str, dirs: list[Path] | None = None) -> Program:
    """The program with this id. Raises KeyError (unknown id) or ProgramFileError (its file is bad)."""
    programs, errors = load_programs(dirs)
    if program_id in programs:
        return programs[program_id]
    for err in errors:
        if err.file.stem == program_id:
            raise err
    raise KeyError(program_id)
