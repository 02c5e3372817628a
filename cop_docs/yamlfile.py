"""YAML files validated by a declarative model, with every problem at its line.

In: a YAML file (the project file, the glossary) and the pydantic model of its shape. Out: the validated model
and the line of every value, or one :class:`~cop_docs.errors.ConfigError` listing every problem as
``file:line: key.path: what is wrong``.

PyYAML's node tree knows lines but not shapes; pydantic knows shapes but not lines. The node tree is turned into
plain data (scalars stay the text the author typed, so ``edition: 2026`` is the text ``2026``) and a map from
each value's key path to its line, and pydantic's error locations are looked up in that map.
"""

from __future__ import annotations

import os
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml

# pydantic plugins installed beside the tool would be loaded when a model is defined: the search for them reads
# every installed package's metadata, and they would see the project's data. The tool's models need none.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError  # noqa: E402
from pydantic_core import PydanticCustomError  # noqa: E402

from .errors import ConfigError  # noqa: E402

Loc = tuple[str | int, ...]
MAX_VALUES = 100_000  #: values one file may hold, aliases expanded (a few aliases can otherwise name billions)


class FileModel(BaseModel):
    """A mapping of a YAML file: keys are written with hyphens, unknown keys are refused, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              alias_generator=lambda name: name.replace("_", "-"))


def refusal(message: str) -> PydanticCustomError:
    """A validation failure reported with ``message`` as written (pydantic would prefix "Value error, ")."""
    return PydanticCustomError("cop_docs", message.replace("{", "{{").replace("}", "}}"))


def checked(base: Any, test: typing.Callable[[Any], bool], message: str) -> Any:
    """``base`` (for the schema) whose values must pass ``test``; ``message`` may name ``{value}``."""

    def check(value: Any) -> Any:
        try:
            if isinstance(value, str | int | float) and test(value):
                return value
        except (TypeError, ValueError):
            pass
        raise refusal(message.replace("{value}", str(value)))

    return Annotated[base, BeforeValidator(check)]


def one_of(values: tuple[str, ...], message: str) -> Any:
    """One of ``values`` (an enum in the schema); ``message`` may name ``{value}`` and ``{known}``."""
    known = ", ".join(values)
    return checked(Literal[values], lambda v: v in values, message.replace("{known}", known))


def listing(item: Any, message: str) -> Any:
    """A list of at least one ``item``; an empty list is refused with ``message``."""

    def check(value: Any) -> Any:
        if value == []:
            raise refusal(message)
        return value

    return Annotated[list[item], Field(min_length=1), BeforeValidator(check)]


#: true or false, as written in YAML (``required: true``)
Flag = checked(bool, lambda v: str(v).lower() in ("true", "false"), "must be true or false")


@dataclass
class Lines:
    """The line of every value (and of every mapping key) of a YAML file, by key path."""

    values: dict[Loc, int] = field(default_factory=dict)
    keys: dict[Loc, int] = field(default_factory=dict)

    def of(self, loc: Loc) -> int:
        """The line of the value at ``loc``, or of the nearest enclosing value that has one."""
        while loc not in self.values and loc:
            loc = loc[:-1]
        return self.values.get(loc, 1)

    def key(self, loc: Loc) -> int:
        return self.keys.get(loc) or self.of(loc)


def keypath(loc: Loc) -> str:
    """``('languages', 2, 'code')`` → ``languages[2].code``."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out.lstrip(".")


