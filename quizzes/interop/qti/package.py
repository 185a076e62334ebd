"""QTI content packages: the zip, its imsmanifest.xml, and the bounds an untrusted one is
held to before anything inside is parsed (as courses/ingest_decode.py guards Word files)."""

from __future__ import annotations

import base64
import io
import posixpath
import zipfile
from urllib.parse import unquote

from ..xmlsafe import XMLTrouble, read_elements

MAX_MEMBERS = 500
MAX_INFLATED = 40 * 1024 * 1024
MAX_XML_BYTES = 20 * 1024 * 1024
MAX_RATIO = 100  # inflated / compressed; real XML stays far below it
MAX_IMAGE_BYTES = 2 * 1024 * 1024
IMAGE_TYPES = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg",
               "gif": "image/gif", "webp": "image/webp"}
QTI_RESOURCE = "imsqti_xmlv1p2"
MANIFEST = "imsmanifest.xml"


class PackageTrouble(Exception):
    """The zip cannot be read as a QTI package; the message says why."""


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    with archive.open(info) as member:
        data = member.read(limit + 1)
    if len(data) > limit:
        raise PackageTrouble(f"“{info.filename}” unpacks to more than "
                             f"{limit // (1024 * 1024)} MB.")
    return data


def _manifest_hrefs(data: bytes) -> list[str]:
    """The QTI assessment files a manifest lists, in order."""
    hrefs: list[str] = []

    def take(resource) -> None:
        # Canvas names the file in a <file href> child and leaves the resource's href out.
        first = resource.find("file")
        href = resource.get("href") or (first.get("href") if first is not None else "")
        if resource.get("type", "").startswith(QTI_RESOURCE) and href:
            hrefs.append(href)

    try:
        read_elements(data, record="resource", on_record=take)
    except XMLTrouble as trouble:
        raise PackageTrouble(f"Its {MANIFEST} cannot be read: {trouble.message}") from None
    return hrefs


def open_package(data: bytes) -> tuple[list[tuple[str, bytes]], dict[str, str]]:
    """The package's QTI assessment files as (name, bytes), and its pictures as data: URLs
    by path. Refuses, before inflating anything, a zip with too many members or one whose
    members claim more than the bounds allow."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_MEMBERS:
                raise PackageTrouble(f"The zip holds more than {MAX_MEMBERS} files.")
            if sum(i.file_size for i in infos) > MAX_INFLATED:
                raise PackageTrouble(f"The zip unpacks to more than "
                                     f"{MAX_INFLATED // (1024 * 1024)} MB.")
            if any(i.file_size > MAX_RATIO * max(i.compress_size, 1) for i in infos):
                raise PackageTrouble("The zip claims an impossible compression ratio.")
            by_name = {i.filename: i for i in infos if not i.is_dir()}
            if MANIFEST not in by_name:
                raise PackageTrouble(f"The zip has no {MANIFEST}, so it is not a QTI "
                                     "package. Export the quiz from Canvas (or another "
                                     "tool) as QTI.")
            hrefs = _manifest_hrefs(_read(archive, by_name[MANIFEST], MAX_XML_BYTES))
            missing = [h for h in hrefs if h not in by_name]
            if not hrefs or missing:
                raise PackageTrouble(f"Its {MANIFEST} names no QTI assessment in the zip."
                                     if not hrefs else
                                     f"Its {MANIFEST} names “{missing[0]}”, which is not "
                                     "in the zip.")
            assessments = [(h, _read(archive, by_name[h], MAX_XML_BYTES)) for h in hrefs]
            images = {}
            for name, info in by_name.items():
                extension = name.rsplit(".", 1)[-1].lower()
                if extension in IMAGE_TYPES and info.file_size <= MAX_IMAGE_BYTES:
                    raw = _read(archive, info, MAX_IMAGE_BYTES)
                    images[name] = (f"data:{IMAGE_TYPES[extension]};base64,"
                                    f"{base64.b64encode(raw).decode()}")
    except PackageTrouble:
        raise
    except Exception as error:  # zipfile raises a zoo of types for damaged archives
        raise PackageTrouble(f"The zip cannot be opened ({type(error).__name__}).") from None
    return assessments, images


def resolve(src: str, base: str, images: dict[str, str]) -> str | None:
    """The data: URL of a picture the QTI file at ``base`` refers to as ``src`` (relative,
    or Canvas's ``$IMS-CC-FILEBASE$/…``); None when the package does not hold it."""
    path = unquote(src.replace("$IMS-CC-FILEBASE$/", "").split("?", 1)[0])
    for candidate in (posixpath.normpath(posixpath.join(posixpath.dirname(base), path)),
                      posixpath.normpath(path)):
        if candidate in images:
            return images[candidate]
    return None


def write_package(files: list[tuple[str, str]]) -> bytes:
    """A zip of (name, text) files, byte for byte the same for the same input."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files:
            info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()
