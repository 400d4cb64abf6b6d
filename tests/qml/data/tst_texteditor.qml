import QtQuick
import QtTest
import Inkroom
import Inkroom.Client
import Inkroom.Ui

// Editing an existing text item writes in that item's own size and colour, never the toolbar's; new text takes the
// toolbar's.
Item {
    width: 600
    height: 400

    Session { id: session }

    Whiteboard {
        id: canvas
        anchors.fill: parent
        session: session
    }

    TextEditor {
        id: editor
        canvas: canvas
    }

    TestCase {
        name: "TextEditor"
        when: windowShown

        function test_editingKeepsTheItemsSizeAndColour() {
            // Nothing listens on port 9: the item stays pending on the board, which is all the editor needs.
            session.join("ws://127.0.0.1:9", "qml-text", "Tester", "#1e88e5", "")
            const id = session.addText(Qt.point(40, 60), "Heading", "#d02020", 48)
            verify(id.length > 0)
            canvas.fontSize = 12
            canvas.colour = "#2040c0"

            editor.open(id, "Heading", Qt.point(40, 60))
            compare(editor.font.pixelSize, Math.round(48 * canvas.zoom))
            verify(Qt.colorEqual(editor.color, "#d02020"), "the item's colour, not the toolbar's: " + editor.color)
            // The toolbar changing meanwhile does not change the item being edited.
            canvas.fontSize = 20
            compare(editor.font.pixelSize, Math.round(48 * canvas.zoom))
            editor.cancel()

            editor.open("", "", Qt.point(200, 200))
            compare(editor.font.pixelSize, Math.round(20 * canvas.zoom))
            verify(Qt.colorEqual(editor.color, "#2040c0"), "new text takes the toolbar's colour: " + editor.color)
            editor.cancel()
        }
    }
}
