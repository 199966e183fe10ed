"""Name pinyin without pypinyin's phrase dictionary (issue 15 #6: 44 MB of 58 MB).

``pinyin_of`` loads pypinyin's single-character dictionary and only the phrases whose reading is
not their characters' own (resources/pinyin/phrases.tsv). Regenerate the table after upgrading
pypinyin: ``python -m tests.services.domain.test_pinyin > resources/pinyin/phrases.tsv``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from services.domain.textutil import PHRASES_FILE

ROOT = Path(__file__).resolve().parents[3]
HEADER = """\
# Phrases whose reading differs from their characters' first readings, from pypinyin's phrase
# dictionary (MIT licence, data of mozillazg/phrase-pinyin-data); name pinyin loads only these.
# Made by: python -m tests.services.domain.test_pinyin > resources/pinyin/phrases.tsv
"""

# Every name of the demo's generator, compound surnames and names that read as phrases.
READINGS = r"""
import json, sys
from services.demo.township import GIVEN, SPECIAL_NAMES, SURNAMES
from services.domain.textutil import PHRASES_FILE, pinyin_of
from pypinyin.phrases_dict import phrases_dict
table = {line.split("\t")[0] for line in PHRASES_FILE.read_text("utf-8").splitlines()[3:]}
phrases = sorted(table) + sorted(phrases_dict)[::10]  # the table's, and a tenth of the rest
names = [s + g for s in SURNAMES for g in GIVEN] + list(SPECIAL_NAMES)
names += [p + "军" for p in phrases] + ["王" + p for p in phrases]
json.dump({n: pinyin_of(n) for n in names}, sys.stdout, ensure_ascii=False)
"""


def _plain(reading: str) -> str:
    folded = unicodedata.normalize("NFD", reading)
    return "".join(c for c in folded if not unicodedata.combining(c))


def table() -> str:
    """The phrase table from the installed pypinyin."""
    from pypinyin.phrases_dict import phrases_dict
    from pypinyin.pinyin_dict import pinyin_dict

    def own(ch: str) -> str | None:
        value = pinyin_dict.get(ord(ch))
        return _plain(value.split(",")[0]) if value else None

    lines = [HEADER.rstrip("\n")]
    for phrase, readings in sorted(phrases_dict.items()):
        if [own(c) for c in phrase] != [_plain(r[0]) for r in readings]:
            lines.append(f"{phrase}\t{' '.join(r[0] for r in readings)}")
    return "\n".join(lines) + "\n"


def test_the_phrase_table_is_current() -> None:
    assert PHRASES_FILE.read_text(encoding="utf-8") == table()


@pytest.mark.slow  # a subprocess start or a whole-app walk: see CONTRIBUTING
def test_names_read_as_with_the_whole_phrase_dictionary() -> None:
    """~18,000 names: the demo's, and phrases (every one of the table's, a tenth of the others)
    as a name's start and after a surname."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def readings(extra: dict[str, str]) -> dict[str, list[str]]:
        out = subprocess.run([sys.executable, "-c", READINGS], env={**env, **extra}, cwd=ROOT,
                             capture_output=True, text=True, check=True).stdout  # fmt: skip
        return dict(json.loads(out))

    ours = readings({})
    whole = readings({"ZZ_PINYIN_WHOLE": "1"})
    assert len(ours) > 15_000
    differ = {name: (ours[name], whole[name]) for name in ours if ours[name] != whole[name]}
    assert not differ, list(differ.items())[:20]
    assert ours["尉迟军"][0] == "yuchijun" and ours["欧阳娜娜"][0] == "ouyangnana"


if __name__ == "__main__":
    sys.stdout.write(table())
