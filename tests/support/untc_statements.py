"""XVIII-16 status files with statements, written the way UNTC writes them (docs/untc-format.md §3.5).

The real files of 2018 give the layout: an element per participant and section, `type="title"`
headings, escaped `<right>` dates for later additions, and, once a statement is withdrawn, its
text removed and a footnote on the participant pointing at an end note that says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from tests.support.untc_files import hanoi_file, hanoi_rows, with_instruments

SECTIONS = {
    "declarations": ("Declarations", "Declaration"),
    "objections": ("Objections", "Objection"),
    "declarations_under_article": ("DeclarationsUnderArticle", "Declaration"),
    "notifications": ("Notifications", "Notification"),
}


@dataclass(frozen=True)
class Said:
    """One statement element: (heading or None, paragraph) lines, an optional <right> date first."""

    participant: str
    lines: tuple[tuple[str | None, str], ...] = ()
    section: str = "declarations"
    right: str = ""
    footnotes: tuple[int, ...] = ()


@dataclass(frozen=True)
class Note:
    index: int
    text: str


@dataclass
class HanoiFile:
    """The XVIII-16 file with instruments, statements and end notes."""

    instruments: dict[str, str] = field(default_factory=dict)
    said: list[Said] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def bytes(self) -> bytes:
        data = hanoi_file(with_instruments(hanoi_rows(), self.instruments)).decode("iso-8859-1")
        for section, (element, item) in SECTIONS.items():
            entries = "".join(_entry(said, item) for said in self.said if said.section == section)
            if entries:
                data = data.replace(f"<{element} />", f"<{element}><Title>{element}</Title>{entries}</{element}>")
        if self.notes:
            notes = "".join(
                f"<Note><index>{note.index}</index><text>{escape(note.text, quote=False)}</text></Note>"
                for note in self.notes
            )
            data = data.replace("<EndNotes />", f"<EndNotes>{notes}</EndNotes>")
        for said in self.said:
            if said.footnotes:
                marks = escape(f"<superscript>{','.join(map(str, said.footnotes))}</superscript>", quote=False)
                data = data.replace(f"<Entry>{said.participant}</Entry>", f"<Entry>{said.participant}{marks}</Entry>")
        return data.encode("iso-8859-1", "xmlcharrefreplace")


def _entry(said: Said, item: str) -> str:
    marks = f"&lt;superscript&gt;{','.join(map(str, said.footnotes))}&lt;/superscript&gt;" if said.footnotes else ""
    parts = [f"<Participant>{escape(said.participant, quote=False)}{marks}</Participant>"]
    if said.right:
        parts.append(f"<text>&lt;right&gt;{said.right}&lt;/right&gt;</text>")
    for heading, paragraph in said.lines:
        if heading:
            parts.append(f'<text type="title">{escape(heading, quote=False)}</text>')
        if paragraph:
            parts.append(f'<text type="para">{escape(paragraph, quote=False)}</text>')
    return f"<{item}>{''.join(parts)}</{item}>"


FRANCE_RESERVATION = (
    "Reservation:",
    "In accordance with article 22, paragraph 4, of the Convention, France reserves the right not to "
    "establish its jurisdiction over the offences committed on board a ship flying its flag.",
)
FRANCE_DECLARATION = (
    "Declaration:",
    "France declares that it designates the Ministry of Justice as the central authority under article 40.",
)
GERMANY_OBJECTION = (
    "With regard to the reservation made by France upon ratification:",
    "The Government of the Federal Republic of Germany objects to the reservation made by France to article 22 "
    "of the Convention. This objection shall not preclude the entry into force of the Convention between the "
    "two States.",
)
