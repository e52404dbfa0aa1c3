"""Product pictures for the demo shop, drawn with Pillow from basic shapes.

Each product noun has a simple illustration (a bag of beans, a frying pan,
a tent, a book...) in its department's colours on a soft background, so a
listing looks like a shop rather than a page of initials. Drawing is
deterministic: the same product always gets the same bytes.
"""

from __future__ import annotations

import colorsys
import io
from collections.abc import Callable

from PIL import Image, ImageDraw

SIZE = 600
Colour = tuple[int, int, int]


def _rgb(hue: float, lightness: float, saturation: float) -> Colour:
    return tuple(int(c * 255) for c in colorsys.hls_to_rgb(hue % 1, lightness, saturation))


#: Colour variants' object colours: (hue, lightness, saturation).
COLOURS = {
    "Natural": (0.10, 0.72, 0.35), "Slate": (0.58, 0.42, 0.15), "Sage": (0.28, 0.55, 0.22),
    "Black": (0.60, 0.18, 0.05), "Navy": (0.62, 0.30, 0.55), "Ochre": (0.11, 0.50, 0.70),
    "White": (0.60, 0.90, 0.05),
}  # fmt: skip


class Palette:
    """Background, main, darker and lighter colours of the object, and an accent.

    The background takes the department's hue; the object takes the hue
    shifted by ``tint``, or a colour variant's own colour.
    """

    def __init__(self, hue: float, tint: float = 0.0, colour: str | None = None) -> None:
        self.background = _rgb(hue, 0.93, 0.35)
        h, lightness, saturation = COLOURS.get(colour or "", (hue + tint, 0.50, 0.45))
        self.main = _rgb(h, lightness, saturation)
        self.dark = _rgb(h, max(lightness - 0.2, 0.08), saturation)
        self.light = _rgb(h, min(lightness + 0.25, 0.95), saturation)
        self.accent = _rgb(hue + 0.5, 0.55, 0.55)
        self.metal = (150, 156, 162)
        self.white = (250, 250, 248)


Drawing = Callable[[ImageDraw.ImageDraw, Palette], None]


def _bag(d, p):
    d.polygon([(190, 170), (410, 170), (430, 500), (170, 500)], fill=p.main)
    d.rectangle((190, 140, 410, 175), fill=p.dark)
    d.rounded_rectangle((225, 280, 375, 400), radius=12, fill=p.white)
    d.ellipse((275, 305, 325, 375), fill=p.dark)
    d.line((300, 310, 300, 370), fill=p.white, width=4)


def _tin(d, p):
    d.rectangle((200, 190, 400, 480), fill=p.main)
    d.ellipse((200, 455, 400, 505), fill=p.main)
    d.rectangle((192, 160, 408, 215), fill=p.dark)
    d.ellipse((192, 140, 408, 185), fill=p.light)
    d.rectangle((200, 290, 400, 370), fill=p.white)
    d.ellipse((270, 305, 330, 355), fill=p.accent)


def _pan(d, p):
    d.ellipse((110, 190, 390, 470), fill=p.dark)
    d.ellipse((135, 215, 365, 445), fill=p.main)
    d.rounded_rectangle((370, 305, 540, 345), radius=20, fill=p.dark)


def _pot(d, p):
    d.rounded_rectangle((150, 240, 450, 470), radius=40, fill=p.main)
    d.rounded_rectangle((110, 270, 170, 300), radius=12, fill=p.dark)
    d.rounded_rectangle((430, 270, 490, 300), radius=12, fill=p.dark)
    d.chord((140, 180, 460, 290), 180, 360, fill=p.dark)
    d.ellipse((280, 155, 320, 195), fill=p.dark)


def _knife(d, p):
    d.polygon([(120, 330), (400, 270), (400, 340), (140, 350)], fill=p.metal)
    d.rounded_rectangle((395, 268, 520, 345), radius=18, fill=p.dark)
    for x in (430, 460, 490):
        d.ellipse((x - 6, 300, x + 6, 312), fill=p.light)


def _board(d, p):
    d.rounded_rectangle((140, 170, 460, 470), radius=40, fill=p.main)
    d.ellipse((280, 195, 320, 235), fill=p.background)
    for y in (280, 330, 380, 430):
        d.line((170, y, 430, y), fill=p.dark, width=3)


