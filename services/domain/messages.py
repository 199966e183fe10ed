"""User messages that a screen can say in its own language (Qt-free).

Services write their messages in Chinese, the source language of the interface catalogues. A
message with parts that vary is made by :func:`msg` from a template and named arguments::

    raise ValidationError(field, code, msg("{label}不能超过{limit}字（现有{count}字）",
                                           label="住址", limit=200, count=230))

The result is a :class:`Text`: a ``str`` holding the Chinese sentence (logs, command lines and
tests read it as before) that also keeps its template and arguments. The desktop translates the
template through the catalogue context ``"errors"`` and puts the arguments back, each argument
itself translated when it is a catalogue word (a field's name) or a :class:`Text`, dates in the
interface's format, anything else (names, codes, numbers) as it is: a datum.

A constant message needs no :func:`msg`: the screen looks the whole sentence up in the same
context. ``python -m desktop.i18n_catalogue`` collects the templates and the constant sentences
from services/ into the catalogues (see ``MESSAGE_CALLS`` there).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

_FIELD = re.compile(r"\{(\w+)\}")


class Text(str):
    """A Chinese message with the template and arguments it was made from."""

    template: str
    params: Mapping[str, object]

    def __reduce__(self) -> tuple[object, ...]:
        return (_text, (self.template, dict(self.params)))


def _text(template: str, params: Mapping[str, object]) -> Text:
    return msg(template, **params)


@dataclass(frozen=True, slots=True)
class When:
    """A date or time argument with the strftime pattern of its Chinese wording
    (``%m月%d日 %H:%M``); a screen shows it in its own format, with the same parts."""

    value: dt.date
    pattern: str

    def __str__(self) -> str:
        return self.value.strftime(self.pattern)


def when(value: dt.date, pattern: str = "%Y年%m月%d日") -> When:
    """``value`` for a :func:`msg` argument, worded in Chinese by ``pattern``."""
    return When(value, pattern)


def chinese(value: object) -> str:
    """An argument as the Chinese message shows it (dates as 2026年12月8日, lists joined by 、)."""
    if isinstance(value, dt.datetime):
        return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    if isinstance(value, dt.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple | list):
        return "、".join(chinese(v) for v in value)
    return str(value)


def fill(template: str, params: Mapping[str, object],
         show: Callable[[object], str] = chinese) -> str:  # fmt: skip
    """``template`` with each ``{name}`` replaced by ``show(params[name])``; unknown names kept."""

    def one(m: re.Match[str]) -> str:
        name = m.group(1)
        return show(params[name]) if name in params else m.group(0)

    return _FIELD.sub(one, template)


def msg(template: str, /, **params: object) -> Text:
    """The message ``template`` (Chinese, ``{name}`` placeholders) filled with ``params``."""
    text = Text(fill(template, params))
    text.template = template
    text.params = params
    return text