def compose(path: Path, what: str) -> yaml.Node | None:
    """The node tree of a YAML file, or a one-line error naming the file (and line)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read {what}: {exc.strerror}", path) from None
    except UnicodeDecodeError:
        raise ConfigError(f"the {what} is not UTF-8 text", path) from None
    try:
        return yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = str(getattr(exc, "problem", None) or exc).strip().splitlines()[0]
        raise ConfigError(f"invalid YAML: {problem}", path, mark.line + 1 if mark else None) from None


def plain(node: yaml.Node, problems: list[tuple[int, str]]) -> tuple[Any, Lines]:
    """The data of a node tree (mappings, lists, scalar text) and the line of each value."""
    lines = Lines()
    budget = [MAX_VALUES]

    def walk(node: yaml.Node, loc: Loc) -> Any:
        budget[0] -= 1
        if budget[0] < 0:
            raise ConfigError(f"more than {MAX_VALUES} values (aliases that repeat themselves?)", None,
                              node.start_mark.line + 1)
        lines.values[loc] = node.start_mark.line + 1
        if isinstance(node, yaml.ScalarNode):
            return str(node.value)
        if isinstance(node, yaml.SequenceNode):
            return [walk(item, (*loc, i)) for i, item in enumerate(node.value)]
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            where = keypath((*loc, str(key)))
            if key is None:
                problems.append((key_node.start_mark.line + 1, f"{keypath(loc) or '(top level)'}: keys must be text"))
            elif key in out:
                problems.append((key_node.start_mark.line + 1, f"{where}: key given twice"))
            else:
                lines.keys[(*loc, key)] = key_node.start_mark.line + 1
                out[key] = walk(value_node, (*loc, key))
        return out

    return walk(node, ()), lines


def validate(model: type[BaseModel], path: Path, node: yaml.Node) -> tuple[Any, Any, Lines, list[tuple[int, str]]]:
    """The file's plain data, that data validated by ``model`` (None if it is invalid), its lines, and the
    problems found: the caller adds those the model cannot see and passes them to :func:`raise_problems`."""
    problems: list[tuple[int, str]] = []
    try:
        data, lines = plain(node, problems)
    except ConfigError as exc:
        raise ConfigError(exc.message, path, exc.line) from None
    try:
        value = model.model_validate(data)
    except ValidationError as exc:
        problems += [_problem(model, error, lines) for error in exc.errors()]
        value = None
    return data, value, lines, problems


def raise_problems(path: Path, problems: list[tuple[int, str]]) -> None:
    if problems:
        raise ConfigError.collected(path, problems)


_MESSAGES = {
    "list_type": "must be a list",
    "tuple_type": "must be a list",
    "dict_type": "must be a mapping",
    "model_type": "must be a mapping",
    "model_attributes_type": "must be a mapping",
    "string_type": "must be a non-empty text value",
    "string_too_short": "must be a non-empty text value",
}


def _problem(model: type[BaseModel], error: dict, lines: Lines) -> tuple[int, str]:
    loc: Loc = tuple(error["loc"])
    kind = error["type"]
    if kind == "missing":
        parent = loc[:-1]
        return lines.of(parent), f"{keypath(parent) or '(top level)'}: missing required key '{loc[-1]}'"
    if kind == "extra_forbidden":
        allowed = ", ".join(_keys(model, loc[:-1]))
        return lines.key(loc), f"{keypath(loc)}: unknown key (allowed: {allowed})"
    if kind == "cop_docs":
        message = error["msg"]
    elif kind == "literal_error":
        message = f"must be one of {error['ctx']['expected']}"
    else:
        message = _MESSAGES.get(kind, error["msg"])
    return lines.of(loc), f"{keypath(loc) or '(top level)'}: {message}"


def _keys(model: type[BaseModel], loc: Loc) -> list[str]:
    """The keys the model allows at ``loc``, for the message about a key it does not know."""
    shape: Any = model
    for part in loc:
        shape = _inner(shape)
        if isinstance(part, str) and isinstance(shape, type) and issubclass(shape, BaseModel):
            info = next((f for name, f in shape.model_fields.items() if (f.alias or name) == part), None)
            shape = info.annotation if info else None
        else:
            args = typing.get_args(shape)
            shape = args[-1] if args else None
    shape = _inner(shape)
    if isinstance(shape, type) and issubclass(shape, BaseModel):
        return [f.alias or name for name, f in shape.model_fields.items()]
    return []


def _inner(shape: Any) -> Any:
    """The model inside ``Annotated[…]`` and ``X | None``."""
    while True:
        origin = typing.get_origin(shape)
        if origin is Annotated:
            shape = typing.get_args(shape)[0]
        elif origin in (typing.Union, types.UnionType):
            shape = next(a for a in typing.get_args(shape) if a is not type(None))
        else:
            return shape