def _folded(d, p):
    for i, colour in enumerate((p.dark, p.main, p.light)):
        top = 330 - i * 80
        d.rounded_rectangle((130, top, 470, top + 110), radius=24, fill=colour)
        d.line((150, top + 90, 450, top + 90), fill=p.white, width=6)


def _cushion(d, p):
    d.rounded_rectangle((140, 150, 460, 470), radius=70, fill=p.main)
    d.rounded_rectangle((175, 185, 425, 435), radius=50, outline=p.light, width=6)
    d.ellipse((285, 295, 315, 325), fill=p.dark)


def _tent(d, p):
    d.polygon([(300, 130), (520, 470), (80, 470)], fill=p.main)
    d.polygon([(300, 130), (380, 470), (300, 470)], fill=p.dark)
    d.polygon([(300, 290), (350, 470), (250, 470)], fill=p.background)
    d.line((60, 472, 540, 472), fill=p.dark, width=8)


def _sleeping_bag(d, p):
    d.rounded_rectangle((120, 240, 480, 420), radius=90, fill=p.main)
    d.ellipse((380, 240, 560, 420), fill=p.dark)
    d.ellipse((420, 280, 520, 380), fill=p.light)


def _jacket(d, p):
    outline = [(220, 150), (380, 150), (500, 250), (450, 310), (410, 270), (410, 490)]
    outline += [(x, y) for x, y in ((190, 490), (190, 270), (150, 310), (100, 250))]
    d.polygon(outline, fill=p.main)
    d.chord((240, 110, 360, 200), 180, 360, fill=p.dark)
    d.line((300, 160, 300, 490), fill=p.dark, width=6)
    d.rectangle((215, 380, 270, 410), fill=p.dark)
    d.rectangle((330, 380, 385, 410), fill=p.dark)


def _backpack(d, p):
    d.rounded_rectangle((180, 160, 420, 490), radius=60, fill=p.main)
    d.arc((240, 110, 360, 210), 180, 360, fill=p.dark, width=14)
    d.rounded_rectangle((215, 330, 385, 460), radius=24, fill=p.dark)
    d.line((230, 360, 370, 360), fill=p.light, width=5)


def _stove(d, p):
    d.rounded_rectangle((190, 360, 410, 480), radius=20, fill=p.main)
    d.rectangle((285, 300, 315, 365), fill=p.metal)
    d.ellipse((230, 270, 370, 320), fill=p.dark)
    for x in (240, 300, 360):
        d.polygon([(x - 10, 250), (x + 10, 250), (x, 275)], fill=p.accent)


def _poles(d, p):
    for x0 in (230, 350):
        d.line((x0, 140, x0 - 40, 500), fill=p.metal, width=12)
        d.rounded_rectangle((x0 - 18, 120, x0 + 18, 220), radius=14, fill=p.dark)
        d.ellipse((x0 - 70, 430, x0 - 10, 460), outline=p.main, width=6)


def _book(d, p):
    d.rectangle((185, 130, 435, 480), fill=p.white)
    d.rounded_rectangle((165, 120, 420, 470), radius=8, fill=p.main)
    d.rectangle((165, 120, 200, 470), fill=p.dark)
    d.rectangle((235, 190, 385, 205), fill=p.light)
    d.rectangle((235, 220, 355, 232), fill=p.light)
    d.ellipse((260, 290, 360, 390), fill=p.accent)


def _notebook(d, p):
    d.rounded_rectangle((170, 120, 430, 480), radius=16, fill=p.main)
    d.rectangle((370, 120, 385, 480), fill=p.dark)
    d.rounded_rectangle((205, 170, 340, 230), radius=6, fill=p.white)


def _pen(d, p):
    d.rounded_rectangle((140, 280, 400, 330), radius=24, fill=p.dark)
    d.polygon([(400, 280), (480, 305), (400, 330)], fill=p.metal)
    d.rectangle((180, 270, 300, 285), fill=p.accent)
    d.rounded_rectangle((120, 360, 430, 390), radius=14, fill=p.main)
    d.polygon([(430, 360), (480, 375), (430, 390)], fill=p.light)


def _headphones(d, p):
    d.arc((160, 130, 440, 430), 180, 360, fill=p.dark, width=26)
    d.rounded_rectangle((130, 270, 215, 420), radius=30, fill=p.main)
    d.rounded_rectangle((385, 270, 470, 420), radius=30, fill=p.main)


