pragma ComponentBehavior: Bound
import QtQuick
import QtQuick.Controls
import Inkroom.Client
import Inkroom.Ui

// The floating tool bar: the tools as icons (their keys in the tooltips, letters and numbers as Excalidraw has them),
// undo, redo and clear. Colours, widths and the rest are the properties panel's. In a narrow window it wraps onto a
// second row rather than lose tools off its ends.
Pane {
    id: bar

    required property Session session
    property int tool: Whiteboard.Pen
    //! The widest the bar may be (the board's width less a margin).
    property real maximumWidth: 10000

    //! [keys, tool name] for every tool, in the bar's order: the shortcut sheet lists these, so it cannot drift.
    readonly property var toolKeys: {
        const rows = []
        for (let i = 0; i < row.children.length; ++i) {
            const child = row.children[i]
            if (child.toolValue !== undefined)
                rows.push([child.number ? child.letter + ", " + child.number : child.letter, child.label])
        }
        return rows
    }

    signal clearRequested()

    padding: 5
    width: Math.min(implicitWidth, maximumWidth)
    implicitWidth: row.oneRowWidth + leftPadding + rightPadding
    implicitHeight: row.implicitHeight + topPadding + bottomPadding
    background: Rectangle {
        color: bar.palette.window
        radius: 8
        border.color: bar.palette.mid
    }

    component ToolChoice: ToolIconButton {
        id: choice
        required property int toolValue
        //! The letter and the number that choose it.
        required property string letter
        property string number
        keys: number ? qsTr("%1 or %2").arg(letter).arg(number) : letter
        checkable: true
        checked: bar.tool === toolValue
        onClicked: bar.tool = toolValue
        Shortcut {
            sequence: choice.letter
            context: Qt.WindowShortcut
            enabled: choice.enabled
            onActivated: bar.tool = choice.toolValue
        }
        Shortcut {
            sequence: choice.number
            context: Qt.WindowShortcut
            enabled: choice.enabled && choice.number !== ""
            onActivated: bar.tool = choice.toolValue
        }
    }

    Flow {
        id: row
        //! Everything on one row: the bar's width when there is room.
        readonly property real oneRowWidth: {
            let sum = 0
            let count = 0
            for (let i = 0; i < children.length; ++i) {
                const child = children[i]
                if (child.visible && child.width > 0) {
                    sum += child.width
                    ++count
                }
            }
            return sum + Math.max(0, count - 1) * spacing
        }
        width: bar.availableWidth
        spacing: 2

        Label {
            objectName: "viewOnlyLabel"
            visible: bar.session.viewOnly
            height: 34
            verticalAlignment: Text.AlignVCenter
            text: qsTr("View only")
            font.weight: Font.DemiBold
            leftPadding: 6
            rightPadding: 4
        }
        // The laser pointer is for everybody: viewers point too (it never touches the board).
        ToolChoice {
            objectName: "laserTool"
            toolValue: Whiteboard.Laser
            label: qsTr("Laser pointer")
            fallback: "laser"
            letter: "K"
            ToolTip.text: qsTr("Laser pointer — K: everyone sees where you point, for a moment")
        }
        ToolSeparator { height: 34 }
        // A viewer (or anybody but an owner on a locked board) has no tools: the server would refuse them.
        ToolChoice {
            objectName: "selectTool"
            enabled: !bar.session.viewOnly
            toolValue: Whiteboard.Select; label: qsTr("Select"); iconName: "edit-select"; fallback: "select"
            letter: "V"; number: "1"
        }
        ToolChoice {
            objectName: "rectTool"
            enabled: !bar.session.viewOnly
            toolValue: Whiteboard.Rect; label: qsTr("Box"); iconName: "draw-rectangle"; fallback: "rect"
            letter: "R"; number: "2"
        }
        ToolChoice {
            objectName: "ellipseTool"
            enabled: !bar.session.viewOnly
            toolValue: Whiteboard.Ellipse; label: qsTr("Ellipse"); iconName: "draw-ellipse"; fallback: "ellipse"
            letter: "O"; number: "3"
        }
        ToolChoice {
            objectName: "arrowTool"
            enabled: !bar.session.viewOnly
            toolValue: Whiteboard.Arrow; label: qsTr("Arrow"); iconName: "draw-arrow"; fallback: "arrow"
            letter: "A"; number: "4"
        }
        ToolChoice {
            objectName: "lineTool"
            enabled: !bar.session.viewOnly
            toolValue: Whiteboard.Line; label: qsTr("Line"); iconName: "draw-line"; fallback: "line"
            letter: "L"; number: "5"
        }
        ToolChoice {
            objectName: "penTool"
            enabled: !bar.session.viewOnly
            toolValue: Whiteboard.Pen; label: qsTr("Pen"); iconName: "draw-freehand"; fallback: "pen"
            letter: "P"; number: "6"
        }
        ToolChoice {
            objectName: "markerTool"
            enabled: !bar.session.viewOnly
            toolValue: Whiteboard.Highlighter; label: qsTr("Marker"); iconName: "draw-highlight"; fallback: "marker"
            letter: "M"; number: "7"
        }
        ToolChoice {
            objectName: "textTool"
            enabled: !bar.session.viewOnly
            toolValue: Whiteboard.Text; label: qsTr("Text"); iconName: "draw-text"; fallback: "text"
            letter: "T"; number: "8"
        }
        ToolChoice {
            objectName: "eraserTool"
            enabled: !bar.session.viewOnly
            toolValue: Whiteboard.Eraser; label: qsTr("Eraser"); iconName: "draw-eraser"; fallback: "eraser"
            letter: "E"; number: "0"
        }

        ToolSeparator { height: 34; visible: !bar.session.viewOnly }

        ToolIconButton {
            objectName: "undoButton"
            visible: !bar.session.viewOnly
            label: qsTr("Undo")
            iconName: "edit-undo"
            fallback: "undo"
            keys: qsTr("Ctrl+Z")
            enabled: bar.session.canUndo
            onClicked: bar.session.undo()
        }
        ToolIconButton {
            objectName: "redoButton"
            visible: !bar.session.viewOnly
            label: qsTr("Redo")
            iconName: "edit-redo"
            fallback: "redo"
            keys: qsTr("Ctrl+Shift+Z")
            enabled: bar.session.canRedo
            onClicked: bar.session.redo()
        }
        ToolIconButton {
            objectName: "clearButton"
            visible: bar.session.isOwner
            label: qsTr("Clear the board for everyone")
            iconName: "edit-clear-all"
            fallback: "clear"
            onClicked: bar.clearRequested()
        }
    }

    // Disabled buttons show no tooltips: the toolbar itself says why its tools are off.
    HoverHandler { id: barHover }
    ToolTip.visible: bar.session.viewOnly && barHover.hovered
    ToolTip.delay: 300
    ToolTip.text: bar.session.viewOnlyReason
}
