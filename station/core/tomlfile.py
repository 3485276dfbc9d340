"""Reading the station's TOML files and validating them, with one wording of errors for every kind.

Each file kind (policy, workflow, fleet) describes its tables as pydantic models built on ``Table``
and loads with ``read_toml`` then ``validate``. Whatever is wrong, the operator gets the file's own
InputFileError subclass naming the file, the entry and the key, e.g.
``policy.toml: rule[3] (tiktok) android_packages[0]: 'x y' is not a package name such as com.example.app``.
The models stay private to loading: each loader turns its validated model into the station's dataclasses.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, ClassVar, Literal, TypeGuard, TypeVar, Union, get_args, get_origin

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, ValidationError
from pydantic_core import ErrorDetails

from station.core.errors import InputFileError

M = TypeVar("M", bound=BaseModel)
Loc = tuple[str | int, ...]


class Table(BaseModel):
    """A TOML table: unknown keys are refused, and values are never coerced (no "34" for 34).

    ``label`` names the key whose value identifies one entry of an array of tables in messages,
    e.g. "id" turns ``rule[3]`` into ``rule[3] (tiktok)``.
    """

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)
    label: ClassVar[str] = ""


class KeyProblem(ValueError):
    """Raised by a validator to blame a key below the one it validates: a whole-table check (duplicate
    ids, cross-field rules) then still names the entry and key at fault."""

    def __init__(self, loc: Loc, what: str) -> None:
        super().__init__(what)
        self.loc = loc


@dataclass(frozen=True)
class TomlFile:
    """A file read and parsed as TOML, not yet validated."""

    path: str
    data: dict[str, object]
    sha256: str


def read_toml(path: str | Path, error: type[InputFileError]) -> TomlFile:
    """Read ``path`` as UTF-8 TOML; raise ``error`` saying plainly why it cannot be."""
    name = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise error(name, "", "no such file") from None
    except OSError as exc:
        raise error(name, "", f"cannot be read ({exc.strerror or exc})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(name, f"byte {exc.start}", "is not UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise error(name, "", f"not valid TOML: {exc}") from None
    return TomlFile(name, data, hashlib.sha256(raw).hexdigest())


def validate(
    model: type[M], data: object, path: str, error: type[InputFileError], *, within: str = "",
    context: Mapping[str, object] | None = None,
) -> M:
    """``data`` checked against ``model``; the first problem raised as ``error`` naming file, entry and key.

    ``within`` names where ``data`` sits when it is one table of a file validated on its own.
    ``context`` reaches the models' validators (e.g. the file's folder, for paths relative to it).
    """
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        # An unknown key is most often a misspelt one, which pydantic also reports as missing: the
        # misspelling is the message that helps.
        errors = sorted(exc.errors(), key=lambda error: error["type"] != "extra_forbidden")
        loc, what = _problem(model, errors[0])
        where = _where(model, data, loc)
        raise error(path, f"{within} {where}".strip(), what) from None


def matching(pattern: str | re.Pattern[str], meaning: str) -> AfterValidator:
    """A check that a text fits ``pattern`` (matched whole), refused as "'x' is not {meaning}"."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise ValueError(f"{value!r} is not {meaning}")
        return value

    return AfterValidator(check)


def one_of(choices: Sequence[str]) -> AfterValidator:
    """A check that a text is one of ``choices``, worded as for a Literal type."""

    def check(value: str) -> str:
        if value not in choices:
            raise ValueError(f"{value!r} is not one of: {', '.join(choices)}")
        return value

    return AfterValidator(check)


def shorthand(key: str, meaning: str) -> BeforeValidator:
    """Let a list entry be written as its ``key`` alone ("com.x.y" for {id = "com.x.y"})."""

    def expand(value: object) -> object:
        if isinstance(value, str):
            return {key: value}
        if not isinstance(value, dict):
            raise ValueError(f"must be {meaning}, not {value!r}")
        return value

    return BeforeValidator(expand)


def _not_negative(value: float) -> float:
    if value < 0:
        raise ValueError(f"must be 0 or more, not {value!r}")
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


# Non-empty text, surrounding blanks dropped.
Text = Annotated[str, AfterValidator(_not_blank)]
# A number of seconds or milliseconds (a whole number is accepted too).
NonNegative = Annotated[float, AfterValidator(_not_negative)]


def unique(values: Sequence[str], what: str, *, key: str | None = None) -> None:
    """Refuse a value that repeats, blaming its position (and ``key`` within that entry): "'x' is {what}"."""
    seen: set[str] = set()
    for position, value in enumerate(values):
        if value in seen:
            raise KeyProblem((position,) if key is None else (position, key), f"{value!r} is {what}")
        seen.add(value)


_KINDS = {
    "string_type": "text", "int_type": "a whole number", "float_type": "a number", "bool_type": "true or false",
    "list_type": "a list", "tuple_type": "a list", "dict_type": "a table", "model_type": "a table",
    "model_attributes_type": "a table", "date_type": "a date such as 2023-02-28",
}