def _speaker(d, p):
    d.rounded_rectangle((190, 120, 410, 490), radius=30, fill=p.dark)
    d.ellipse((240, 170, 360, 290), fill=p.main)
    d.ellipse((220, 310, 380, 470), fill=p.main)
    d.ellipse((275, 365, 325, 415), fill=p.light)


def _turntable(d, p):
    d.rounded_rectangle((110, 180, 490, 440), radius=24, fill=p.main)
    d.ellipse((150, 200, 370, 420), fill=p.dark)
    d.ellipse((245, 295, 275, 325), fill=p.accent)
    d.line((440, 220, 350, 350), fill=p.metal, width=10)


def _box(d, p):
    d.rectangle((140, 190, 460, 450), fill=p.main)
    d.polygon([(140, 190), (200, 140), (520, 140), (460, 190)], fill=p.light)
    d.polygon([(460, 190), (520, 140), (520, 400), (460, 450)], fill=p.dark)
    d.ellipse((240, 250, 360, 370), fill=p.white)
    d.ellipse((275, 285, 325, 335), fill=p.accent)


def _soundbar(d, p):
    d.rounded_rectangle((80, 260, 520, 340), radius=30, fill=p.dark)
    for x in range(130, 480, 40):
        d.ellipse((x, 290, x + 18, 308), fill=p.light)


def _planter(d, p):
    d.ellipse((230, 130, 330, 290), fill=p.accent)
    d.ellipse((280, 170, 400, 280), fill=p.accent)
    d.line((300, 230, 300, 330), fill=p.dark, width=8)
    d.polygon([(180, 320), (420, 320), (390, 490), (210, 490)], fill=p.main)
    d.rectangle((170, 310, 430, 345), fill=p.dark)


def _packet(d, p):
    d.rectangle((190, 140, 410, 480), fill=p.white)
    d.rectangle((190, 140, 410, 190), fill=p.main)
    d.ellipse((240, 250, 360, 370), fill=p.accent)
    d.rectangle((225, 400, 375, 420), fill=p.main)


def _watering_can(d, p):
    d.rounded_rectangle((170, 230, 390, 470), radius=20, fill=p.main)
    d.polygon([(380, 300), (520, 190), (535, 210), (390, 360)], fill=p.dark)
    d.arc((200, 150, 360, 300), 180, 360, fill=p.dark, width=18)


def _tool(d, p):
    d.polygon([(300, 130), (370, 240), (300, 340), (230, 240)], fill=p.metal)
    d.rectangle((288, 330, 312, 390), fill=p.metal)
    d.rounded_rectangle((275, 380, 325, 500), radius=20, fill=p.main)


def _shears(d, p):
    d.polygon([(300, 320), (220, 120), (260, 115)], fill=p.metal)
    d.polygon([(300, 320), (380, 120), (340, 115)], fill=p.metal)
    d.rounded_rectangle((200, 330, 270, 500), radius=30, fill=p.main)
    d.rounded_rectangle((330, 330, 400, 500), radius=30, fill=p.main)
    d.ellipse((285, 305, 315, 335), fill=p.dark)


def _puzzle(d, p):
    d.rectangle((170, 200, 430, 460), fill=p.main)
    d.ellipse((265, 140, 335, 210), fill=p.main)
    d.ellipse((420, 295, 490, 365), fill=p.main)
    d.ellipse((160, 295, 230, 365), fill=p.background)


def _blocks(d, p):
    corners = ((150, 340), (300, 340), (225, 200))
    for (x, y), colour in zip(corners, (p.main, p.accent, p.dark), strict=True):
        d.rounded_rectangle((x, y, x + 140, y + 140), radius=12, fill=colour)
        d.ellipse((x + 50, y + 50, x + 90, y + 90), fill=p.white)


def _cards(d, p):
    for i, colour in enumerate((p.dark, p.main, p.white)):
        x = 170 + i * 60
        box = (x, 160 + i * 15, x + 190, 440 + i * 15)
        d.rounded_rectangle(box, radius=16, fill=colour, outline=p.dark, width=4)
    d.ellipse((330, 280, 390, 340), fill=p.accent)


