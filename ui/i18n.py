"""The interface language: Qt catalogues (resources/i18n/*.ts → .qm) and switching at run time.

The source strings are Simplified Chinese (``self.tr("保存")``); ``workbench_en.ts`` translates
them to English and ``workbench_zh_CN.ts`` is the identity catalogue. ``make i18n`` (and
``make run``/``make test``) rebuild the .qm files with pyside6-lrelease;
:func:`ensure_compiled` does the same when a .qm is missing or older than its .ts.

Switching the language (设置 → 界面语言) installs the other translator; Qt then sends every widget
a ``LanguageChange`` event. The main window answers it with ``retranslateUi``: menus, navigation
and status bar rebuilt, every static text of every open widget looked up in the catalogues
(:class:`Retranslator`: shown text → source → new language), table headers repainted, and each
screen reloaded so its computed texts (counts, dates, names) are made again in the new language.
Words the services hand out (状态、风险、操作 labels from ``services.domain``) go through
:func:`vocab`, whose catalogue context ``vocab`` is filled from ``ui/vocabulary.py``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from types import UnionType

from PySide6.QtCore import (
    QCoreApplication,
    QDate,
    QDateTime,
    QLibraryInfo,
    QLocale,
    QModelIndex,
    QObject,
    Qt,
    QTime,
    QTranslator,
)
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QTableWidget,
    QTabWidget,
    QTextEdit,
    QTreeWidget,
    QWidget,
)

log = logging.getLogger(__name__)

LANGUAGES: dict[str, str] = {"zh_CN": "简体中文", "en": "English"}
DEFAULT = "zh_CN"


def i18n_dir() -> Path:
    """resources/i18n beside the code, or inside a PyInstaller bundle."""
    base = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parents[1]))
    return base / "resources" / "i18n"


def ts_path(language: str) -> Path:
    return i18n_dir() / f"workbench_{language}.ts"


def qm_path(language: str) -> Path:
    return i18n_dir() / f"workbench_{language}.qm"


def lrelease() -> Path:
    """pyside6-lrelease of the running interpreter's PySide6."""
    import PySide6

    for candidate in (Path(sys.executable).parent / "pyside6-lrelease",
                      Path(PySide6.__file__).parent / "lrelease",
                      Path(PySide6.__file__).parent / "lrelease.exe"):  # fmt: skip
        if candidate.exists():
            return candidate
    raise FileNotFoundError("pyside6-lrelease not found beside the interpreter or in PySide6")


def ensure_compiled(languages: Iterable[str] = tuple(LANGUAGES)) -> None:
    """Build each .qm that is missing or older than its .ts (a source checkout; a bundle ships
    its .qm)."""
    for language in languages:
        ts, qm = ts_path(language), qm_path(language)
        if not ts.exists() or (qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime):
            continue
        subprocess.run([str(lrelease()), "-silent", str(ts), "-qm", str(qm)], check=True)


def read_catalogue(language: str) -> dict[str, str]:
    """source → translation of one .ts (finished entries only; the identity for zh_CN)."""
    path = ts_path(language)
    table: dict[str, str] = {}
    if not path.exists():
        return table
    for message in ET.parse(path).getroot().iter("message"):
        source, translation = message.findtext("source"), message.find("translation")
        skip = translation is None or translation.get("type") in _NOT_FINISHED
        if not source or skip:
            continue
        table.setdefault(source, (translation.text if translation is not None else "") or source)
    return table


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 (the name lupdate reads)
    """Marks ``text`` for the catalogue under ``context``; translated where it is shown."""
    return text


_NOT_FINISHED = ("unfinished", "vanished", "obsolete")


def vocab(label: str) -> str:
    """A word from the services' vocabularies (状态、风险、办理操作…) in the interface language."""
    return QCoreApplication.translate("vocab", label)


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def message(text: str) -> str:
    """A service's message (``services.domain.messages``) in the interface language.

    A message made by ``msg()`` carries its template and arguments: the template is looked up in
    the catalogue context ``errors`` and each argument put back, itself translated when it is a
    message or a catalogue word (a field's name), dates in the interface's format, anything else
    as it is (a datum). A plain sentence is looked up whole. Untranslated texts stay as they are.
    """
    if current() == "zh_CN":
        return str(text)
    template = getattr(text, "template", None)
    if not isinstance(template, str):
        return _word(str(text))
    params = getattr(text, "params", {})
    shown = QCoreApplication.translate("errors", template)

    def one(m: re.Match[str]) -> str:
        name = m.group(1)
        return _argument(params[name]) if name in params else m.group(0)

    return _PLACEHOLDER.sub(one, shown)


def messages(texts: Iterable[str]) -> str:
    """Several messages as one sentence in the interface language."""
    return ("；" if current() == "zh_CN" else "; ").join(message(t) for t in texts)


def _word(text: str) -> str:
    for context in ("errors", "vocab"):
        shown = QCoreApplication.translate(context, text)
        if shown != text:
            return shown
    return text


def _moment(value: object, pattern: str) -> str:
    """A date or time (``services.domain.messages.When``) with the parts its pattern has."""
    day = value if isinstance(value, dt.date) else None
    if day is None:
        return str(value)
    parts = ["d MMM" if "%Y" not in pattern else "d MMM yyyy"] if "%d" in pattern else []
    if "%H" in pattern and isinstance(day, dt.datetime):
        parts.append("HH:mm")
    when = QDateTime(QDate(day.year, day.month, day.day),
                     QTime(getattr(day, "hour", 0), getattr(day, "minute", 0)))  # fmt: skip
    return QLocale().toString(when, " ".join(parts) or "HH:mm")


