"""Short forms (Ibid., Id., supra, hereinafter, a case's short cite) resolved in note order."""

from __future__ import annotations


from ..model import Citation, Footnote
from .fields import strip_signal
from .keys import case_cite, norm_text
from .patterns import HEREINAFTER_RE, MIN_SHORT_NAME_LEN, QUOTE_RE, SUPRA_RE
from .scan import balanced_end


class Resolver:
    """Resolve short forms in note order; keeps the per-document memory they need."""

    def __init__(self, notes: list[Footnote]):
        self.notes = notes
        self.by_label: dict[str, int] = {}
        for i, n in enumerate(notes):
            self.by_label.setdefault(n.label.strip(), i)
        self.seen: list[Citation] = []
        self.short_names: list[tuple[str, Citation]] = []

    def resolve(self, cite: Citation) -> None:
        body = strip_signal(cite.text)[1]
        if cite.short_form in ("ibid", "id"):
            if self.seen:
                self._point(cite, self.seen[-1])
        elif cite.short_form == "supra":
            target = self._supra_target(body)
            if target is not None:
                self._point(cite, target)
        else:
            target = self._short_name_target(body)
            if target is not None and not cite.url:  # a printed URL makes it a full citation
                cite.short_form = "hereinafter"
                self._point(cite, target)
            elif (case := case_cite(cite.text)) and case.endswith(" at"):
                target = self._case_target(case[: -len(" at")])
                if target is not None:  # "Lucas, 505 U.S. at 1027": no short_form name for it
                    self._point(cite, target)
        for name in _hereinafter_names(cite.text):
            self.short_names.append((norm_text(name), cite))
        self.short_names.sort(key=lambda item: -len(item[0]))
        self.seen.append(cite)

    def _supra_target(self, body: str) -> Citation | None:
        m = SUPRA_RE.match(body)
        if not m:
            return None
        who = m.group("who") or ""
        named = self._short_name_target(who) if who else None
        if m.group("label"):
            index = self.by_label.get(m.group("label"))
            pool = [c for c in self.seen if c.note == index and not c.short_form]
        else:
            pool = [c for c in self.seen if not c.short_form]
        if named is not None and (not m.group("label") or named.note == self.by_label.get(m.group("label"))):
            return named
        return _best_author_match(pool, who)

    def _case_target(self, volume_reporter: str) -> Citation | None:
        for cite in reversed(self.seen):
            if cite.source_key and cite.source_key.startswith(f"case:{volume_reporter} "):
                return cite
        return None

    def _short_name_target(self, body: str) -> Citation | None:
        text = norm_text(body)
        for name, cite in self.short_names:
            if len(name) >= MIN_SHORT_NAME_LEN and (text == name or text.startswith(name + " ")):
                return cite
        return None

    @staticmethod
    def _point(cite: Citation, target: Citation) -> None:
        """Make a short form point at its antecedent's note and source."""
        cite.refers_to = target.refers_to if target.refers_to is not None else target.note
        cite.source_key = target.source_key
        cite.title = target.title
        cite.url = cite.url or target.url
        cite.authors = target.authors
        cite.container = cite.container or target.container
        cite.publisher = cite.publisher or target.publisher
        cite.doi = cite.doi or target.doi
        cite.date, cite.date_text = (target.date, target.date_text) if target.date else (cite.date, cite.date_text)
        cite.kind = target.kind


def _best_author_match(pool: list[Citation], who: str) -> Citation | None:
    """Among candidate citations, the latest whose authors or title share a word with ``who``."""
    words = set(norm_text(who).split())
    for cite in reversed(pool):
        hay = set(norm_text(f"{cite.authors or ''} {cite.title or ''}").split())
        if words and words & hay:
            return cite
    return pool[0] if pool and len({c.note for c in pool}) == 1 else None


def _hereinafter_names(text: str) -> list[str]:
    """Short names a citation defines: '(hereinafter X)', '[hereinafter X]', 'hereinafter "X"'."""
    names = []
    for m in HEREINAFTER_RE.finditer(text):
        opener = m.group()[0]
        if opener in "([":
            end = balanced_end(text, m.start())
            name = text[m.end() : end]
        else:
            q = QUOTE_RE.match(text, m.end())
            name = (q.group("a") or q.group("b")) if q else ""
        name = name.strip(" ,.").strip("“”\"")
        if name:
            names.append(name)
    return names
