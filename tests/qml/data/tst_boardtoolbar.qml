import QtQuick
import QtTest
import Inkroom
import Inkroom.Client
import Inkroom.Ui

// The tool bar against a real session: icons that say their keys, the tool marked, keys choosing tools, and a bar
// that wraps rather than lose tools off its ends in a narrow window.
Item {
    id: root
    width: 900
    height: 400

    Session { id: session }

    BoardToolbar {
        id: bar
        session: session
        maximumWidth: root.width - 20
    }

    TestCase {
        name: "BoardToolbar"
        when: windowShown

        function init() {
            root.width = 900
            bar.tool = Whiteboard.Pen
        }

        function test_toolsSayTheirKeys() {
            const box = findChild(bar, "rectTool")
            compare(box.toolTipText, "Box — R or 2")
            compare(box.label, "Box")
            verify(findChild(bar, "penTool").checked, "the current tool is marked")
            verify(!box.checked)
        }

        function test_keysChooseTools() {
            bar.forceActiveFocus()
            keyClick(Qt.Key_R)
            compare(bar.tool, Whiteboard.Rect)
            keyClick(Qt.Key_4)
            compare(bar.tool, Whiteboard.Arrow)
            keyClick(Qt.Key_0)
            compare(bar.tool, Whiteboard.Eraser)
            keyClick(Qt.Key_V)
            compare(bar.tool, Whiteboard.Select)
            verify(findChild(bar, "selectTool").checked)
        }

        function test_clickingAToolKeepsTheFocusWhereItWas() {
            const box = findChild(bar, "rectTool")
            mouseClick(box)
            compare(bar.tool, Whiteboard.Rect)
            verify(!box.activeFocus, "the button does not take the keyboard")
        }

        function test_aNarrowWindowWrapsTheBar() {
            const oneRow = bar.height
            root.width = 300
            verify(bar.width <= 280)
            // The Flow lays its buttons out again at the next polish.
            tryVerify(() => bar.height > oneRow, 2000, "a second row")
            for (const name of ["laserTool", "selectTool", "rectTool", "eraserTool", "undoButton", "redoButton"]) {
                const button = findChild(bar, name)
                const at = button.mapToItem(bar, 0, 0)
                verify(at.x >= 0 && at.x + button.width <= bar.width, name + " is inside the bar")
                verify(at.y + button.height <= bar.height, name + " is inside the bar")
            }
        }
    }
}
