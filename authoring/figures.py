"""Figures uploaded per standard: the pictures a text refers to as `figures/NAME`.

An upload is never stored as sent: it is decoded with Pillow under a pixel cap (decompression bombs
are refused before their pixels are allocated), checked to be a PNG or JPEG by its content rather
than its name, and encoded again. Re-encoding drops EXIF, text chunks, colour profiles from
cameras, trailing data and anything else a file might smuggle into an export.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import ForeignKey, Integer, LargeBinary, String, UniqueConstraint, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accounts.database import UTCDateTime, utcnow
from accounts.models import User
from accounts.refusals import Decision, Refused
from accounts.uploads import shown_name
from authoring.models import Standard
from authoring.permissions import Actor, can_edit_standard
from extensions import db

#: the largest upload accepted, in bytes (FIGURE_MAX_BYTES in the configuration overrides it)
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
#: the most pixels a figure may have: 40 megapixels is a 7,300 × 5,500 scan, far more than print needs
MAX_PIXELS = 40_000_000
#: a figure's name: letters (Chinese too), digits, `_-.`, ending in .png, .jpg or .jpeg
NAME_PATTERN = re.compile(r"[\w][\w.-]{0,80}\.(png|jpe?g)", re.IGNORECASE)

_FORMATS = {"png": ("PNG", "image/png"), "jpg": ("JPEG", "image/jpeg"), "jpeg": ("JPEG", "image/jpeg")}


def megabytes(size: int) -> str:
    """`size` in MB for messages: one decimal, none when whole ("5", "0.1", "2.5")."""
    return f"{size / 1_048_576:.1f}".removesuffix(".0")


class Figure(db.Model):
    """A picture of a standard, shown where its text writes `![caption](figures/NAME)`."""

    __tablename__ = "figures"
    __table_args__ = (UniqueConstraint("standard_id", "name", name="uq_figures_standard_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(ForeignKey("standards.id", ondelete="CASCADE"), index=True)
    #: the NAME of `figures/NAME`, e.g. "flow.png"; one per standard (a new upload replaces it)
    name: Mapped[str] = mapped_column(String(100))
    #: image/png or image/jpeg, from the re-encoded content
    media_type: Mapped[str] = mapped_column(String(32))
    #: the re-encoded picture; deferred so that lists of figures do not load the pictures
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    #: SHA-256 of `data`: part of an export's cache key, and the ETag of the picture
    sha256: Mapped[str] = mapped_column(String(64))
    #: size of `data` in bytes
    size: Mapped[int] = mapped_column(Integer)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    #: who uploaded the current picture (None when the account was deleted)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    #: when the current picture was uploaded
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    standard: Mapped[Standard] = relationship()
    uploaded_by: Mapped[User | None] = relationship()

    @property
    def reference(self) -> str:
        """What the Markdown writes to show it."""
        return f"figures/{self.name}"

    def __repr__(self) -> str:
        return f"<Figure {self.standard_id}/{self.name}>"


def can_manage_figures(actor: Actor, standard: Standard) -> Decision:
    """Whoever may edit the text: its drafters and the association's secretariat, in an editable stage."""
    return can_edit_standard(actor, standard)


def figures_of(standard: Standard) -> list[Figure]:
    """The standard's figures by name, without their pictures loaded."""
    return list(
        db.session.scalars(select(Figure).where(Figure.standard_id == standard.id).order_by(Figure.name))
    )


def figure_files(standard: Standard) -> dict[str, bytes]:
    """{name: picture} of every figure, as the export pipeline takes them."""
    rows = db.session.execute(select(Figure.name, Figure.data).where(Figure.standard_id == standard.id))
    return {name: data for name, data in rows}


def figures_digest(standard: Standard) -> str:
    """One SHA-256 over the names and contents of the figures: changes when any figure changes."""
    rows = db.session.execute(
        select(Figure.name, Figure.sha256).where(Figure.standard_id == standard.id).order_by(Figure.name)
    )
    return hashlib.sha256("\n".join(f"{name}\t{sha}" for name, sha in rows).encode()).hexdigest()


def find_figure(standard: Standard, name: str) -> Figure | None:
    """The figure named `name` (as a URL gives it), or None; a name with a NUL is none (PostgreSQL
    refuses a NUL in a query's text, which would be a 500 for `/figures/flow.png%00`)."""
    if "\x00" in name:
        return None
    return db.session.scalar(select(Figure).where(Figure.standard_id == standard.id, Figure.name == name))


