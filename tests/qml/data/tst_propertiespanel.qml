import QtQuick
import QtTest
import Inkroom
import Inkroom.Client
import Inkroom.Ui

// The properties panel against a real session, canvas and StyleProperties: what it shows for a tool and for a
// selection, "Mixed", and that a change to a selection is one step of undo.
Item {
    width: 700
    height: 600

    Session { id: session }

    Whiteboard {
        id: canvas
        anchors.fill: parent
        session: session
    }

    PropertiesPanel {
        id: panel
        canvas: canvas
        x: 10
        y: 10
    }

    TestCase {
        name: "PropertiesPanel"
        when: windowShown

        function initTestCase() {
            // Nothing listens on port 9: edits stay pending on the board, which is all the panel needs.
            session.join("ws://127.0.0.1:9", "qml-properties", "Tester", "#1e88e5", "")
        }

        function init() {
            canvas.clearSelection()
            canvas.tool = Whiteboard.Pen
            panel.properties.clearFill()
        }

        function swatchNamed(objectName, name) {
            const found = []
            const visit = (item) => {
                if (item.objectName === objectName && item.name === name)
                    found.push(item)
                for (let i = 0; i < item.children.length; ++i)
                    visit(item.children[i])
            }
            visit(panel)
            return found.length ? found[0] : null
        }

        //! Click a choice once the panel has laid itself out again (sections come and go with the tool and selection).
        function choose(item) {
            verify(item, "the choice is there")
            waitForItemPolished(item.parent)
            waitForItemPolished(item.parent.parent)
            waitForRendering(panel)
            mouseClick(item)
        }

        function test_1_aWidthIsMarkedBeforeOneIsPicked() {
            verify(panel.visible)
            const medium = findChild(panel, "strokeWidth4")
            verify(medium, "the medium width button")
            verify(medium.checked, "the tool's width is marked from the start")
            compare(findChild(panel, "strokeWidth2").checked, false)
        }

        function test_onlyWhatAppliesIsShown() {
            canvas.tool = Whiteboard.Pen
            verify(!panel.properties.hasFill)
            verify(!panel.properties.hasHeads)
            verify(!findChild(panel, "noFill").visible)
            canvas.tool = Whiteboard.Rect
            verify(panel.properties.hasFill)
            verify(panel.properties.hasDash)
            verify(findChild(panel, "noFill").visible)
            verify(findChild(panel, "noFill").checked, "no fill until one is chosen")
            canvas.tool = Whiteboard.Arrow
            verify(panel.properties.hasHeads)
            compare(panel.properties.heads, StyleProperties.EndHead)
            verify(findChild(panel, "heads-end").checked)
            canvas.tool = Whiteboard.Text
            verify(panel.properties.hasFontSize)
            verify(findChild(panel, "fontSize24").checked)
            canvas.tool = Whiteboard.Eraser
            verify(!panel.visible, "the eraser has no style")
        }

        function test_swatchesAreNamed() {
            const red = swatchNamed("strokeSwatch", "Red")
            verify(red, "a swatch named Red")
            compare(red.toolTipText, "Red")
        }

        //! A row of colours is one Tab stop, the chosen one (the first when none is), and the arrow keys move the
        //! choice along the row, as in a radio group.
        function test_aRowOfColoursIsOneTabStop() {
            canvas.tool = Whiteboard.Rect
            const swatches = (objectName) => {
                const found = []
                const visit = (item) => {
                    if (item.objectName === objectName && item.visible)
                        found.push(item)
                    for (let i = 0; i < item.children.length; ++i)
                        visit(item.children[i])
                }
                visit(panel)
                return found
            }
            const strokes = swatches("strokeSwatch")
            verify(strokes.length > 4)
            const stops = strokes.filter(s => s.focusPolicy !== Qt.NoFocus)
            compare(stops.length, 1)
            verify(stops[0].chosen, "the chosen colour is the stop")
            const fills = swatches("fillSwatch")
            compare(fills.filter(s => s.focusPolicy !== Qt.NoFocus).length, 1)
            verify(fills[0].focusPolicy !== Qt.NoFocus, "no fill chosen: the first colour is the stop")

            const at = strokes.indexOf(stops[0])
            stops[0].forceActiveFocus(Qt.TabFocusReason)
            keyClick(at + 1 < strokes.length ? Qt.Key_Right : Qt.Key_Left)
            const moved = strokes[at + 1 < strokes.length ? at + 1 : at - 1]
            tryVerify(() => moved.activeFocus && moved.chosen)
            verify(Qt.colorEqual(canvas.colour, moved.colour), "the tool's colour followed: " + canvas.colour)
            compare(strokes.filter(s => s.focusPolicy !== Qt.NoFocus).length, 1)
        }

        function test_theToolsStyleIsWhatNewItemsGet() {
            canvas.tool = Whiteboard.Rect
            choose(swatchNamed("fillSwatch", "Light blue"))
            verify(Qt.colorEqual(canvas.fill, "#a5d8ff"), "the tool's fill: " + canvas.fill)
            choose(findChild(panel, "dashdash-dashed"))
            compare(panel.properties.dash, StyleProperties.Dashed)
            choose(findChild(panel, "noFill"))
            verify(!panel.properties.filled, "no fill again")
        }

        function test_aSelectionChangesInOneUndoStep() {
            const a = session.addShape(BoardDocument.Rect, "#e03131", 4, Qt.point(300, 100), Qt.point(380, 160))
            const b = session.addShape(BoardDocument.Ellipse, "#1971c2", 4, Qt.point(400, 100), Qt.point(480, 160))
            verify(a.length > 0 && b.length > 0)
            canvas.tool = Whiteboard.Select
            canvas.selectAll()
            verify(panel.properties.forSelection)
            verify(panel.properties.strokeColourMixed, "two colours: mixed")
            verify(!swatchNamed("strokeSwatch", "Red").chosen, "no swatch is chosen while mixed")
            const pending = session.pendingCount

            choose(swatchNamed("strokeSwatch", "Green"))
            verify(!panel.properties.strokeColourMixed)
            verify(Qt.colorEqual(panel.properties.strokeColour, "#2f9e44"))
            verify(swatchNamed("strokeSwatch", "Green").chosen)
            compare(session.pendingCount, pending + 2, "one update for each item")

            // One undo takes back both.
            verify(session.undo())
            verify(panel.properties.strokeColourMixed, "both colours back")
            verify(session.redo())
            verify(Qt.colorEqual(panel.properties.strokeColour, "#2f9e44"))

            // Widths and fills: the same, and the fill applies to both shapes.
            choose(findChild(panel, "strokeWidth16"))
            compare(panel.properties.strokeWidth, 16)
            choose(swatchNamed("fillSwatch", "Light yellow"))
            verify(panel.properties.filled)
            verify(!panel.properties.fillMixed)
            session.undo()
            verify(!panel.properties.filled, "the fill undone at once for both")
        }
    }
}