def _argument(value: object) -> str:
    pattern = getattr(value, "pattern", None)
    if isinstance(pattern, str):
        return _moment(getattr(value, "value", None), pattern)
    if isinstance(value, str):
        return message(value) if hasattr(value, "template") else _word(value)
    if isinstance(value, dt.datetime):
        when = QDateTime(QDate(value.year, value.month, value.day), QTime(value.hour, value.minute))
        return QLocale().toString(when, QLocale.FormatType.ShortFormat)
    if isinstance(value, dt.date):
        day = QDate(value.year, value.month, value.day)
        return QLocale().toString(day, QLocale.FormatType.ShortFormat)
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, tuple | list):
        return ", ".join(_argument(v) for v in value)
    return str(value)


class Language(QObject):
    """The translators installed on the application; :meth:`switch` changes them at run time."""

    def __init__(self, app: QCoreApplication) -> None:
        super().__init__(app)
        self._app = app
        self.current = ""
        self._installed: list[QTranslator] = []

    def switch(self, language: str) -> bool:
        """Install ``language`` (unknown codes fall back to zh_CN); True if it changed."""
        language = language if language in LANGUAGES else DEFAULT
        if language == self.current:
            return False
        try:
            ensure_compiled((language,))
        except (OSError, subprocess.CalledProcessError):
            log.warning("interface catalogue for %s could not be built", language, exc_info=True)
        for old in self._installed:
            self._app.removeTranslator(old)
        self._installed = []
        if language == "zh_CN":
            QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
            qtbase = QTranslator(self)
            if qtbase.load(
                "qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            ):
                self._installed.append(qtbase)
        else:
            QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
        ours = QTranslator(self)
        if ours.load(str(qm_path(language))):
            self._installed.append(ours)
        elif language != "zh_CN":
            log.warning("interface catalogue %s missing: Chinese texts stay", qm_path(language))
        for translator in self._installed:
            self._app.installTranslator(translator)
        previous, self.current = self.current, language
        if previous:
            log.info("interface language %s -> %s", previous, language)
        return True


_language: Language | None = None


def install(app: QCoreApplication, language: str) -> Language:
    """The application's translators in ``language`` (kept for :func:`switch`)."""
    global _language
    if _language is None or _language.parent() is not app:
        _language = Language(app)
    _language.switch(language)
    return _language


def current() -> str:
    """The interface language in use ("zh_CN" before :func:`install`)."""
    return _language.current if _language is not None else DEFAULT


def switch(language: str) -> bool:
    """Change the interface language of the running application; True if it changed."""
    app = QCoreApplication.instance()
    if app is None:
        return False
    before = current()
    install(app, language)
    return current() != before


class Retranslator:
    """Static texts of built widgets in the new language: shown text → source → translation.

    Texts put together at run time ("待同步 3 条") are not in the catalogue and are left for the
    screen's own reload.
    """

    def __init__(self, old: str, new: str) -> None:
        self._back: dict[str, str] = {}
        if old != "zh_CN":
            self._back = {t: s for s, t in read_catalogue(old).items()}
        self._forward = read_catalogue(new) if new != "zh_CN" else {}

    def text(self, shown: str) -> str:
        source = self._back.get(shown, shown)
        return self._forward.get(source, source)

    def apply(self, roots: Iterable[QWidget]) -> None:
        for root in roots:
            for widget in (root, *root.findChildren(QWidget)):
                self._widget(widget)

    def _set(self, getter: Callable[[], str], setter: Callable[[str], object]) -> None:
        value = getter()
        if value:
            new = self.text(value)
            if new != value:
                setter(new)

    def _widget(self, w: QWidget) -> None:
        for kind, getter, setter in _PROPERTIES:
            if isinstance(w, kind):
                self._set(getattr(w, getter), getattr(w, setter))
        if isinstance(w, QComboBox | QTabWidget):
            get, put = (w.itemText, w.setItemText) if isinstance(w, QComboBox) else (
                w.tabText, w.setTabText)  # fmt: skip
            for i in range(w.count()):
                self._set(partial(get, i), partial(put, i))
        elif isinstance(w, QListWidget):
            for item in (w.item(i) for i in range(w.count())):
                self._set(item.text, item.setText)
        elif isinstance(w, QTableWidget):
            for c in range(w.columnCount()):
                header = w.horizontalHeaderItem(c)
                if header is not None:
                    self._set(header.text, header.setText)
        elif isinstance(w, QAbstractItemView) and not isinstance(w, QTreeWidget):
            model = w.model()
            if model is not None and model.columnCount(QModelIndex()) > 0:  # headers come from tr()
                model.headerDataChanged.emit(
                    Qt.Orientation.Horizontal, 0, model.columnCount(QModelIndex()) - 1
                )


# (widget type, getter, setter) of the texts a widget shows by itself
_PROPERTIES: tuple[tuple[type | UnionType, str, str], ...] = (
    (QWidget, "windowTitle", "setWindowTitle"),
    (QWidget, "toolTip", "setToolTip"),
    (QLabel | QAbstractButton, "text", "setText"),
    (QGroupBox | QMenu, "title", "setTitle"),
    (QLineEdit | QPlainTextEdit | QTextEdit, "placeholderText", "setPlaceholderText"),
    (QAbstractSpinBox, "specialValueText", "setSpecialValueText"),
)
