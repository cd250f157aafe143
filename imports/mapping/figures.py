"""Pictures (stored as figures/NAME, PNG or JPEG only), their captions, and display formulas."""

from __future__ import annotations

from imports.inlines import Node, escape, plain, tidy_tex
from imports.mapping.items import Item, inline_of
from imports.mapping.patterns import EQUATION_NUMBER, FIGURE_CAPTION, PICTURE
from imports.mapping.state import MapperState


class FigureMapping(MapperState):
    """A picture with the caption after it, a missing picture's placeholder, a formula."""

    def _caption_after(self, index: int) -> tuple[str, int]:
        """The figure caption in the paragraph after `index` ("图1　…"), and 1 if there is one."""
        if index + 1 < len(self.items):
            following = self.items[index + 1]
            match = FIGURE_CAPTION.match(following.text())
            if following.style in ("Image Caption", "Figure Caption") or match:
                return (match.group(2).strip() if match else following.text()), 1
        return "", 0

    def _figure(self, item: Item, image: Node, index: int) -> None:
        url = str(image["c"][2][0])
        caption, found = self._caption_after(index)
        ident = self._take_id(self.items[index + 1].text()) if found else None
        caption = caption or plain(image["c"][1]).strip()
        self._store_picture(item, url, caption, ident)

    def _figure_block(self, item: Item) -> None:
        images = [n for b in item.block["c"][2] for n in inline_of(b) if n.get("t") == "Image"]
        caption_text = plain([n for b in item.block["c"][1][1] for n in inline_of(b)]).strip()
        match = FIGURE_CAPTION.match(caption_text)
        caption = match.group(2).strip() if match else caption_text
        if not images:
            self._skip(item, "图中没有图片，已略去。", "A figure without a picture; left out.")
            return
        self._store_picture(item, str(images[0]["c"][2][0]), caption, self._take_id(caption_text))

    def _store_picture(self, item: Item, url: str, caption: str, ident: str | None) -> None:
        self.figure_count += 1
        ident = ident or self._next_id("fig", self.figure_count)
        data = self.media.get(url)
        extension = url.rsplit(".", 1)[-1].lower() if "." in url else ""
        if data is None or extension not in PICTURE:
            self._skip(
                item,
                f"图片 {url} 不是 PNG 或 JPEG（或不在文件中）：请另存为 PNG 后作为图上传。",
                f"The picture {url} is not a PNG or JPEG (or is not in the file): save it as PNG and upload it as a figure.",
            )
            name = f"{ident}.png"
        else:
            name = f"{ident}.{PICTURE[extension]}"
            self.figures[name] = data
        self._figure_reference(f"figures/{name}", caption, ident)

    def _figure_reference(self, reference: str, caption: str = "", ident: str | None = None) -> None:
        if ident is None:
            self.figure_count += 1
            ident = self._next_id("fig", self.figure_count)
        self._emit(f"![{escape(caption)}]({reference}){{#{ident}}}")

    def _formula(self, item: Item) -> None:
        self.formula_count += 1
        tex = " ".join(tidy_tex(n["c"][1]) for n in item.inlines() if n.get("t") == "Math")
        rest = plain([n for n in item.inlines() if n.get("t") != "Math"]).strip()
        ident = self._take_id(rest) if EQUATION_NUMBER.match(rest) else None
        ident = ident or self._next_id("eq", self.formula_count)
        self._emit(f"$$ {tex} $$ {{#{ident}}}")
