"""ingest/readers.py on real files made by real tools (tests/real_files.py): what each reader keeps, and the
message each bad file gets."""
import os
from pathlib import Path

import pytest

from ingest.config import ReaderLimits
from ingest.readers import check_size, read_docx, read_html, read_pdf
from ingest.records import RecordError
from tests.real_files import DECLARATION_TITLE, encrypted_copy, scanned_pdf, write_docx, zip_bomb_docx

LIMITS = ReaderLimits()


def _error(read, path: Path, limits: ReaderLimits = LIMITS) -> str:
    with pytest.raises(RecordError) as caught:
        read(path, limits)
    assert caught.value.source == str(path)
    return caught.value.message


class TestPdf:
    def test_pages_lines_and_title_without_running_header_and_footer(self, declaration_pdf: Path):
        extracted = read_pdf(declaration_pdf, LIMITS)
        assert extracted.pages == 3
        assert extracted.meta["title"] == DECLARATION_TITLE  # Chromium writes the page's <title> as /Title
        assert "date" not in extracted.meta  # a file's creation time is not the document's date
        by_page = {b.text: b.page for b in extracted.blocks}
        assert by_page["Article 1 Scope"] == 1 and by_page["Article 4 Incident reporting"] == 2
        assert by_page["Article 5 Periodic review"] == 3
        texts = [b.text for b in extracted.blocks]
        assert not any(t.startswith("Page ") and " of 3" in t for t in texts)  # footers dropped
        assert DECLARATION_TITLE not in texts  # the running header (and the h1 that repeats it) dropped
        assert all(b.wrapped and not b.level for b in extracted.blocks)
        assert "(artificial intelligence" in " ".join(texts)  # the printed "ﬁ" ligature read as "fi"

    def test_owner_password_only_opens_user_password_is_refused(self, declaration_pdf: Path, tmp_path: Path):
        opens = encrypted_copy(declaration_pdf, tmp_path / "restricted.pdf", user_password="")
        assert any("seventy-two hours" in b.text for b in read_pdf(opens, LIMITS).blocks)
        locked = encrypted_copy(declaration_pdf, tmp_path / "locked.pdf", user_password="secret")
        message = _error(read_pdf, locked)
        assert message.startswith("encrypted PDF") and "without" in message and "qpdf --decrypt" in message

    def test_scan_without_text_layer(self, tmp_path: Path):
        message = _error(read_pdf, scanned_pdf(tmp_path / "scan.pdf"))
        assert "no text layer" in message and "OCR" in message and "2 pages" in message

    @pytest.mark.parametrize("content", [b"%PDF-1.7\n1 0 obj <<>> garbage", b"not a pdf at all", b""])
    def test_corrupt(self, tmp_path: Path, content: bytes):
        path = tmp_path / "broken.pdf"
        path.write_bytes(content)
        assert "not a readable PDF" in _error(read_pdf, path)

    def test_truncated(self, declaration_pdf: Path, tmp_path: Path):
        path = tmp_path / "half.pdf"
        data = declaration_pdf.read_bytes()
        path.write_bytes(data[: len(data) // 3])
        message = _error(read_pdf, path)
        assert "not a readable PDF" in message or "cannot be read" in message or "no text layer" in message

    def test_page_limit(self, declaration_pdf: Path):
        assert "over the 2 page limit" in _error(read_pdf, declaration_pdf, ReaderLimits(max_pages=2))


class TestDocx:
    def test_heading_styles_tables_and_properties(self, tmp_path: Path):
        path = write_docx(tmp_path / "charter.docx", "Harbour City AI Charter", "Harbour City Council", [
            ("Title", "Harbour City AI Charter"), ("", "Adopted by the council."),
            ("Heading 1", "Principles"), ("Heading 2", "Fairness"), ("", "Services must not discriminate."),
            ("Heading 2", "Openness"), ("", "Every system in use is listed in a public register.")],
            table=[["Body", "Role"], ["Ethics board", "Reviews each system"]])
        extracted = read_docx(path, LIMITS)
        assert extracted.meta == {"title": "Harbour City AI Charter", "issuer": "Harbour City Council"}
        levels = [(b.level, b.text) for b in extracted.blocks]
        assert (1, "Principles") in levels and (2, "Fairness") in levels
        assert (0, "Ethics board | Reviews each system") in levels
        assert "Harbour City AI Charter" not in [b.text for b in extracted.blocks]  # the Title style is the title

    def test_zip_bomb_refused_from_the_directory(self, tmp_path: Path):
        bomb = zip_bomb_docx(tmp_path / "bomb.docx", unpacked_mb=30)
        assert bomb.stat().st_size < 1_000_000
        message = _error(read_docx, bomb, ReaderLimits(max_unpacked_mb=20))
        assert "unpacks to 30 MB" in message and "zip bomb" in message

    def test_corrupt_and_not_word(self, tmp_path: Path):
        broken = tmp_path / "broken.docx"
        broken.write_bytes(b"PK\x03\x04 this is not really a zip")
        assert "not a readable DOCX" in _error(read_docx, broken)
        other = zip_bomb_docx(tmp_path / "other.docx", unpacked_mb=0)
        assert "not a readable DOCX" in _error(read_docx, other)  # a zip with a document.xml that is not XML


class TestHtml:
    def test_text_only_scripts_never_kept(self, tmp_path: Path):
        path = tmp_path / "page.html"
        path.write_text(
            '<html lang="en-GB"><head><title>Page title</title><meta name="author" content="Ministry of Tests">'
            '<meta name="dc.date" content="2024-05-02"><script>var secret = "SCRIPT-TEXT";</script>'
            "<style>p { color: red }</style></head><body><nav>Home | About</nav>"
            "<h1>River Accord on AI</h1><p>Intro <b>bold</b> text.</p><h2>1. Safety</h2>"
            '<p onclick="alert(1)">Systems &lt;b&gt;must&lt;/b&gt; be safe.</p>'
            "<script>document.write('INJECTED')</script><img src=x onerror=\"alert('IMG')\"></body></html>",
            encoding="utf-8")
        extracted = read_html(path, LIMITS)
        assert extracted.meta == {"title": "Page title", "issuer": "Ministry of Tests", "date": "2024-05-02",
                                  "language": "en"}
        texts = [(b.level, b.text) for b in extracted.blocks]
        assert texts == [(1, "River Accord on AI"), (0, "Intro bold text."), (2, "1. Safety"),
                         (0, "Systems <b>must</b> be safe.")]  # markup in the text stays text
        joined = " ".join(t for _, t in texts)
        assert not any(word in joined for word in ("SCRIPT-TEXT", "INJECTED", "alert", "color", "Home"))

    def test_page_of_scripts_only(self, tmp_path: Path):
        path = tmp_path / "app.html"
        path.write_text("<html><body><script>render()</script><div></div></body></html>", encoding="utf-8")
        assert "no text in this HTML page" in _error(read_html, path)


def test_size_limit_checked_before_reading(tmp_path: Path):
    path = tmp_path / "huge.pdf"
    with open(path, "wb") as handle:  # 200 MB, sparse: nothing is written, nothing must be read
        handle.truncate(200 * 1_000_000)
    with pytest.raises(RecordError) as caught:
        check_size(path, LIMITS)
    assert "is 200 MB, over the 50 MB limit" in caught.value.message and "GOVRAG_MAX_FILE_MB" in caught.value.message
    os.remove(path)
