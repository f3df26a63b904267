"""Knowledge files in, `Document`s out: .txt, .md (YAML front matter), .docx, .pdf, .html.

Each format's raw text comes from its module in `formats`; every text is then
NFC-normalised and repaired (see `repair`). Each format's own structure
arrives as "#" heading lines (Word Title/Heading styles, a PDF's outline, a web page's
headings, Markdown), which the chunker turns into the section tree and never quotes.

Title: front matter or the file's properties → an official document's type line
("KẾ HOẠCH" …) and number ("Số 10-KH/ĐUK") → the first heading → the first line; a title the
file marks is removed from the text (it is shown in the source line). Date: front matter or
page metadata → the place-and-date line ("…, ngày 15 tháng 10 năm 2024") → Word's created
date; for Word and PDF the written date comes first. None known: none. The signer is the
name that closes a document with a "Nơi nhận" block.

Loaders are pure: a path (or its bytes) in, a `Document` out, so parsing can move into a
bounded child process.

`load_directory` never raises for one file. Hidden files and folders, README files,
Office lock files ("~$…"), backups and images are ignored silently; any other file whose
format is not supported is reported as skipped, so an admin who drops a .doc learns why
it is not answered from.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path, PurePosixPath

from bot.knowledge.document import Document, SkippedFile, relative_name
from bot.knowledge.formats import UnreadableFile
from bot.knowledge.formats.markdown import front_matter, strip_markdown
from bot.knowledge.formats.pdf import pdf_text
from bot.knowledge.formats.web_page import html_document
from bot.knowledge.formats.word import docx_text
from bot.knowledge.repair import is_structural_line, is_upper_line, repair_text

__all__ = [
    "SUPPORTED_SUFFIXES",
    "UnreadableFile",
    "knowledge_files",
    "load_directory",
    "load_document",
]

SUPPORTED_SUFFIXES = frozenset({".txt", ".md", ".docx", ".pdf", ".html", ".htm"})
KINDS = ("plan", "speech", "article", "post", "hoi-dap")  # hoi-dap: an approved answer

_IGNORED_SUFFIXES = frozenset(
    ".png .jpg .jpeg .gif .bmp .webp .svg .ico .tif .tiff .heic "
    ".tmp .temp .bak .swp .swo .part .crdownload .lock .log .pyc .db".split()
)
_IGNORED_NAMES = frozenset({"readme.md", "readme.txt", "readme", "thumbs.db", "desktop.ini"})
_KIND_WORDS = {
    "kế hoạch": "plan", "bài phát biểu": "speech", "phát biểu": "speech", "diễn văn": "speech",
    "bài viết": "article", "bài báo": "article", "bài đăng": "post", "tin": "post",
    "hỏi đáp": "hoi-dap", "hoi dap": "hoi-dap",
}  # fmt: skip
# Document types as official documents print them, in capitals, on a line of their own.
_DOC_TYPES = (
    "KẾ HOẠCH", "NGHỊ QUYẾT", "CHỈ THỊ", "HƯỚNG DẪN", "QUYẾT ĐỊNH", "THÔNG BÁO", "BÁO CÁO",
    "CÔNG VĂN", "TỜ TRÌNH", "QUY ĐỊNH", "QUY CHẾ", "KẾT LUẬN", "THÔNG TRI", "CHƯƠNG TRÌNH",
    "ĐỀ ÁN", "ĐỀ CƯƠNG", "BÀI PHÁT BIỂU", "PHÁT BIỂU", "DIỄN VĂN", "LỜI KÊU GỌI",
)  # fmt: skip
_SPEECH_TYPES = ("BÀI PHÁT BIỂU", "PHÁT BIỂU", "DIỄN VĂN")
_HEAD_LINES = 30
_NUMBER = re.compile(r"^Số\s*:?\s*(\d[\w./-]*)")
_ISSUE_DATE = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})")
_MARKER = re.compile(r"^(#{1,6})\s+(.+?)\s*$", re.M)


def load_document(path: Path, root: Path) -> Document:
    """Read one knowledge file; raise `UnreadableFile` (or a library error) if it cannot be."""
    suffix = path.suffix.lower()
    meta: dict[str, str] = {}
    if suffix in (".txt", ".md"):
        text = _decode(path.read_bytes())
        if suffix == ".md":
            meta, text = front_matter(text)
            text = strip_markdown(text)
    elif suffix == ".docx":
        meta, text = docx_text(path)
    elif suffix == ".pdf":
        meta, text = pdf_text(path)
    elif suffix in (".html", ".htm"):
        meta, text = html_document(path.read_bytes())
        text = strip_markdown(text)
    else:
        hint = "; hãy lưu lại thành .docx" if suffix in (".doc", ".rtf", ".odt") else ""
        raise UnreadableFile(f"định dạng {suffix or 'không có đuôi'} chưa được hỗ trợ{hint}")
    text = repair_text(unicodedata.normalize("NFC", text), unwrap=suffix == ".pdf")
    if not text:
        raise UnreadableFile("tệp rỗng")
    meta = {k: unicodedata.normalize("NFC", v) for k, v in meta.items()}
    known = {k: meta.pop(k, "") for k in ("title", "kind", "date", "source", "approved_by")}
    head = text.split("\n")[:_HEAD_LINES]
    derived_title, derived_kind = _title_from_text(head)
    marked = known["title"] or _first_heading(head)
    title = known["title"] or derived_title or marked or _first_line(head)
    # A Word or PDF file's own dates are when the file was made (a copied template keeps its
    # template's): the issue date written in the document comes first there.
    written = _issue_date(head)
    filed = suffix in (".docx", ".pdf")
    date = (written or known["date"]) if filed else (known["date"] or written)
    return Document(
        path=relative_name(path, root),
        title=title or path.stem.replace("_", " ").strip(),
        text=_without_title(text, marked) if marked == title else text,
        kind=_kind(known["kind"]) if known["kind"] else derived_kind,
        date=date,
        source=known["source"],
        approved_by=known["approved_by"] or _signer(text),
        extra=meta,
    )


def _first_heading(head: list[str]) -> str:
    for line in head:
        if match := _MARKER.match(line):
            return match.group(2)
    return ""


def _first_line(head: list[str]) -> str:
    """The first line, when it reads as a title (not a numbered part or a list item)."""
    line = next((ln.strip() for ln in head if ln.strip()), "")
    if is_structural_line(line):
        return ""
    return line if len(line) <= 200 else line[:200].rsplit(" ", 1)[0] + "…"


def _key(text: str) -> str:
    return " ".join(_MARKER.sub(r"\2", text).split()).casefold()


def _without_title(text: str, title: str) -> str:
    """The text without the lines that only repeat its title (it is shown in the source line)."""
    if not title:
        return text
    paragraphs = text.split("\n\n")
    target = _key(title)
    for n in range(1, min(4, len(paragraphs)) + 1):
        joined = _key(" ".join(paragraphs[:n]))
        if joined == target:
            rest = "\n\n".join(paragraphs[n:]).strip()
            return rest or text
        if not target.startswith(joined):
            break
    return text


def load_directory(root: Path) -> tuple[list[Document], list[SkippedFile]]:
    """Load every knowledge file under `root`, in path order; report the ones that fail."""
    documents: list[Document] = []
    skipped: list[SkippedFile] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = PurePosixPath(relative_name(path, root))
        if _ignored(rel):
            continue
        try:
            documents.append(load_document(path, root))
        except Exception as exc:  # one bad file must not stop the others
            skipped.append(SkippedFile(path=str(rel), reason=_reason(path, exc)))
    return documents, skipped


def knowledge_files(root: Path) -> list[Path]:
    """The files `load_directory` tries to load as documents (supported and not ignored)."""
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file()
        and p.suffix.lower() in SUPPORTED_SUFFIXES
        and not _ignored(PurePosixPath(relative_name(p, root)))
    )


def _ignored(rel: PurePosixPath) -> bool:
    name = rel.name.lower()
    return (
        any(part.startswith(".") for part in rel.parts)
        or name in _IGNORED_NAMES
        or name.startswith("~$")  # Word/Excel lock file next to an open document
        or name.endswith("~")
        or rel.suffix.lower() in _IGNORED_SUFFIXES
    )


def _reason(path: Path, exc: Exception) -> str:
    if isinstance(exc, UnreadableFile):
        return str(exc)
    detail = " ".join(str(exc).split())[:160] or type(exc).__name__
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return f"không đọc được tệp Word (.docx): {detail}"
    if suffix == ".pdf":
        return f"không đọc được tệp PDF: {detail}"
    if suffix in (".html", ".htm"):
        return f"không đọc được tệp HTML: {detail}"
    return f"không đọc được tệp: {detail}"


def _decode(data: bytes) -> str:
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Notepad's "Unicode" is UTF-16
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile("không phải văn bản UTF-8 (hãy lưu lại với mã hóa UTF-8)") from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # before front matter is parsed
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f\v")
    if "\x00" in text or controls > len(text) / 100:
        raise UnreadableFile("tệp chứa dữ liệu nhị phân, không phải văn bản")
    return text


def _kind(value: str) -> str:
    kind = value.strip().lower()
    kind = _KIND_WORDS.get(kind, kind)
    if kind not in KINDS:
        raise UnreadableFile(f"kind không hợp lệ: {value!r} ({', '.join(KINDS)})")
    return kind


def _title_from_text(head: list[str]) -> tuple[str, str]:
    """(title, kind) from an official document's type line, e.g. "Kế hoạch số 10-KH/ĐUK …"."""
    number = ""
    for i, line in enumerate(head):
        if not number and (match := _NUMBER.match(line)):
            number = match.group(1).rstrip(".,;")
        doc_type = next((t for t in _DOC_TYPES if line == t or line.startswith(t + " ")), "")
        if not doc_type:
            continue
        subject = [line[len(doc_type) :].strip()]
        for following in head[i + 1 :]:
            if not following:  # the subject ends with its paragraph
                break
            subject.append(following)
        about = " ".join(s for s in subject if s)
        if not about:  # "KẾ HOẠCH" alone: the subject is the next paragraph's short line
            after = next((ln for ln in head[i + 1 :] if ln), "")
            if 0 < len(after) <= 200 and after[-1] not in ".:;" and not is_structural_line(after):
                about = after
        kind = "speech" if doc_type in _SPEECH_TYPES else "plan"
        if about and is_upper_line(about):
            return f"{doc_type} {about}"[:250], kind
        label = doc_type.capitalize() + (f" số {number}" if number else "")
        return f"{label} {about}".strip()[:250], kind
    return "", "plan"


def _issue_date(head: list[str]) -> str:
    """The date of the place-and-date line ("Bình Định, ngày 15 tháng 10 năm 2024"), not a
    date a sentence of the text mentions."""
    for line in head:
        line = line.strip().strip("*_")
        match = _ISSUE_DATE.search(line)
        if match and len(line) <= 90 and (match.start() == 0 or "," in line[: match.start()]):
            return "/".join(match.groups())
    return ""


def _signer(text: str) -> str:
    """The name under the signature of a document that has a "Nơi nhận" block, else ""."""
    if not re.search(r"^(?:.* \| )?Nơi nhận\b", text, flags=re.M):
        return ""
    last = text.rstrip().rsplit("\n", 1)[-1]
    name: list[str] = []
    for word in reversed(last.split()):
        if not (word.isalpha() and word.istitle()):
            break
        name.insert(0, word)
    return " ".join(name) if 2 <= len(name) <= 5 else ""
