pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import QtQuick.Layouts
import Inkroom.Client
import Inkroom.Ui

// The floating toolbar: tools (with their keys), colours, widths, undo, redo and clear.
Pane {
    id: bar

    required property Session session
    property int tool: Whiteboard.Pen
    property color colour: App.palette[0]
    property real strokeWidth: 3

    signal clearRequested()

    padding: 6
    background: Rectangle {
        color: palette.window
        radius: 8
        border.color: palette.mid
    }

    component ToolChoice: ToolButton {
        id: choice
        required property int toolValue
        required property string label
        required property string key
        text: label
        checkable: true
        checked: bar.tool === toolValue
        onClicked: bar.tool = toolValue
        ToolTip.visible: hovered
        ToolTip.delay: 500
        ToolTip.text: qsTr("%1 (%2)").arg(label).arg(key)
        Accessible.name: label
        Shortcut {
            sequence: choice.key
            context: Qt.WindowShortcut
            onActivated: bar.tool = choice.toolValue
        }
    }

    RowLayout {
        spacing: 6
        Label {
            objectName: "viewOnlyLabel"
            visible: bar.session.viewOnly
            text: qsTr("View only")
            font.weight: Font.DemiBold
            leftPadding: 6
            rightPadding: 4
        }
        // The laser pointer is for everybody: viewers point too (it never touches the board).
        ToolChoice {
            objectName: "laserTool"
            toolValue: Whiteboard.Laser
            label: qsTr("Laser")
            key: "K"
            ToolTip.text: qsTr("Laser pointer (K): everyone sees where you point, for a moment")
        }
        RowLayout {
            id: tools
            spacing: 2
            // A viewer (or anybody but an owner on a locked board) has no tools: the server would refuse them.
            enabled: !bar.session.viewOnly
            opacity: enabled ? 1 : 0.45
            ToolChoice { toolValue: Whiteboard.Select; label: qsTr("Select"); key: "V" }
            ToolChoice { toolValue: Whiteboard.Pen; label: qsTr("Pen"); key: "P" }
            ToolChoice { toolValue: Whiteboard.Highlighter; label: qsTr("Marker"); key: "M" }
            ToolChoice { toolValue: Whiteboard.Line; label: qsTr("Line"); key: "L" }
            ToolChoice { toolValue: Whiteboard.Arrow; label: qsTr("Arrow"); key: "A" }
            ToolChoice { toolValue: Whiteboard.Rect; label: qsTr("Box"); key: "R" }
            ToolChoice { toolValue: Whiteboard.Ellipse; label: qsTr("Ellipse"); key: "O" }
            ToolChoice { toolValue: Whiteboard.Text; label: qsTr("Text"); key: "T" }
            ToolChoice { toolValue: Whiteboard.Eraser; label: qsTr("Eraser"); key: "E" }

            ToolSeparator {}

            Repeater {
                model: App.palette.slice(0, 8)
                delegate: ColourSwatch {
                    required property color modelData
                    implicitWidth: 20
                    implicitHeight: 20
                    swatch: modelData
                    selected: Qt.colorEqual(bar.colour, modelData)
                    onClicked: bar.colour = modelData
                }
            }

            ToolSeparator {}

            Repeater {
                model: [2, 4, 8, 16]
                delegate: ToolButton {
                    id: widthChoice
                    required property int modelData
                    checkable: true
                    checked: bar.strokeWidth === modelData
                    onClicked: bar.strokeWidth = modelData
                    Accessible.name: qsTr("Width %1").arg(modelData)
                    ToolTip.visible: hovered
                    ToolTip.delay: 500
                    ToolTip.text: qsTr("Stroke width %1").arg(modelData)
                    contentItem: Item {
                        implicitWidth: 20
                        implicitHeight: 20
                        Rectangle {
                            anchors.centerIn: parent
                            width: Math.min(18, widthChoice.modelData + 2)
                            height: width
                            radius: width / 2
                            color: bar.colour
                        }
                    }
                }
            }

            ToolSeparator {}

            // Glyphs, not words: the bar fits a window with the chat open (the tooltips and names say which).
            ToolButton {
                text: "↶"
                font.pixelSize: 18
                Accessible.name: qsTr("Undo")
                enabled: bar.session.canUndo
                onClicked: bar.session.undo()
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Undo your last change (Ctrl+Z)")
            }
            ToolButton {
                text: "↷"
                font.pixelSize: 18
                Accessible.name: qsTr("Redo")
                enabled: bar.session.canRedo
                onClicked: bar.session.redo()
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Redo (Ctrl+Shift+Z)")
            }
            ToolButton {
                objectName: "clearButton"
                visible: bar.session.isOwner
                text: qsTr("Clear")
                onClicked: bar.clearRequested()
                ToolTip.visible: hovered
                ToolTip.text: qsTr("Clear the board for everyone")
            }
        }
    }

    // Disabled buttons show no tooltips: the toolbar itself says why its tools are off.
    HoverHandler { id: barHover }
    ToolTip.visible: bar.session.viewOnly && barHover.hovered
    ToolTip.delay: 300
    ToolTip.text: bar.session.viewOnlyReason
}
