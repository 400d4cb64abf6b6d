import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Inkroom.Ui

// Zoom out, the zoom level (click: 100%), zoom in, and fit everything.
Pane {
    id: controls

    required property Whiteboard canvas
    padding: 4
    background: Rectangle {
        color: palette.window
        radius: 8
        border.color: palette.mid
    }

    RowLayout {
        spacing: 2
        ToolButton {
            text: "−"
            onClicked: controls.canvas.zoomOut()
            Accessible.name: qsTr("Zoom out")
        }
        ToolButton {
            text: qsTr("%1%").arg(Math.round(controls.canvas.zoom * 100))
            onClicked: controls.canvas.resetView()
            Accessible.name: qsTr("Reset zoom")
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Back to 100% (Ctrl+0)")
        }
        ToolButton {
            text: "+"
            onClicked: controls.canvas.zoomIn()
            Accessible.name: qsTr("Zoom in")
        }
        ToolButton {
            text: qsTr("Fit")
            onClicked: controls.canvas.zoomToFit()
            ToolTip.visible: hovered
            ToolTip.text: qsTr("Show everything on the board (Shift+1)")
        }
    }
}