def _problem(model: type[BaseModel], error: ErrorDetails) -> tuple[Loc, str]:  # noqa: PLR0911 - one return per kind of pydantic error
    """Where (pydantic's location, refined) and what, in the station's words, one pydantic error says."""
    loc: Loc = tuple(error["loc"])
    kind, value, ctx = error["type"], error["input"], error.get("ctx", {})
    if kind in ("value_error", "assertion_error"):
        cause = ctx.get("error")
        if isinstance(cause, KeyProblem):
            return (*loc, *cause.loc), str(cause)
        return loc, str(cause)
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        # A tagged union (e.g. platform = "android" | "ios") blames the table; blame its tag key.
        key = str(ctx["discriminator"]).strip("'")
        if kind == "union_tag_not_found":
            return (*loc, key), "missing (required)"
        tag = value.get(key) if isinstance(value, dict) else ctx["tag"]
        return (*loc, key), f"{tag!r} is not one of: {str(ctx['expected_tags']).replace(chr(39), '')}"
    if kind == "missing":
        wanted = _walk(model, loc)
        table = wanted if _is_model(wanted) else _item(wanted)
        if _is_model(table):  # a whole table is missing: say what goes in it
            keys = ", ".join(name for name, field in table.model_fields.items() if field.is_required())
            return loc, f"missing (required): {'a table' if table is wanted else 'tables'} with {keys}"
        return loc, "missing (required)"
    if kind == "greater_than_equal":
        return loc, f"must be {ctx['ge']} or more, not {value!r}"
    if kind in ("too_short", "string_too_short"):
        return loc, "must not be empty"
    if kind == "extra_forbidden":
        table = _walk(model, loc[:-1])
        keys = ", ".join(sorted(table.model_fields)) if _is_model(table) else ""
        return loc, f"unknown key (expected one of: {keys})"
    if kind == "literal_error":
        return loc, f"{value!r} is not one of: {', '.join(map(str, get_args(_walk(model, loc))))}"
    if kind in _KINDS:
        return loc, f"must be {_KINDS[kind]}, not {value!r}"
    return loc, error["msg"]


def _walk(model: type[BaseModel], loc: Loc) -> object:
    """The annotation found at ``loc`` in ``model`` (None where ``loc`` leaves the model)."""
    annotation: object = model
    for part in loc:
        annotation = _step(annotation, part)
    return annotation


def _step(annotation: object, part: str | int) -> object:
    """One step along a location: a list's entry, a table's key, a tagged union's member or a dict's value."""
    if isinstance(part, int):
        found = _item(annotation)
    elif _is_model(annotation):
        field = annotation.model_fields.get(part)
        found = field.annotation if field else None
    elif _is_union(annotation):
        found = _tagged(annotation, part)
    elif get_origin(annotation) is dict:
        found = get_args(annotation)[1]
    else:
        found = None
    return _bare(found)


def _where(model: type[BaseModel], data: object, loc: Loc) -> str:
    """``loc`` as an operator reads it: ``[policy] id``, ``[[rule]]``, ``rule[3] (tiktok) android_packages[0]``.

    Top-level tables are written as in the file; entries of an array of tables carry their label
    (see Table.label).
    """
    text = ""
    annotation: object = model
    node: object = data  # the file's own value at this point, for labels
    for position, part in enumerate(loc):
        is_tag = _is_union(annotation) and _step(annotation, part) is not None
        annotation = _step(annotation, part)
        if is_tag:
            continue  # pydantic names a tagged union's member (e.g. "android"); the file has no such key
        if isinstance(part, int):
            node = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            text += f"[{part}]"
            label = _label(annotation)
            if label and isinstance(node, dict) and isinstance(node.get(label), str):
                text += f" ({node[label]})"
            continue
        node = node.get(part) if isinstance(node, dict) else None
        alone = position == len(loc) - 1 or not isinstance(loc[position + 1], int)
        if position == 0 and alone and _is_table(annotation):
            text = f"[{part}]"
        elif position == 0 and alone and _is_table(_item(annotation)):
            text = f"[[{part}]]"
        else:
            text += f" {part}"
    return text.strip()


def _label(annotation: object) -> str:
    """The label key of the entries of a list of ``annotation`` (any member's, for a tagged union)."""
    for candidate in get_args(annotation) if _is_union(annotation) else (annotation,):
        member = _bare(candidate)
        if isinstance(member, type) and issubclass(member, Table) and member.label:
            return member.label
    return ""


def _bare(annotation: object) -> object:
    """``annotation`` without Annotated's metadata or an Optional's None."""
    while True:
        args = get_args(annotation)
        if get_origin(annotation) is Annotated:
            annotation = args[0]
        elif _is_union(annotation) and len(args) == 2 and type(None) in args:
            annotation = args[0] if args[1] is type(None) else args[1]
        else:
            return annotation


def _item(annotation: object) -> object:
    """The type of one entry of a list or tuple annotation."""
    args = get_args(_bare(annotation))
    return _bare(args[0]) if _is_sequence(annotation) and args else None


def _tagged(union: object, tag: str | int) -> object:
    """The member of a tagged union whose Literal field holds ``tag``."""
    for candidate in get_args(union):
        member = _bare(candidate)
        if _is_model(member) and any(
            get_origin(field.annotation) is Literal and tag in get_args(field.annotation)
            for field in member.model_fields.values()
        ):
            return member
    return None


def _is_model(annotation: object) -> TypeGuard[type[BaseModel]]:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _is_table(annotation: object) -> bool:
    """A model, or a tagged union of models."""
    members = get_args(annotation) if _is_union(annotation) else (annotation,)
    return all(_is_model(_bare(member)) for member in members)


def _is_union(annotation: object) -> bool:
    return get_origin(annotation) in (Union, types.UnionType)


def _is_sequence(annotation: object) -> bool:
    return get_origin(_bare(annotation)) in (list, tuple)