def _train(d, p):
    d.rounded_rectangle((150, 250, 330, 400), radius=16, fill=p.main)
    d.rectangle((330, 200, 450, 400), fill=p.dark)
    d.rectangle((190, 190, 230, 250), fill=p.dark)
    for x in (190, 290, 400):
        d.ellipse((x - 35, 380, x + 35, 450), fill=p.accent)


def _bottle(d, p):
    d.rounded_rectangle((210, 220, 390, 490), radius=40, fill=p.main)
    d.rectangle((270, 160, 330, 225), fill=p.dark)
    d.rectangle((255, 125, 345, 165), fill=p.dark)
    d.rounded_rectangle((235, 300, 365, 420), radius=10, fill=p.white)
    d.ellipse((275, 330, 325, 380), fill=p.accent)


def _jar(d, p):
    d.rounded_rectangle((180, 220, 420, 480), radius=50, fill=p.light)
    d.rounded_rectangle((190, 170, 410, 230), radius=12, fill=p.dark)
    for x, y in ((240, 300), (320, 330), (270, 390), (350, 410)):
        d.ellipse((x, y, x + 30, y + 30), fill=p.white)


def _razor(d, p):
    d.rounded_rectangle((280, 250, 320, 500), radius=18, fill=p.main)
    d.rounded_rectangle((190, 170, 410, 250), radius=16, fill=p.dark)
    d.rectangle((205, 180, 395, 195), fill=p.metal)


def _bar(d, p):
    d.rounded_rectangle((150, 240, 450, 420), radius=60, fill=p.main)
    d.rounded_rectangle((190, 280, 410, 380), radius=40, outline=p.light, width=6)


DRAWINGS: dict[str, Drawing] = {
    "Espresso Beans": _bag, "Filter Roast": _bag, "Green Tea": _tin, "Earl Grey": _tin,
    "Matcha": _tin, "Rooibos": _tin,
    "Frying Pan": _pan, "Saucepan": _pan, "Stock Pot": _pot, "Dutch Oven": _pot,
    "Chef's Knife": _knife, "Cutting Board": _board,
    "Bath Towel": _folded, "Duvet Cover": _folded, "Throw Blanket": _folded,
    "Table Runner": _folded, "Bed Sheet": _folded, "Cushion Cover": _cushion,
    "Tent": _tent, "Sleeping Bag": _sleeping_bag, "Rain Jacket": _jacket, "Daypack": _backpack,
    "Camp Stove": _stove, "Trekking Poles": _poles,
    "Notebook": _notebook, "Planner": _notebook, "Sketchbook": _notebook, "Desk Pad": _notebook,
    "Fountain Pen": _pen, "Pencil Set": _pen,
    "Headphones": _headphones, "Earbuds": _headphones, "Speaker": _speaker,
    "Turntable": _turntable, "Amplifier": _box, "Soundbar": _soundbar,
    "Planter": _planter, "Herb Box": _planter, "Seed Kit": _packet, "Watering Can": _watering_can,
    "Pruning Shears": _shears, "Garden Trowel": _tool,
    "Puzzle": _puzzle, "Board Game": _box, "Building Blocks": _blocks, "Card Game": _cards,
    "Marble Run": _blocks, "Train Set": _train,
    "Hand Soap": _bottle, "Body Lotion": _bottle, "Face Oil": _bottle, "Shampoo Bar": _bar,
    "Bath Salts": _jar, "Shaving Kit": _razor,
}  # fmt: skip


def draw(
    noun: str, *, hue: float, tint: float = 0.0, colour: str | None = None, detail: bool = False
) -> bytes:
    """A 600 px JPEG of ``noun`` (any noun without its own drawing gets a book).

    ``tint`` shifts the object's hue (products of one kind differ a little);
    ``colour`` names a colour variant's colour; ``detail`` is a closer view
    for a product's second picture.
    """
    palette = Palette(hue, tint, colour)
    image = Image.new("RGB", (SIZE, SIZE), palette.background)
    canvas = ImageDraw.Draw(image)
    canvas.ellipse((110, 470, 490, 530), fill=_rgb(hue, 0.86, 0.25))  # the object's shadow
    DRAWINGS.get(noun, _book)(canvas, palette)
    if detail:
        image = image.crop((90, 90, 510, 510)).resize((SIZE, SIZE))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()