def clean_name(filename: str) -> str:
    """The figure name for an uploaded file name (its last path segment), or `Refused`."""
    name = re.split(r"[\\/]", filename.strip())[-1].strip()
    if not NAME_PATTERN.fullmatch(name):
        raise Refused(
            "invalid",
            _(
                "“%(name)s” cannot be a figure name: use letters, digits, “-”, “_” and “.”, ending in .png, .jpg or .jpeg.",
                name=shown_name(name),  # without its NUL or bidi override, cut short
            ),
        )
    return name


def reencode(data: bytes, name: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[bytes, str, int, int]:
    """(picture, media type, width, height): `data` decoded and encoded again as the format `name` says.

    Refuses files over `max_bytes`, files that are not PNG or JPEG whatever their name, pictures of
    more than MAX_PIXELS and files Pillow cannot decode completely.
    """
    from PIL import Image, UnidentifiedImageError

    if len(data) > max_bytes:
        raise Refused(
            "invalid",
            _(
                "The file is %(size)s MB; a figure may be at most %(limit)s MB.",
                size=megabytes(len(data)),
                limit=megabytes(max_bytes),
            ),
        )
    target, media_type = _FORMATS[name.rsplit(".", 1)[1].lower()]
    not_a_picture = Refused(
        "invalid", _("“%(name)s” is not a PNG or JPEG picture (or it is damaged).", name=name)
    )
    too_many_pixels = Refused(
        "invalid",
        _(
            "The picture has more than %(limit)s million pixels, the most a figure may have.",
            limit=MAX_PIXELS // 1_000_000,
        ),
    )
    try:
        with warnings.catch_warnings():
            # opening reads the header only; the pixel cap below refuses before any decoding
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            probe = Image.open(io.BytesIO(data))
        with probe:
            if probe.format not in ("PNG", "JPEG"):
                raise not_a_picture
            width, height = probe.size
            if width * height > MAX_PIXELS:
                raise Refused(
                    "invalid",
                    _(
                        "The picture has %(width)s × %(height)s pixels; a figure may have at most %(limit)s million.",
                        width=width,
                        height=height,
                        limit=MAX_PIXELS // 1_000_000,
                    ),
                )
            probe.verify()
        with Image.open(io.BytesIO(data)) as picture:
            picture.load()
            out = io.BytesIO()
            if target == "JPEG":
                picture.convert("RGB").save(out, format="JPEG", quality=90, optimize=True)
            else:
                keep = picture.mode if picture.mode in ("1", "L", "LA", "P", "RGB", "RGBA") else "RGBA"
                picture.convert(keep).save(out, format="PNG", optimize=True)
    except Refused:
        raise
    except Image.DecompressionBombError as error:
        raise too_many_pixels from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise not_a_picture from error
    return out.getvalue(), media_type, width, height


def upload_figure(
    standard: Standard,
    user: User,
    filename: str,
    data: bytes,
    *,
    now: datetime,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Figure:
    """Store `data` as figure `filename` of `standard`, re-encoded; a figure of that name is replaced."""
    can_manage_figures(user, standard).require(
        message=_("Only the drafters of this standard and the secretariat may change its figures.")
    )
    name = clean_name(filename)
    picture, media_type, width, height = reencode(data, name, max_bytes=max_bytes)
    figure = find_figure(standard, name) or Figure(standard=standard, name=name)
    figure.data = picture
    figure.media_type = media_type
    figure.sha256 = hashlib.sha256(picture).hexdigest()
    figure.size = len(picture)
    figure.width, figure.height = width, height
    figure.uploaded_by = user
    figure.uploaded_at = now
    db.session.add(figure)
    try:
        db.session.flush()
    except IntegrityError as clash:  # a first upload of the same name committed since we looked
        raise Refused(
            "invalid",
            _(
                "Someone uploaded a figure named “%(name)s” at the same moment. Upload yours again to replace it.",
                name=name,
            ),
        ) from clash
    return figure


def delete_figure(figure: Figure, user: User) -> None:
    """Remove a figure; the text's reference then exports as a framed placeholder."""
    can_manage_figures(user, figure.standard).require(
        message=_("Only the drafters of this standard and the secretariat may change its figures.")
    )
    db.session.delete(figure)
    db.session.flush()
